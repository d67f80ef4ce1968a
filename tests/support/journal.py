"""Journals with known runs: one run at a time, a small week worked out by hand, ten years."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date

# The ten-year journal lives with the benchmark that measures it; the stats tests use it too.
from bench.journal_data import LABELS, REGIONS, ten_years
from companion.journal import open_journal
from companion.journal.db import connect
from companion.paths import Paths

__all__ = ["LABELS", "REGIONS", "TODAY", "add_run", "small", "ten_years"]

TODAY = date(2026, 11, 25)  # a Wednesday; its week began on Monday 23 November


def add_run(
    db: sqlite3.Connection,
    day: date,
    *,
    practice_id: str = "box",
    title: str = "Box",
    minutes: float = 10.0,
    status: str = "completed",
    notes: list[tuple[str, str | None]] | None = None,
    course: str | None = None,
    course_day: int | None = None,
    checkin: tuple[int, int] | None = None,
) -> int:
    """Insert one finished run (and its notes) directly, the way a generated journal does."""
    cur = db.execute(
        "INSERT INTO runs (uuid, practice_id, title, course, day, planned, practised, started_at, "
        "ended_at, status, local_date, checkin_before, checkin_after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            str(uuid.uuid4()), practice_id, title, course, course_day, minutes * 60, minutes * 60,
            f"{day.isoformat()}T07:00:00Z", f"{day.isoformat()}T07:10:00Z", status,
            day.isoformat(), checkin[0] if checkin else None, checkin[1] if checkin else None,
        ),
    )  # fmt: skip
    run_id = int(cur.lastrowid or 0)
    db.executemany(
        "INSERT INTO notes (run_id, offset, label, key, segment, region) VALUES (?, ?, ?, ?, 0, ?)",
        [
            (run_id, float(i), label, label[0], region)
            for i, (label, region) in enumerate(notes or [])
        ],
    )
    return run_id


def small(paths: Paths) -> None:
    """Seven runs: two this week, two course days this month, one in October, one in August."""
    open_journal(paths)
    db = connect(paths.journal_file)
    try:
        add_run(db, date(2026, 11, 23), minutes=10, notes=[("thinking", None), ("thinking", None),
                                                             ("hearing", None)])  # fmt: skip
        add_run(db, date(2026, 11, 24), practice_id="scan", title="Body scan", minutes=20,
                notes=[("thinking", "head"), ("feeling", "shoulders"), ("feeling", "shoulders")],
                checkin=(2, 4))  # fmt: skip
        add_run(db, date(2026, 11, 24), minutes=5, status="ended early", checkin=(3, 4))
        add_run(db, date(2026, 11, 10), practice_id="arrive", title="Arriving", course="foundations",
                course_day=1)  # fmt: skip
        add_run(db, date(2026, 11, 11), practice_id="arrive", title="Arriving", course="foundations",
                course_day=2)  # fmt: skip
        add_run(db, date(2026, 10, 5), minutes=30)
        add_run(db, date(2026, 8, 1), practice_id="scan", title="Body scan", minutes=15)
    finally:
        db.close()
