"""Builders shared by the journal tests: practices from TOML, journals with known runs."""

from __future__ import annotations

import sqlite3
import tomllib
import uuid
from datetime import date

# The ten-year journal lives with the benchmark that measures it; the stats tests use it too.
from bench.journal_data import LABELS, REGIONS, ten_years
from companion.practice.load import parse_practice
from companion.practice.model import Practice

__all__ = ["LABELS", "REGIONS", "add_run", "practice", "ten_years"]

SCAN_TOML = """
title = "Short scan"
[bells]
start_strikes = 1
end_strikes = 1
[[segment]]
kind = "settle"
duration = "10s"
[[segment]]
kind = "body_scan"
duration = "40s"
regions = ["head", "shoulders", "hands", "feet"]
"""

BREATH_TOML = """
title = "Short breath"
[[segment]]
kind = "breath"
duration = "20s"
pattern = { in = 4, out = 4 }
"""


def practice(text: str = SCAN_TOML, practice_id: str = "t") -> Practice:
    """A practice from inline TOML (sound names unchecked)."""
    return parse_practice(tomllib.loads(text), path="t.toml", practice_id=practice_id, sounds=None)


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
