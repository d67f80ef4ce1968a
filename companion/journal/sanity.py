"""Rows edited by hand into nonsense: found, named, and left out of history and stats.

Pure. SQLite keeps whatever is written into a column (text in `practised`, a date in month
13), so every reader goes through two temporary views, `good_runs` and `good_notes`, that hold
only rows a companion could have written. The journal file itself is never changed here: the
views live in the connection's temporary schema.
"""

from __future__ import annotations

import sqlite3

MAX_SECONDS = 7 * 24 * 3600  # no practice lasts a week
_NUMBER = "IN ('integer', 'real')"

# (column, condition true for a sane value, what a sane value is)
RUN_CHECKS: tuple[tuple[str, str, str], ...] = (
    ("uuid", "typeof(uuid) = 'text'", "text"),
    ("practice_id", "typeof(practice_id) = 'text'", "text"),
    ("title", "typeof(title) = 'text'", "text"),
    (
        "started_at",
        "typeof(started_at) = 'text' AND julianday(started_at) IS NOT NULL",
        "a time like 2026-01-31T07:30:00Z",
    ),
    (
        "local_date",
        "local_date IS NULL OR (typeof(local_date) = 'text' AND date(local_date) IS local_date)",
        "a date like 2026-01-31",
    ),
    (
        "practised",
        f"typeof(practised) {_NUMBER} AND practised BETWEEN 0 AND {MAX_SECONDS}",
        "seconds, from 0 to a week",
    ),
    (
        "planned",
        f"planned IS NULL OR (typeof(planned) {_NUMBER} AND planned > 0 "
        f"AND planned <= {MAX_SECONDS})",
        "seconds, up to a week",
    ),
    (
        "status",
        "status IN ('completed', 'ended early', 'running')",
        "completed, ended early or running",
    ),
    ("course", "course IS NULL OR typeof(course) = 'text'", "text"),
    (
        "utc_offset",
        "utc_offset IS NULL OR (typeof(utc_offset) = 'integer' AND utc_offset BETWEEN -1080 AND 1080)",
        "minutes east of UTC",
    ),
    (
        "day",
        "day IS NULL OR (typeof(day) = 'integer' AND day BETWEEN 1 AND 1000)",
        "a day number",
    ),
    (
        "checkin_before",
        "checkin_before IS NULL OR (typeof(checkin_before) = 'integer' "
        "AND checkin_before BETWEEN 1 AND 5)",
        "1 to 5",
    ),
    (
        "checkin_after",
        "checkin_after IS NULL OR (typeof(checkin_after) = 'integer' "
        "AND checkin_after BETWEEN 1 AND 5)",
        "1 to 5",
    ),
)
# Only what history and stats show of a note: a note's offset or segment edited into
# nonsense harms nothing there, and checking them too cost another 20 ms per ten years.
NOTE_CHECKS: tuple[tuple[str, str, str], ...] = (
    ("label", "typeof(label) = 'text'", "text"),
    ("region", "region IS NULL OR typeof(region) = 'text'", "text"),
)
SANE_RUN = " AND ".join(f"({check})" for _, check, _ in RUN_CHECKS)
SANE_NOTE = " AND ".join(f"({check})" for _, check, _ in NOTE_CHECKS)
MAX_NAMED = 10  # bad rows named one by one before "and N more"


def install_views(db: sqlite3.Connection) -> None:
    """(Re)create the temporary good_runs and good_notes views on this connection.

    The ids of bad rows are found in one scan of each table. With none (the usual case) the
    views are the tables themselves, so every index still serves the stats; filtering inside
    the views always made stats over a ten-year journal ten times slower (20 ms to 200 ms).
    """
    bad_runs = [r for (r,) in db.execute(f"SELECT id FROM main.runs WHERE NOT ({SANE_RUN})")]
    bad_notes = [n for (n,) in db.execute(f"SELECT id FROM main.notes WHERE NOT ({SANE_NOTE})")]
    db.execute("DROP VIEW IF EXISTS temp.good_runs")
    db.execute("DROP VIEW IF EXISTS temp.good_notes")
    runs_where = notes_where = ""
    if bad_runs or bad_notes:
        # Ids are integers from SQLite itself, so writing them into the SQL is safe.
        runs_list = ",".join(str(int(r)) for r in bad_runs)
        notes_list = ",".join(str(int(n)) for n in bad_notes)
        runs_where = f" WHERE id NOT IN ({runs_list})"
        notes_where = f" WHERE run_id NOT IN ({runs_list}) AND id NOT IN ({notes_list})"
    db.execute(f"CREATE TEMP VIEW good_runs AS SELECT * FROM main.runs{runs_where}")
    db.execute(f"CREATE TEMP VIEW good_notes AS SELECT * FROM main.notes{notes_where}")


def bad_rows(db: sqlite3.Connection) -> list[str]:
    """One line per row left out (the first MAX_NAMED, then how many more), naming the column."""
    found: dict[tuple[str, int], list[str]] = {}
    for table, checks in (("runs", RUN_CHECKS), ("notes", NOTE_CHECKS)):
        for column, check, wanted in checks:
            for (row_id,) in db.execute(f"SELECT id FROM main.{table} WHERE NOT ({check})"):
                found.setdefault((table, int(row_id)), []).append(f"{column} is not {wanted}")
    keys = sorted(found)
    lines = [
        f"journal {table} row {row_id}: {'; '.join(found[(table, row_id)])}; left out"
        for table, row_id in keys[:MAX_NAMED]
    ]
    if len(keys) > MAX_NAMED:
        lines.append(f"(and {len(keys) - MAX_NAMED} more rows left out)")
    return lines
