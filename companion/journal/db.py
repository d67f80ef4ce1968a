"""The journal's SQLite file: opening it safely, its schema and the migrations between versions.

Pure: the standard library only. WAL mode and a busy timeout let two open apps record at
once; every write is one short statement so neither holds the lock for long.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

SCHEMA_VERSION = 4
BUSY_TIMEOUT_MS = 5000
SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_FRACTIONS = b"\x40\x20\x20"
# A running run from another machine whose heartbeat is older than this is treated as
# abandoned. The owner heals a wrong guess: its next progress() marks the run running again.
STALE_SECONDS = 10.0

# SQLite result codes (sqlite3.Error.sqlite_errorcode & 0xFF) that mean "not our file".
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_FULL_CODES = {13}  # SQLITE_FULL
_READONLY_CODES = {8, 14}  # SQLITE_READONLY, SQLITE_CANTOPEN


class JournalError(Exception):
    """The journal cannot be used; the message says why, naming the file, in one sentence."""

    def __init__(self, reason: str, path: Path) -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{reason} ({path})")


class FutureJournal(JournalError):
    """The file was written by a newer companion; it is left exactly as it is."""


class CorruptJournal(JournalError):
    """The file is not a SQLite database, or a damaged one."""


def _v1(db: sqlite3.Connection) -> None:
    """The first schema: runs and their notes."""
    db.execute(
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            practice_id TEXT NOT NULL,
            title TEXT NOT NULL,
            file_hash TEXT,
            course TEXT,
            day INTEGER,
            planned REAL,
            practised REAL NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL,
            heartbeat REAL,
            pid INTEGER,
            host TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            offset REAL NOT NULL,
            label TEXT NOT NULL,
            key TEXT NOT NULL DEFAULT '',
            segment INTEGER NOT NULL DEFAULT 0,
            region TEXT
        )"""
    )
    db.execute("CREATE INDEX notes_run ON notes(run_id)")
    db.execute("CREATE INDEX runs_status ON runs(status)")


def _v2(db: sqlite3.Connection) -> None:
    """Check-ins, the local day of each run, and the indexes the stats read."""
    db.execute("ALTER TABLE runs ADD COLUMN local_date TEXT")
    db.execute("ALTER TABLE runs ADD COLUMN checkin_before INTEGER")
    db.execute("ALTER TABLE runs ADD COLUMN checkin_after INTEGER")
    # A v1 file only knew UTC start times; the local day as this machine sees it is the
    # best guess for "which day did I practise".
    db.execute(
        "UPDATE runs SET local_date = date(started_at, 'localtime') WHERE local_date IS NULL"
    )
    db.execute("CREATE INDEX runs_day ON runs(local_date, practised)")
    db.execute("CREATE INDEX runs_practice ON runs(practice_id)")
    db.execute("CREATE INDEX runs_course ON runs(course, day) WHERE course IS NOT NULL")
    db.execute("DROP INDEX notes_run")
    db.execute("CREATE INDEX notes_run ON notes(run_id, label)")
    db.execute("CREATE INDEX notes_label ON notes(label)")
    db.execute("CREATE INDEX notes_region ON notes(region, label) WHERE region IS NOT NULL")


def _v3(db: sqlite3.Connection) -> None:
    """The UTC offset each run began at, so its local time is right after any time change."""
    # Minutes east of UTC. Older runs have none: they show their local day as before.
    db.execute("ALTER TABLE runs ADD COLUMN utc_offset INTEGER")


def _v4(db: sqlite3.Connection) -> None:
    """Each held breath of a run (retention rounds), and the bells a run drew at random."""
    db.execute(
        """CREATE TABLE holds (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            offset REAL NOT NULL,
            seconds REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX holds_run ON holds(run_id)")
    # JSON {"seed": n, "interval": [seconds, ...]} when the interval was a range; else NULL.
    db.execute("ALTER TABLE runs ADD COLUMN bells TEXT")


# MIGRATIONS[n] takes a file at version n to version n + 1.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _v1, 1: _v2, 2: _v3, 3: _v4}


def now_iso() -> str:
    """The wall time now, ISO 8601 in UTC to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_from_unix(seconds: float) -> str:
    """A unix time as ISO 8601 UTC."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def locked(exc: BaseException) -> bool:
    """True when the error is another connection holding the file (SQLITE_BUSY or _LOCKED).

    What this says is held is what `classify` reports as held, and what the recorder and
    `use_wal` wait for rather than give up on.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
        return True
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def classify(exc: BaseException) -> str:
    """A short reason a person understands for a database or file error."""
    code = getattr(exc, "sqlite_errorcode", None)
    base = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if base in _FULL_CODES or "disk is full" in text or "no space" in text:
        return "the disk is full"
    if base in _READONLY_CODES or "readonly" in text or "read-only" in text:
        return "the journal folder is read-only"
    if isinstance(exc, PermissionError) or "permission" in text:
        return "the journal folder is read-only"
    if base in _CORRUPT_CODES or "not a database" in text or "malformed" in text:
        return "the journal file is damaged"
    if locked(exc):
        return "another program held the journal for too long"
    return f"the journal could not be written ({exc})"


def is_corrupt(exc: BaseException) -> bool:
    """True when the error means the file is not a usable database."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _CORRUPT_CODES:
        return True
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def header_version(path: Path) -> int | None:
    """The schema version in the file's header without opening it in SQLite (None: no file).

    Raises CorruptJournal when the bytes are not a SQLite database.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except FileNotFoundError:
        return None
    if not head:
        return None  # an empty file is what SQLite itself would make; treat it as new
    # Bytes 21-23 (payload fractions) are 64, 32, 32 in every SQLite file. Checking them keeps
    # a damaged header, whose version field may read as any number, from passing for a file
    # written by a newer companion (refused and kept) instead of a damaged one (moved aside).
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC) or head[21:24] != SQLITE_FRACTIONS:
        raise CorruptJournal("the journal file is not a journal database", path)
    # PRAGMA user_version lives at byte 60 of the header, big-endian.
    return int.from_bytes(head[60:64], "big", signed=True)


