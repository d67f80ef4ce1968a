"""Notice practice files changed on disk and reload them, keeping the last good version.

Pure: no textual. `PracticeWatcher.poll()` costs one `os.scandir` of the user's practices
folder when nothing changed; the app calls it from a timer (see companion/ui/reload.py) and
hands each change to `Library.apply`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from companion.practice.errors import PracticeError, Problem
from companion.practice.load import load_practice
from companion.practice.model import Practice
from companion.sound.files import sound_names

if TYPE_CHECKING:
    from companion.library.library import Library

ChangeKind = Literal["reloaded", "invalid", "removed"]
Sounds = Collection[str] | Callable[[], Collection[str] | None] | None

# What identifies one version of a file without reading it: nanosecond mtime and size.
Stamp = tuple[int, int]


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


class PracticeWatcher:
    """Polls one folder of practice files and reloads those whose mtime or size changed."""

    def __init__(
        self,
        folder: Path,
        *,
        sounds: Sounds = None,
        source: str = "user",
        known: Mapping[str, Practice] | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.source = source
        self.sounds = sounds
        self._good: dict[str, Practice] = dict(known or {})
        self._problems: dict[str, tuple[Problem, ...]] = {}
        # The first scan is the baseline: files already there were read by the library.
        self._seen: dict[str, tuple[Path, Stamp]] = self._scan() or {}

    def _scan(self) -> dict[str, tuple[Path, Stamp]] | None:
        """id -> (path, stamp) for every practice file; None when the folder cannot be read."""
        found: dict[str, tuple[Path, Stamp]] = {}
        try:
            with os.scandir(self.folder) as it:
                for item in it:
                    # Skip editor and save leftovers: ".x.toml.123.tmp", "x.toml.bak", "~x".
                    name = item.name
                    if not name.endswith(".toml") or name.startswith((".", "~")):
                        continue
                    try:
                        if not item.is_file():
                            continue
                        st = item.stat()
                    except OSError:
                        continue  # vanished between listing and stat; the next poll sees it
                    found[name[: -len(".toml")]] = (Path(item.path), (st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            return {}  # no folder is the same as an empty one (it may be created later)
        except OSError:
            return None
        return found

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
            path, stamp = now[practice_id]
            before = self._seen.get(practice_id)
            if before is not None and before[1] == stamp:
                continue
            changes.append(self._reload(practice_id, path))
        for practice_id in sorted(set(self._seen) - set(now)):
            self._good.pop(practice_id, None)
            self._problems.pop(practice_id, None)
            changes.append(Change("removed", practice_id, self._seen[practice_id][0]))
        self._seen = now
        return changes

    def _reload(self, practice_id: str, path: Path) -> Change:
        try:
            practice = load_practice(path, source=self.source, sounds=self._sound_names())
        except PracticeError as exc:
            problems = tuple(exc.problems)
            self._problems[practice_id] = problems
            return Change("invalid", practice_id, path, self._good.get(practice_id), problems)
        self._good[practice_id] = practice
        self._problems.pop(practice_id, None)
        return Change("reloaded", practice_id, path, practice)

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
