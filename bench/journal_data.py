"""A journal of ten years' daily practice, built fast, for measuring the History figures.

Used by bench/journal_stats.py, bench/offline.py and tests/test_journal_stats.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from companion.journal.db import connect

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
