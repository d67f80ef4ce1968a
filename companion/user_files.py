"""Listing one of the user's folders as it really is: loops, pipes, devices and odd names.

Pure: `os.scandir` and `os.stat` only. A folder may hold symbolic links that loop or lead
nowhere, pipes and devices (opening one can block for ever), folders with a file's ending,
and names that are not UTF-8 text (no practice id or journal row can hold them). Each is
skipped with one sentence saying why and what to do; nothing in it is ever opened.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple


@dataclass(frozen=True)
class Found:
    """A regular file with a wanted ending: where it is and what `os.stat` said."""

    where: str  # the path as os.scandir gave it; a Path is made only when asked for
    name: str
    mtime_ns: int
    size: int

    @cached_property
    def path(self) -> Path:
        """The file's path."""
        return Path(self.where)

    @property
    def stem(self) -> str:
        """The name without its ending."""
        return self.name.rsplit(".", 1)[0]

    @property
    def stamp(self) -> tuple[int, int]:
        """What identifies one version of the file without reading it."""
        return (self.mtime_ns, self.size)


# A NamedTuple, not a frozen dataclass: made before every first frame, and Python 3.11
# compiles each dataclass method from source, about 0.6 ms a class (issue 18).
class Skipped(NamedTuple):
    """An entry with a wanted ending that is not a file anyone can use, and why."""

    path: Path
    reason: str

    @property
    def name(self) -> str:
        """The entry's name, printable whatever bytes it holds."""
        return shown(self.path.name)

    @property
    def stem(self) -> str:
        """The name without its ending, printable."""
        return shown(self.path.stem)


@dataclass
class Listing:
    """What one folder holds: usable files by name, skipped entries, and a folder problem."""

    files: list[Found] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problem: str | None = None  # why the folder itself cannot be read (it is not named here)


def shown(text: str) -> str:
    """A file name as a person can read it: bytes that are not UTF-8 become \\xNN."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_text(name: str) -> bool:
    """True when a name decoded from the file system is valid UTF-8 text."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def listing(folder: Path, suffixes: Iterable[str]) -> Listing:
    """Every entry in `folder` whose name ends in one of `suffixes` (any case), sorted by name.

    Hidden and editor files (".x", "~x") and other endings are passed over in silence; a
    missing folder is an empty one.
    """
    endings = tuple(s.lower() for s in suffixes)
    found = Listing()
    try:
        with os.scandir(folder) as it:
            entries = sorted(
                (e for e in it if e.name.lower().endswith(endings) and e.name[0] not in ".~"),
                key=lambda e: e.name,
            )
    except FileNotFoundError:
        return found
    except NotADirectoryError:
        found.problem = "is not a folder; move it aside so a folder can be made there"
        return found
    except OSError as exc:
        found.problem = f"cannot be read ({_reason(exc)}); what it holds is left out"
        return found
    for entry in entries:
        st: os.stat_result | None = None
        if is_text(entry.name) and not entry.is_symlink():
            # The common case costs one stat and no Path: a poll of 5,000 files stays cheap.
            try:
                st = entry.stat()
            except OSError:
                st = None
        if st is not None and stat.S_ISREG(st.st_mode):
            found.files.append(Found(entry.path, entry.name, st.st_mtime_ns, st.st_size))
            continue
        item = Path(entry.path)
        why, st = checked(item)
        if st is None:
            found.skipped.append(Skipped(item, why or "cannot be read"))
        else:
            found.files.append(Found(entry.path, entry.name, st.st_mtime_ns, st.st_size))
    return found


def entry_problem(path: Path) -> str | None:
    """Why this entry is not a file that can be read safely, or None when it is one.

    Looks at the name and `os.stat` only: a pipe or device is never opened.
    """
    return checked(path)[0]


def checked(path: Path) -> tuple[str | None, os.stat_result | None]:
    """(why not, None) for an entry that is not a usable file, else (None, its stat): one stat."""
    if not is_text(path.name):
        fixed = path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        fixed = fixed.replace("\ufffd", "_")
        return f"its name is not UTF-8 text; rename it (for example to {fixed!r})", None
    try:
        st = os.stat(path)
    except OSError as exc:
        return _stat_problem(path, exc), None
    return _kind_problem(path, st.st_mode), (st if stat.S_ISREG(st.st_mode) else None)


def _kind_problem(path: Path, mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file; give it another name or move it"
    if stat.S_ISFIFO(mode):
        what = "a pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    else:
        what = "not a regular file"
    via = " (through a symbolic link)" if path.is_symlink() else ""
    return (
        f"is {what}{via}, not a saved file; it is never opened. Remove it or replace it with a file"
    )


def _stat_problem(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return (
            "is a symbolic link that leads back to itself (a loop); remove it or point it at a file"
        )
    if exc.errno == errno.ENOENT:
        if path.is_symlink():
            try:
                target = shown(os.readlink(path))
            except OSError:
                target = "?"
            return f"is a symbolic link to {target!r}, which is not there; remove it or restore the file"
        return "is no longer there"
    return f"cannot be read ({_reason(exc)})"


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__
