"""The home screen's list as it was last shown, kept so the next start can show it at once.

Reading the library (forty-odd files checked and built into practices, and the modules that
do it imported) was about a third of the home screen's wait for its first frame (issue 18),
yet the list it gives rarely changes between starts. So the home screen keeps what its list
showed (each row's words and styles, and the quick session's line) beside what every file
it came from looked like: the names and `os.stat` of the practice and course files, bundled
and the user's own, and the names of the sounds (a practice naming a sound that is gone is
listed as broken). While all of that is unchanged, the next start shows the kept list in its
first frame and reads the library just after it; the list the library gives is compared with
the one on screen and drawn again if it differs, so even a change this did not foresee is on
screen one frame later.

Like the parsed-TOML cache beside it, this is plain JSON and only ever a shortcut: missing,
damaged, from another version or unlike the files now, it is ignored. It is not kept while
a file was changed in the last two seconds (see cache.py's "racy clean"). Pure: no widgets.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from companion.library.cache import RACY_SECONDS, stamp, write_cache_file
from companion.paths import Paths

LIST_NAME = "home-list.json"
FORMAT = 1  # bump when what is kept changes shape

Span = tuple[int, int, str]  # start, end, style of a stretch of a row's text
Row = tuple[str | None, str, tuple[Span, ...]]  # option id (None: a heading), words, styles


class ShownList:
    """The rows the home screen showed, and its quick session for whichever practice was last."""

    def __init__(self, rows: list[Row], otherwise: str, by_last: dict[str, str]) -> None:
        self.rows = rows
        self.otherwise = otherwise  # the quick session when the last practice is not listed
        self.by_last = by_last  # practice id -> its quick-session words, e.g. "Box breathing, 4 min"

    def quick(self, last: str) -> str:
        """The status line's quick session when `last` was the last practice done."""
        return self.by_last.get(last, self.otherwise)

    def as_json(self) -> dict[str, Any]:
        """What is kept of it, in the shape JSON gives back (lists, not tuples)."""
        rows = [[oid, words, [list(s) for s in spans]] for oid, words, spans in self.rows]
        return {"rows": rows, "otherwise": self.otherwise, "by_last": self.by_last}


def files_now(paths: Paths) -> list[Any]:
    """What the list depends on, as it is on disk now: one entry per folder."""
    folders = (
        paths.bundled_practices,
        paths.practices_dir,
        paths.bundled_courses,
        paths.courses_dir,
    )
    sounds = (
        paths.bundled_sounds,
        paths.bundled_sounds / "soundscapes",
        paths.sounds_dir,
        paths.sounds_dir / "soundscapes",
    )
    return [_listed(f, stats=True) for f in folders] + [_listed(f, stats=False) for f in sounds]


def _listed(folder: Path, *, stats: bool) -> list[Any]:
    """Each name in a folder, with what one stat says of it when `stats` (None: no stat)."""
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return ["missing"]
    except OSError as exc:  # unreadable: the library says so; here it is only a state
        return [f"unreadable {exc.errno}"]
    if not stats:
        return names
    out: list[Any] = []
    for name in names:
        try:
            st = os.stat(folder / name)  # through a link: an edit to its target counts
        except (OSError, ValueError):  # a loop, a dangling link, a name the system refuses
            out.append([name, None])
            continue
        out.append([name, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns])
    return out


def _settled(files: list[Any], before_ns: int) -> bool:
    """True when no file listed was changed at or after `before_ns`."""
    return not any(
        isinstance(entry, list) and entry[1] is not None and max(entry[3], entry[4]) >= before_ns
        for entries in files
        for entry in entries
    )


def _kept_stamp() -> str:
    return f"{FORMAT} {stamp()}"


def read_list(paths: Paths) -> ShownList | None:
    """The list shown last, if every file it came from is as it was then."""
    import json

    try:
        kept = json.loads((paths.cache_dir / LIST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, unreadable, not UTF-8, not JSON
        return None
    try:
        if kept["stamp"] != _kept_stamp() or kept["files"] != files_now(paths):
            return None
        rows: list[Row] = [
            (oid, str(words), tuple((int(a), int(b), str(style)) for a, b, style in spans))
            for oid, words, spans in kept["rows"]
        ]
        by_last = {str(k): str(v) for k, v in kept["by_last"].items()}
        if not all(oid is None or isinstance(oid, str) for oid, _, _ in rows):
            return None
        return ShownList(rows, str(kept["otherwise"]), by_last)
    except (KeyError, TypeError, ValueError, AttributeError):  # another shape: not trusted
        return None


def save_list(paths: Paths, shown: ShownList, now: float | None = None) -> bool:
    """Keep the list as shown now (never raises); False when not kept (a file just changed,
    or the cache folder cannot be written)."""
    import json

    files = files_now(paths)
    before_ns = int(((time.time() if now is None else now) - RACY_SECONDS) * 1e9)
    if not _settled(files, before_ns):
        return False
    kept = {"stamp": _kept_stamp(), "files": files, **shown.as_json()}
    return write_cache_file(paths.cache_dir / LIST_NAME, json.dumps(kept))  # odd names escaped
