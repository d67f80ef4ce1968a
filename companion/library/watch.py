"""Notice practice files changed on disk and reload them, keeping the last good version.

Pure: no textual. `PracticeWatcher.poll()` costs one `os.scandir` of the user's practices
folder (and a stat per practice file) when nothing changed; the app calls it from a timer (see companion/ui/reload.py) and
hands each change to `Library.apply`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from companion.practice.errors import PracticeError, Problem
from companion.practice.load import load_practice
from companion.practice.model import Practice
from companion.sound.files import sound_names
from companion.user_files import Found, Skipped, listing, shown

if TYPE_CHECKING:
    from companion.library.library import Library

ChangeKind = Literal["reloaded", "invalid", "removed"]
Sounds = Collection[str] | Callable[[], Collection[str] | None] | None

# What identifies one version of a file without reading it: nanosecond mtime and size.
Stamp = tuple[int, int]
# A file's stamp, or for an entry that is skipped (a loop, a pipe) the reason it is skipped.
Version = Stamp | str

SETTLE_SECONDS = 1.0  # a file changed this recently may be a save caught half-way
HOLD_POLLS = 3  # but a failing file is reported after this many polls, however busy it is


@dataclass(frozen=True)
class Change:
    """One practice file that changed: reloaded, now invalid, or removed.

    `practice` is the new version for "reloaded" and the last good version (if any) for
    "invalid"; `problems` are the loader's problems for "invalid".
    """

    kind: ChangeKind
    id: str
    path: Path
    practice: Practice | None = None
    problems: tuple[Problem, ...] = ()

    def lines(self) -> list[str]:
        """The problems as the lines a person reads (file:line:col: message)."""
        return [str(p) for p in self.problems]


_HOLD = Change("removed", "", Path())  # a marker for _reload: not yet, look again next poll


class PracticeWatcher:
    """Polls one folder of practice files and reloads those whose mtime or size changed.

    A file being written over and over (an editor's autosave, a script every 100 ms) costs
    one read per poll and says nothing while it keeps loading to the same practice. A read
    of a file that changed while it was read, or one that fails while the file is younger
    than SETTLE_SECONDS, is held back for up to HOLD_POLLS polls, so a half-written save
    never flashes a warning or replaces the last good version.
    """

    def __init__(
        self,
        folder: Path,
        *,
        sounds: Sounds = None,
        source: str = "user",
        known: Mapping[str, Practice] | None = None,
        wall_ns: Callable[[], int] = time.time_ns,
    ) -> None:
        self.folder = Path(folder)
        self.source = source
        self.sounds = sounds
        self.wall_ns = wall_ns
        self._good: dict[str, Practice] = dict(known or {})
        self._problems: dict[str, tuple[Problem, ...]] = {}
        self._held: dict[str, int] = {}  # id -> polls a failing, still-changing file was held
        # The first scan is the baseline: files already there were read by the library.
        self._seen: dict[str, tuple[Found | Skipped, Version]] = self._scan() or {}

    def _scan(self) -> dict[str, tuple[Found | Skipped, Version]] | None:
        """id -> (path, version) for every practice file; None when the folder cannot be read.

        Skipped entries (a loop, a pipe, a name that is not UTF-8) carry their reason as
        their version, so one appearing or changing is said once and never opened.
        """
        found = listing(self.folder, (".toml",))
        if found.problem is not None:
            return None
        now: dict[str, tuple[Found | Skipped, Version]] = {}
        for item in found.files:
            now[item.stem] = (item, item.stamp)
        for skipped in found.skipped:
            now[skipped.stem] = (skipped, skipped.reason)
        return now

    def _sound_names(self) -> Collection[str] | None:
        if callable(self.sounds):
            return self.sounds()
        return self.sounds

    def poll(self) -> list[Change]:
        """Reload every file changed since the last poll; never raises."""
        now = self._scan()
        if now is None:
            return []  # an unreadable folder is not a reason to drop the practices
        changes: list[Change] = []
        for practice_id in sorted(now):
            item, version = now[practice_id]
            before = self._seen.get(practice_id)
            if before is not None and before[1] == version:
                continue
            path = item.path
            if isinstance(version, str):
                problems = (Problem(shown(str(path)), version),)
                self._problems[practice_id] = problems
                changes.append(Change("invalid", practice_id, path, None, problems))
                continue
            change = self._reload(practice_id, path, version)
            if change is _HOLD:
                now[practice_id] = before if before is not None else (item, (-1, -1))
                continue
            if change is not None:
                changes.append(change)
        for practice_id in sorted(set(self._seen) - set(now)):
            self._good.pop(practice_id, None)
            self._problems.pop(practice_id, None)
            self._held.pop(practice_id, None)
            changes.append(Change("removed", practice_id, self._seen[practice_id][0].path))
        self._seen = now
        return changes

    def _reload(self, practice_id: str, path: Path, stamp: Stamp) -> Change | None:
        """The change for a file that differs from the last poll; None when it reads the same
        as the practice already in use, _HOLD while a failing file is still being written."""
        try:
            practice = load_practice(path, source=self.source, sounds=self._sound_names())
        except PracticeError as exc:
            if self._still_writing(practice_id, path, stamp, failed=True):
                return _HOLD
            problems = tuple(exc.problems)
            self._held.pop(practice_id, None)
            if self._problems.get(practice_id) == problems:
                return None  # the same mistake saved again: it was said already
            self._problems[practice_id] = problems
            return Change("invalid", practice_id, path, self._good.get(practice_id), problems)
        if self._still_writing(practice_id, path, stamp, failed=False):
            return _HOLD  # it changed while it was read: a part of a save may read as whole
        self._held.pop(practice_id, None)
        unchanged = self._good.get(practice_id) == practice and practice_id not in self._problems
        self._good[practice_id] = practice
        self._problems.pop(practice_id, None)
        return None if unchanged else Change("reloaded", practice_id, path, practice)

    def _still_writing(self, practice_id: str, path: Path, stamp: Stamp, *, failed: bool) -> bool:
        """True (and counted) when a read is likely a save caught half-way: the file changed
        while it was read, or (for a read that failed) it was written under a second ago."""
        held = self._held.get(practice_id, 0)
        if held >= HOLD_POLLS:
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        moved = (st.st_mtime_ns, st.st_size) != stamp
        young = self.wall_ns() - st.st_mtime_ns < SETTLE_SECONDS * 1e9
        if moved or (failed and young):
            self._held[practice_id] = held + 1
            return True
        return False

    def problems_for(self, practice_id: str) -> tuple[Problem, ...]:
        """The latest problems of a file that became invalid; () when it is fine."""
        return self._problems.get(practice_id, ())

    def last_good(self, practice_id: str) -> Practice | None:
        """The last version of a file that loaded cleanly."""
        return self._good.get(practice_id)


def watcher_for(library: Library) -> PracticeWatcher:
    """A watcher on the library's user folder, seeded with the user practices it holds."""
    known = {
        e.id: e.practice
        for e in library.entries.values()
        if e.source == "user" and e.practice is not None
    }
    paths = library.paths
    return PracticeWatcher(
        paths.practices_dir, sounds=lambda: sound_names(paths), source="user", known=known
    )
