"""Recording one practice as it happens: the run at the start, notes at once, the end at the end.

No method ever raises. The first failure (full disk, read-only folder, damaged file) switches
the recorder off and sets `notice`, one sentence the app shows once; the practice goes on.
A journal another program holds for a moment is not a failure: the writes wait, in order,
and go with the next call (progress comes every second); only at the end, after the full
busy timeout, does a journal still held switch the recorder off.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from companion.journal import checkin as checkin_scale
from companion.journal.db import (
    BUSY_TIMEOUT_MS,
    JournalError,
    classify,
    host_name,
    iso_from_unix,
    locked,
)

if TYPE_CHECKING:  # the model is only named here; importing it would slow `companion stats`
    from companion.practice.model import Practice


def notice_for(reason: str, path: Path) -> str:
    """The one sentence shown when a practice will not be remembered."""
    return f"This practice will not be remembered: {reason} ({path})."


class Recorder(Protocol):
    """What the app and the plain runner call while a practice runs."""

    notice: str | None

    def begin(
        self,
        practice: Practice,
        planned: float | None,
        *,
        course: str | None = None,
        day: int | None = None,
    ) -> None:
        """The practice starts."""
        ...

    def note(self, offset: float, label: str, key: str, segment: int, region: str | None) -> None:
        """A noting label was taken `offset` seconds into the practice."""
        ...

    def undo_note(self) -> None:
        """Take back the latest note of this run (the undo key in the practice screen)."""
        ...

    def progress(self, practised: float) -> None:
        """About once a second: practised seconds so far (also a heartbeat, so call it while paused)."""
        ...

    def end(self, practised: float, completed: bool) -> None:
        """The practice finished, or was ended early."""
        ...

    def checkin(self, when: str, value: int) -> None:
        """A check-in answer: when is "before" or "after", value 1..5 (see checkin.SCALE)."""
        ...

    def hold(self, offset: float, seconds: float) -> None:
        """A held breath that began `offset` seconds in lasted `seconds`."""
        ...

    def bells(self, seed: int, interval: list[float]) -> None:
        """The interval bell times this run drew at random, and the seed they came from."""
        ...


class NullRecorder:
    """A recorder that remembers nothing; `notice` says why (None when that is intended)."""

    def __init__(self, notice: str | None = None) -> None:
        self.notice = notice

    def begin(
        self,
        practice: Practice,
        planned: float | None,
        *,
        course: str | None = None,
        day: int | None = None,
    ) -> None:
        """Nothing to do."""

    def note(self, offset: float, label: str, key: str, segment: int, region: str | None) -> None:
        """Nothing to do."""

    def undo_note(self) -> None:
        """Nothing to do."""

    def progress(self, practised: float) -> None:
        """Nothing to do."""

    def end(self, practised: float, completed: bool) -> None:
        """Nothing to do."""

    def checkin(self, when: str, value: int) -> None:
        """Nothing to do."""

    def hold(self, offset: float, seconds: float) -> None:
        """Nothing to do."""

    def bells(self, seed: int, interval: list[float]) -> None:
        """Nothing to do."""


def file_hash(path: Path | None) -> str | None:
    """sha256 of the practice file's bytes, or None when there is no readable file."""
    if path is None:
        return None
    import hashlib  # here, not at the top: only a starting practice needs it

    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


RUN = object()  # in a waiting write's arguments: this run's id, known once its row is written
WAIT_MS = 100  # how long one call waits for a journal another program holds (the UI waits too)


