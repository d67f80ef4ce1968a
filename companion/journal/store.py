"""One journal file: a recorder for each practice, the figures to look back, export and import.

`open_journal(paths)` never raises. When the journal cannot be used, its recorder remembers
nothing and carries `notice`, one sentence saying why, which the app shows once. The SQLite
file itself (schema, migrations, failures) is db.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from companion.journal.db import (
    CorruptJournal,
    JournalError,
    classify,
    close_abandoned,
    connect,
    is_corrupt,
    move_aside,
)
from companion.journal.history import RunRow, list_runs
from companion.journal.recorder import NullRecorder, Recorder, SqliteRecorder, notice_for
from companion.journal.stats import Stats, compute_stats
from companion.paths import Paths

if TYPE_CHECKING:
    pass


class Journal:
    """One journal file. `notice` is set when something needs saying (it was unusable, or moved)."""

    def __init__(
        self,
        path: Path,
        *,
        usable: bool = True,
        notice: str | None = None,
        reason: str | None = None,
    ) -> None:
        self.path = path
        self.usable = usable
        self.notice = notice
        # Why the file cannot be used (short); a moved-aside journal has a notice but records.
        self.reason = reason

    def recorder(self) -> Recorder:
        """A recorder for one practice (a NullRecorder with a notice when the journal is unusable)."""
        if not self.usable:
            return NullRecorder(self.notice)
        return SqliteRecorder(lambda: connect(self.path), self.path)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection for reading; raises JournalError with a reason when there is none."""
        if not self.usable:
            raise JournalError(self.reason or "the journal cannot be opened", self.path)
        try:
            db = connect(self.path)
        except JournalError:
            raise
        except (sqlite3.Error, OSError) as exc:
            raise JournalError(classify(exc), self.path) from None
        try:
            yield db
        except sqlite3.Error as exc:
            raise JournalError(classify(exc), self.path) from None
        finally:
            db.close()

    def stats(self, *, today: date | None = None, streak: bool = False) -> Stats:
        """Every figure for the History screen and `companion stats`; raises JournalError."""
        with self.read() as db:
            return compute_stats(db, today=today, streak=streak)

    def runs(self, limit: int | None = None) -> list[RunRow]:
        """Runs newest first; raises JournalError."""
        with self.read() as db:
            return list_runs(db, limit)

    def next_course_day(self, course: str) -> int:
        """The day of a course to do next: one after the highest day completed (1 to begin)."""
        try:
            with self.read() as db:
                row = db.execute(
                    "SELECT MAX(day) FROM runs WHERE course = ? AND status = 'completed'", (course,)
                ).fetchone()
        except JournalError:
            return 1
        return int(row[0]) + 1 if row and row[0] is not None else 1

    def export(self) -> dict[str, object]:
        """The whole journal as JSON-ready data; raises JournalError."""
        from companion.journal.export import export_journal

        with self.read() as db:
            return export_journal(db)


def open_journal(paths: Paths) -> Journal:
    """Open (create, migrate, tidy) the journal in the data folder; never raises."""
    path = paths.journal_file
    try:
        return _open(path)
    except Exception as exc:  # the promise: a practice never fails because of its journal
        reason = _reason_of(exc)
        return Journal(path, usable=False, notice=notice_for(reason, path), reason=reason)


def _reason_of(exc: BaseException) -> str:
    return exc.reason if isinstance(exc, JournalError) else classify(exc)


def _attempt(path: Path) -> None:
    db = connect(path)
    try:
        close_abandoned(db)
    finally:
        db.close()


def _open(path: Path) -> Journal:
    try:
        _attempt(path)
    except (CorruptJournal, sqlite3.DatabaseError) as exc:
        if not (isinstance(exc, CorruptJournal) or is_corrupt(exc)):
            raise
        # Keep the damaged file for whoever wants to rescue it, and start afresh.
        moved = move_aside(path)
        _attempt(path)
        return Journal(
            path,
            notice=f"The journal file could not be read, so it was moved aside to {moved} "
            "and a fresh journal started.",
        )
    return Journal(path)
