"""What the last run read from each practice file, kept so the next one need not parse it again.

Parsing the TOML of the forty-odd practice files was most of the home screen's wait to read
its library before the first frame (issue 18), yet they rarely change between runs.
`TomlCache` keeps each file's parsed TOML under what identifies that version of the file
without reading it: its path and what `os.stat` says (inode, size, modification and change
times). Checking the data and building the practice still happen every time, so a cached
file gets exactly the same checks, problems and practice as a file read afresh.

The cache is plain JSON (nothing in it is ever evaluated or unpickled), and only ever a
shortcut: a file that is missing, damaged or from another version of companion or Python
is ignored and written again; deleting it is always safe. Data JSON cannot hold exactly
(TOML dates, a NaN) is not kept. A file modified in the last two seconds is read but not
kept: a second save within one tick of the file system's clock could keep the same size and
times with new words (git's "racy clean" entries). Only this cache file is ever written,
never a practice file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import companion

CACHE_NAME = "practices.json"
BIG_FILES = "big-practices"  # one cache file each for big files read alone (`run FILE`)
BIG = 32 * 1024  # bytes: below this a file parses faster than a cache of it is found and read
BIG_KEPT = 16  # big files kept at most: the oldest cache files go first
FORMAT = 1  # bump when what is kept changes shape
RACY_SECONDS = 2.0  # files modified this recently are read every time, never kept

Data = dict[str, Any]


def stamp() -> str:
    """What else the kept data depends on: this format, companion's and Python's versions."""
    return f"{FORMAT} {companion.__version__} {sys.version}"


def key_of(path: Path, st: os.stat_result) -> str:
    """What identifies one version of a file, from one stat (a JSON object key)."""
    return f"{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {path}"


def _settled(key: str, before_ns: int) -> bool:
    _, _, mtime, ctime, _ = key.split(" ", 4)
    return max(int(mtime), int(ctime)) < before_ns


class TomlCache:
    """Parsed TOML of practice files by file version; saved only when something changed."""

    def __init__(self, file: Path, kept: dict[str, Data]) -> None:
        self.file = file
        self._kept = kept
        self._used: dict[str, Data] = {}  # what this run read: the next cache holds only it
        self._fresh: set[str] = set()  # read from the file this time, not from the cache
        self.hits = 0
        self.misses = 0

    @classmethod
    def open(cls, cache_dir: Path) -> TomlCache:
        """The cache in a cache folder; empty if missing, damaged or from other versions."""
        file = cache_dir / CACHE_NAME
        return cls(file, _read(file))

    def data(self, key: str, read: Callable[[], Data]) -> Data:
        """The kept data of this version of a file, or read it now (and keep it)."""
        found = self._kept.get(key)
        if found is None:
            self.misses += 1
            found = read()
            self._fresh.add(key)
        else:
            self.hits += 1
        self._used[key] = found
        return found

    def save(self, now: float | None = None) -> None:
        """Write what this run read, if it differs from what was there (never raises)."""
        before_ns = int(((time.time() if now is None else now) - RACY_SECONDS) * 1e9)
        keep = {
            k: v
            for k, v in self._used.items()
            if _settled(k, before_ns) and (k not in self._fresh or _exact_in_json(v))
        }
        # Equal keys are equal data: a key is one version of one file.
        if keep.keys() == self._kept.keys():
            return
        import json  # here: `companion run ID` imports this module, and needs json only for big files

        try:
            text = json.dumps({"stamp": stamp(), "files": keep}, ensure_ascii=False)
        except ValueError:
            return
        if write_cache_file(self.file, text):
            self._kept = keep


def write_cache_file(file: Path, text: str) -> bool:
    """Write a cache file whole (a side file renamed over it); False when it cannot be written.

    Never raises: a cache not written is only slower. No backup and no fsync, unlike a user's
    file (practice/save.py): anything lost here is made again.
    """
    with contextlib.suppress(OSError, ValueError):
        file.parent.mkdir(parents=True, exist_ok=True)
        part = file.with_name(f".{file.name}.{os.getpid()}")
        try:
            part.write_text(text, encoding="utf-8")
            os.replace(part, file)
        finally:
            part.unlink(missing_ok=True)
        return True
    return False


def big_file_data(path: Path, cache_dir: Path, now: float | None = None) -> Data | None:
    """A big practice file's parsed TOML, from a cache file of its own while it is unchanged.

    For a file read alone (`companion run FILE` or an id): a dense file of a few hundred
    kilobytes took about 60 ms to parse before its first frame (bench/dense.py). None for
    small or unusual files: the caller reads them as usual (and reports their problems).
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    if st.st_size < BIG or not stat.S_ISREG(st.st_mode):
        return None
    import hashlib  # only here: its import costs more than a small file's parse

    name = hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    folder = cache_dir / BIG_FILES
    file = folder / f"{name}.json"
    cache = TomlCache(file, _read(file))
    try:
        from companion.practice.syntax import read_toml

        data = cache.data(key_of(path, st), lambda: read_toml(path))
    except Exception:  # its problems are said by the usual reading
        return None
    if cache.misses:
        cache.save(now)
        _forget_oldest(folder)
    return data


def _forget_oldest(folder: Path) -> None:
    with contextlib.suppress(OSError):
        kept = sorted(folder.glob("*.json"), key=lambda f: f.stat().st_mtime_ns)
        for old in kept[:-BIG_KEPT]:
            old.unlink(missing_ok=True)


def _exact_in_json(data: Data) -> bool:
    """True when JSON gives back exactly this data (no dates, no NaN)."""
    import json

    try:
        return bool(json.loads(json.dumps(data)) == data)
    except (TypeError, ValueError):
        return False


def _read(file: Path) -> dict[str, Data]:
    """The kept data, or nothing when the file is missing, damaged or from other versions."""
    import json

    try:
        kept = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, unreadable, not UTF-8, not JSON
        return {}
    if not isinstance(kept, dict) or kept.get("stamp") != stamp():
        return {}
    files = kept.get("files")
    if not isinstance(files, dict):
        return {}
    return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, dict)}
