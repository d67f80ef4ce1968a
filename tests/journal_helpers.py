"""Builders shared by the journal tests: practices from TOML, journals with known runs."""

from __future__ import annotations

import sqlite3
import tomllib
import uuid
from datetime import date, timedelta
from pathlib import Path

from companion.journal.store import connect
from companion.practice.load import parse_practice
from companion.practice.model import Practice

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


LABELS = ("thinking", "hearing", "feeling", "planning", "remembering", "seeing", "judging")
REGIONS = ("head", "shoulders", "chest", "belly", "hands", "feet")


def ten_years(path: Path, today: date, *, runs: int = 3650, notes: int = 100_000) -> None:
    """A journal of daily practice for ten years up to today, built in one bulk transaction."""
    db = connect(path)
    try:
        db.execute("BEGIN")
        run_rows = []
        for i in range(runs):
            day = today - timedelta(days=runs - 1 - i)
            course = "foundations" if i < 10 else None
            run_rows.append(
                (f"00000000-0000-0000-0000-{i:012d}", f"p{i % 7}", f"Practice {i % 7}", course,
                 i + 1 if course else None, 600.0, 600.0 if i % 10 else 300.0,
                 f"{day.isoformat()}T07:00:00Z", f"{day.isoformat()}T07:10:00Z",
                 "completed" if i % 10 else "ended early", day.isoformat(),
                 2 + i % 3 if i % 4 == 0 else None, 4 if i % 4 == 0 else None)
            )  # fmt: skip
        db.executemany(
            "INSERT INTO runs (uuid, practice_id, title, course, day, planned, practised, "
            "started_at, ended_at, status, local_date, checkin_before, checkin_after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            run_rows,
        )
        db.executemany(
            "INSERT INTO notes (run_id, offset, label, key, segment, region) VALUES (?, ?, ?, ?, ?, ?)",
            (
                (1 + n % runs, float(n % 600), LABELS[n % len(LABELS)], "k", n % 3,
                 REGIONS[(n // 3) % len(REGIONS)] if n % 3 == 0 else None)
                for n in range(notes)
            ),
        )  # fmt: skip
        db.execute("COMMIT")
        db.execute("PRAGMA optimize")
    finally:
        db.close()