def _refuse_future(version: int, path: Path) -> None:
    if version > SCHEMA_VERSION:
        raise FutureJournal(
            f"the journal was written by a newer companion (schema {version}, this one "
            f"reads up to {SCHEMA_VERSION}); update companion to use it, the file is left as it is",
            path,
        )


def connect(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (and create or migrate) the journal; raises JournalError subclasses or sqlite3.Error."""
    version = header_version(path)
    if version is not None:
        _refuse_future(version, path)
    if version is None and not create:
        raise JournalError("there is no journal yet", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Read the version through SQLite as well: the header can lag behind a WAL file.
        current = int(db.execute("PRAGMA user_version").fetchone()[0])
        _refuse_future(current, path)
        use_wal(db)
        # NORMAL in WAL mode survives a killed process (only power loss may lose the tail).
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if current < SCHEMA_VERSION:
            migrate(db, path)
    except BaseException:
        db.close()
        raise
    return db


def use_wal(
    db: sqlite3.Connection,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Put the file in WAL mode, waiting up to the busy timeout for another process doing it too.

    Two apps opening a journal that does not exist yet both switch the new file to WAL. SQLite
    answers the second "database is locked" at once, without its busy handler, when waiting
    could deadlock (the first holds the write lock of the switch); that cost a whole practice
    its record. So the switch is tried again here, reading the mode each time: usually the
    other process has finished it a few milliseconds later.
    """
    deadline = clock() + BUSY_TIMEOUT_MS / 1000
    pause = 0.002
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not locked(exc) or clock() >= deadline:
                raise
        sleep(pause)
        pause = min(pause * 2, 0.1)


def migrate(db: sqlite3.Connection, path: Path, target: int = SCHEMA_VERSION) -> None:
    """Bring the file up to `target`, one version at a time, each step in its own transaction."""
    while True:
        db.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            current = int(db.execute("PRAGMA user_version").fetchone()[0])
            _refuse_future(current, path)
            if current >= target:
                db.execute("COMMIT")
                return
            MIGRATIONS[current](db)
            db.execute(f"PRAGMA user_version = {current + 1}")
            db.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back (a full disk does); keep the first error.
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise


def move_aside(path: Path) -> Path:
    """Rename a damaged journal (and its WAL files) to journal.sqlite3.corrupt-<time>; never delete."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target


def process_alive(pid: int) -> bool:
    """True when a process with this id exists on this machine and is not a zombie."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return True  # cannot ask without sending Ctrl+C (os.kill's signal 0 there): assume so
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    # The state letter follows the command name in parentheses; Z means already dead.
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


@functools.cache
def host_name() -> str:
    """This machine's name, to tell our own dead processes from another machine's runs."""
    import socket

    return socket.gethostname()


def process_started(pid: int) -> float | None:
    """When a process started, as unix time (None when this system cannot say)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        ticks = float(stat.rsplit(")", 1)[-1].split()[19])
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, StopIteration, ValueError, IndexError, AttributeError):  # not Linux
        return None


def _unix(iso: object) -> float | None:
    try:
        return datetime.strptime(str(iso), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


def owner_gone(pid: object, host: object, started_at: object) -> bool | None:
    """True when the process that began a run on this machine has ended; None: cannot tell."""
    if host != host_name() or not isinstance(pid, int):
        return None
    if pid == os.getpid():
        return False
    if sys.platform == "win32":
        return None  # os.kill(pid, 0) there sends Ctrl+C instead of asking: use the heartbeat
    if not process_alive(pid):
        return True
    # A live process with that id that started after the run began is a reused id.
    began, born = _unix(started_at), process_started(pid)
    return began is not None and born is not None and born > began + 2


def close_abandoned(db: sqlite3.Connection, *, now: float | None = None) -> int:
    """Close runs left 'running' by a process that has ended; returns how many were closed.

    On this machine the process id says for sure, so a practice paused for an hour in another
    terminal stays open. A run from another machine (a synced folder) or without a process id
    is closed once its heartbeat is older than STALE_SECONDS.
    """
    now = time.time() if now is None else now
    rows = db.execute(
        "SELECT id, heartbeat, pid, host, started_at FROM runs WHERE status = 'running'"
    ).fetchall()
    closed = 0
    for run_id, heartbeat, pid, host, started_at in rows:
        beat = float(heartbeat) if heartbeat is not None else 0.0
        gone = owner_gone(pid, host, started_at)
        if gone is None:
            gone = now - beat > STALE_SECONDS
        if gone:
            ended = iso_from_unix(beat) if beat else now_iso()
            cur = db.execute(
                "UPDATE runs SET status = 'ended early', ended_at = ? "
                "WHERE id = ? AND status = 'running'",
                (ended, run_id),
            )
            closed += cur.rowcount
    return closed
