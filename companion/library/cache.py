"""What the last run read from each practice file, kept so the next one need not read it again.

Reading and checking the forty-odd practice files was the largest part of the home screen's
wait before its first frame (about 25 ms of 100; issue 18), yet they rarely change between
runs. `PracticeCache` keeps each file's outcome (its practice, or its problems) under what
identifies that version of the file without reading it: its path, where it came from, and
what `os.stat` says (inode, size, modification and change times). Anything else the outcome
depends on goes into one stamp for the whole cache: the code that reads practices, the
sound names a practice may use, and Python's version; a different stamp ignores the cache.

The cache is only ever a shortcut. A file that cannot be read, is damaged or came from
another version is ignored and written again; deleting it is always safe. A file modified
in the last two seconds is read but not kept (a second save within the file system's clock
tick could keep the same stamp with new words, as git's "racy clean" entries). Only this
user's cache folder is written, never the practice files.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import time
from collections.abc import Callable, Collection
from pathlib import Path

import companion
from companion.paths import PACKAGE_DIR, Paths
from companion.practice.errors import Problem
from companion.practice.model import Practice

CACHE_NAME = "practices.pickle"
FORMAT = 1  # bump when what is kept changes shape
RACY_SECONDS = 2.0  # files modified this recently are read every time, never kept
# The modules whose code decides what a file becomes: a change to any of them (a new check,
# a new field) must not be answered from a cache written by the old code.
READERS = ("practice", "library")

Key = tuple[str, str, int, int, int, int]  # path, source, inode, size, mtime_ns, ctime_ns
Outcome = tuple[Practice | None, tuple[Problem, ...]]


def code_stamp() -> str:
    """What identifies the code that reads practices, without reading its files."""
    parts = [f"{FORMAT} {companion.__version__} {sys.version}"]
    for name in READERS:
        folder = PACKAGE_DIR / name
        with contextlib.suppress(OSError):
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    st = entry.stat()
                    parts.append(f"{name}/{entry.name} {st.st_size} {st.st_mtime_ns}")
    return "\n".join(parts)


def stamp_for(sounds: Collection[str]) -> str:
    """The cache's stamp: the code, and the sounds and soundscapes a practice may name."""
    soundscapes = getattr(sounds, "soundscapes", None)
    # Kept whole, not hashed: a few kilobytes, and hashlib alone costs more to import.
    return "\n".join([code_stamp(), ",".join(sorted(sounds)), ",".join(sorted(soundscapes or ()))])


def key_of(path: Path, source: str, st: os.stat_result) -> Key:
    """What identifies one version of a file, from one stat."""
    return (str(path), source, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class PracticeCache:
    """Outcomes of reading practice files, by file version; saved only when something changed."""

    def __init__(self, file: Path | None, stamp: str, kept: dict[Key, Outcome]) -> None:
        self.file = file
        self.stamp = stamp
        self._kept = kept
        self._used: dict[Key, Outcome] = {}  # what this run read: the next cache holds only it
        self.hits = 0
        self.misses = 0

    @classmethod
    def open(cls, paths: Paths, sounds: Collection[str]) -> PracticeCache:
        """The cache in the user's cache folder; empty if missing, damaged or out of date."""
        file = paths.cache_dir / CACHE_NAME
        stamp = stamp_for(sounds)
        return cls(file, stamp, _read(file, stamp))

    def outcome(self, key: Key, read: Callable[[], Outcome]) -> Outcome:
        """The kept outcome for this version of a file, or read it now (and keep it)."""
        found = self._kept.get(key)
        if found is None:
            self.misses += 1
            found = read()
        else:
            self.hits += 1
        self._used[key] = found
        return found

    def save(self, now: float | None = None) -> None:
        """Write what this run read, if it differs from what was there (never raises)."""
        settled = time.time() - RACY_SECONDS if now is None else now - RACY_SECONDS
        keep = {k: v for k, v in self._used.items() if max(k[4], k[5]) / 1e9 < settled}
        # Equal keys are equal outcomes (a key is a file's version under the same stamp).
        if self.file is None or keep.keys() == self._kept.keys():
            return
        with contextlib.suppress(Exception):  # a cache that cannot be written is only slower
            self.file.parent.mkdir(parents=True, exist_ok=True)
            part = self.file.with_name(f".{self.file.name}.{os.getpid()}")
            try:
                part.write_bytes(pickle.dumps((FORMAT, self.stamp, keep), pickle.HIGHEST_PROTOCOL))
                os.replace(part, self.file)
            finally:
                part.unlink(missing_ok=True)
            self._kept = keep


def _read(file: Path, stamp: str) -> dict[Key, Outcome]:
    """The kept outcomes, or nothing when the file is missing, damaged or from other code."""
    try:
        data = file.read_bytes()
        # Only this user can write here (the same as their own config and practices), so
        # unpickling it trusts nothing new; anything odd in it just means "read the files".
        form, kept_stamp, kept = pickle.loads(data)
    except Exception:
        return {}
    if form != FORMAT or kept_stamp != stamp or not isinstance(kept, dict):
        return {}
    return kept