class SqliteRecorder:
    """Writes one run to the journal; each call is one short autocommitted statement."""

    def __init__(
        self,
        connect: Callable[[], sqlite3.Connection],
        path: Path,
        *,
        wall: Callable[[], float] = time.time,
        wait_ms: int = WAIT_MS,
        last_wait_ms: int = BUSY_TIMEOUT_MS,
    ) -> None:
        self.notice: str | None = None
        self._connect = connect
        self._path = path
        self._wall = wall
        self._wait_ms = wait_ms
        self._last_wait_ms = last_wait_ms
        self._db: sqlite3.Connection | None = None
        self._run_id: int | None = None
        self._begun = False
        self._before: int | None = None
        self._ended = False
        # Writes not yet in the file because another program held it: (sql, args, kind).
        self._waiting: list[tuple[str, tuple[object, ...], str]] = []

    # One place catches every failure, so no call can reach the user as a traceback.
    def _write(self, sql: str, args: tuple[object, ...], kind: str = "") -> None:
        if self.notice is not None:
            return
        if kind == "progress" and self._waiting and self._waiting[-1][2] == "progress":
            self._waiting[-1] = (sql, args, kind)  # only the newest heartbeat matters
        else:
            self._waiting.append((sql, args, kind))
        self._flush(last=kind == "end")

    def _flush(self, *, last: bool = False) -> None:
        """Write what waits, oldest first; a held journal leaves the rest for the next call."""
        while self._waiting and self.notice is None:
            sql, args, kind = self._waiting[0]
            try:
                if self._db is None:
                    self._db = self._connect()
                    self._db.execute(f"PRAGMA busy_timeout = {self._wait_ms}")
                if last:
                    self._db.execute(f"PRAGMA busy_timeout = {self._last_wait_ms}")
                cur = self._db.execute(sql, tuple(self._run_id if a is RUN else a for a in args))
            except Exception as exc:
                if not last and isinstance(exc, sqlite3.OperationalError) and locked(exc):
                    return  # held by another program for now: tried again with the next call
                self._fail(exc)
                return
            if kind == "begin":
                self._run_id = cur.lastrowid
            self._waiting.pop(0)

    def _fail(self, exc: BaseException) -> None:
        reason = exc.reason if isinstance(exc, JournalError) else classify(exc)
        self.notice = notice_for(reason, self._path)
        self._waiting.clear()
        if self._db is not None:
            with contextlib.suppress(Exception):
                self._db.close()
            self._db = None

    def begin(
        self,
        practice: Practice,
        planned: float | None,
        *,
        course: str | None = None,
        day: int | None = None,
    ) -> None:
        """Write the run row, status 'running'."""
        import uuid

        now = self._wall()
        # The day and offset where the person is now: a later time-zone change, daylight
        # saving or clock change never moves this practice to another day.
        local = datetime.fromtimestamp(now).astimezone()
        offset = local.utcoffset()
        minutes = None if offset is None else round(offset.total_seconds() / 60)
        self._begun = True
        self._ended = False
        self._write(
            "INSERT INTO runs (uuid, practice_id, title, file_hash, course, day, planned, "
            "practised, started_at, status, heartbeat, pid, host, local_date, checkin_before, "
            "utc_offset) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 'running', ?, ?, ?, ?, ?, ?)",
            (
                str(uuid.uuid4()),
                practice.id,
                practice.title,
                file_hash(practice.path),
                course,
                day,
                planned,
                iso_from_unix(now),
                now,
                os.getpid(),
                host_name(),
                local.date().isoformat(),
                self._before,
                minutes,
            ),
            "begin",
        )

    def note(self, offset: float, label: str, key: str, segment: int, region: str | None) -> None:
        """Write one note at once."""
        if not self._begun:
            return
        self._write(
            "INSERT INTO notes (run_id, offset, label, key, segment, region) VALUES (?, ?, ?, ?, ?, ?)",
            (RUN, float(offset), label, key, int(segment), region),
            "note",
        )

    def undo_note(self) -> None:
        """Delete this run's latest note (notes are written in order, so it is the one undone)."""
        if not self._begun:
            return
        notes = [i for i, (_, _, kind) in enumerate(self._waiting) if kind == "note"]
        if notes:  # still waiting to be written: it never will be
            del self._waiting[notes[-1]]
            return
        self._write(
            "DELETE FROM notes WHERE id = (SELECT MAX(id) FROM notes WHERE run_id = ?)", (RUN,)
        )

    def progress(self, practised: float) -> None:
        """Update practised seconds and the heartbeat (and heal a run wrongly closed by another app)."""
        if not self._begun or self._ended:
            return
        self._write(
            "UPDATE runs SET practised = ?, heartbeat = ?, status = 'running', ended_at = NULL "
            "WHERE id = ?",
            (max(0.0, float(practised)), self._wall(), RUN),
            "progress",
        )

    def end(self, practised: float, completed: bool) -> None:
        """Close the run as completed or ended early (the first end wins).

        What still waits is written now, waiting up to the whole busy timeout for the journal.
        """
        if not self._begun or self._ended:
            return
        self._ended = True
        self._write(
            "UPDATE runs SET practised = ?, heartbeat = ?, ended_at = ?, status = ? WHERE id = ?",
            (
                max(0.0, float(practised)),
                self._wall(),
                iso_from_unix(self._wall()),
                "completed" if completed else "ended early",
                RUN,
            ),
            "end",
        )

    def checkin(self, when: str, value: int) -> None:
        """Keep a check-in: before the run starts it waits for begin(), after it updates the run."""
        if not checkin_scale.valid(when, value):
            return
        if when == "before" and not self._begun:
            self._before = value
            return
        if not self._begun:
            return
        column = "checkin_before" if when == "before" else "checkin_after"
        # After the end: the end has waited already, so this one may wait as long.
        kind = "end" if self._ended else ""
        self._write(f"UPDATE runs SET {column} = ? WHERE id = ?", (value, RUN), kind)

    def hold(self, offset: float, seconds: float) -> None:
        """Write one held breath at once."""
        if not self._begun:
            return
        self._write(
            "INSERT INTO holds (run_id, offset, seconds) VALUES (?, ?, ?)",
            (RUN, float(offset), max(0.0, float(seconds))),
        )

    def bells(self, seed: int, interval: list[float]) -> None:
        """Keep the drawn interval times with the run."""
        if not self._begun:
            return
        import json

        text = json.dumps({"seed": seed, "interval": [round(t, 3) for t in interval]})
        self._write("UPDATE runs SET bells = ? WHERE id = ?", (text, RUN))

    def close(self) -> None:
        """Let go of the connection."""
        if self._db is not None:
            with contextlib.suppress(Exception):
                self._db.close()
            self._db = None
