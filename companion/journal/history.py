"""The list of runs, newest first, with how many notes of each label each one holds."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from companion.journal.sanity import install_views


@dataclass(frozen=True)
class RunRow:
    """One recorded practice, as `companion history` and the History screen list it."""

    uuid: str
    practice_id: str
    title: str
    started_at: str
    local_date: str | None
    planned: float | None
    practised: float
    status: str
    course: str | None = None
    day: int | None = None
    checkin_before: int | None = None
    checkin_after: int | None = None
    labels: dict[str, int] = field(default_factory=dict)
    utc_offset: int | None = None  # minutes east of UTC where the run began (None: older runs)
    holds: tuple[float, ...] = ()  # seconds of each held breath, in order (retention rounds)

    @property
    def local_time(self) -> str:
        """When the run began, as the clock on the wall read then ("07:30"); "" if unknown."""
        try:
            began = datetime.fromisoformat(self.started_at)
        except ValueError:
            return ""
        if began.tzinfo is None:
            began = began.replace(tzinfo=UTC)
        if self.utc_offset is None:
            return began.astimezone().strftime("%H:%M")  # older runs: today's zone, a best guess
        return began.astimezone(timezone(timedelta(minutes=self.utc_offset))).strftime("%H:%M")

    @property
    def note_count(self) -> int:
        """All notes taken in this run."""
        return sum(self.labels.values())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "uuid": self.uuid,
            "date": self.local_date,
            "started_at": self.started_at,
            "time": self.local_time,
            "utc_offset": self.utc_offset,
            "practice_id": self.practice_id,
            "title": self.title,
            "course": self.course,
            "day": self.day,
            "planned": self.planned,
            "practised": round(self.practised, 1),
            "status": self.status,
            "checkin_before": self.checkin_before,
            "checkin_after": self.checkin_after,
            "notes": self.note_count,
            "labels": self.labels,
            "holds": [round(h, 1) for h in self.holds],
        }


def list_runs(db: sqlite3.Connection, limit: int | None = None) -> list[RunRow]:
    """Runs newest first (all of them when limit is None); rows edited into nonsense left out."""
    install_views(db)
    rows = db.execute(
        "SELECT id, uuid, practice_id, title, started_at, local_date, planned, practised, status, "
        "course, day, checkin_before, checkin_after, utc_offset FROM good_runs ORDER BY started_at DESC, id DESC "
        "LIMIT ?",
        (-1 if limit is None else limit,),
    ).fetchall()
    labels: dict[int, dict[str, int]] = {row[0]: {} for row in rows}
    if rows:
        # One grouped query over just these runs; the (run_id, label) index answers it.
        ids = [row[0] for row in rows]
        where = "" if limit is None else f"WHERE run_id IN ({','.join('?' * len(ids))})"
        for run_id, label, count in db.execute(
            f"SELECT run_id, label, COUNT(*) AS c FROM good_notes {where} "
            "GROUP BY run_id, label ORDER BY run_id, c DESC, label",
            [] if limit is None else ids,
        ):
            if run_id in labels:
                labels[run_id][label] = count
    holds: dict[int, list[float]] = {row[0]: [] for row in rows}
    if rows:
        for run_id, seconds in db.execute(
            "SELECT run_id, seconds FROM holds ORDER BY run_id, offset, id"
        ):
            if run_id in holds and isinstance(seconds, int | float):
                holds[run_id].append(float(seconds))
    return [replace(_row(row, labels[row[0]]), holds=tuple(holds[row[0]])) for row in rows]


def _row(row: tuple[object, ...], labels: dict[str, int]) -> RunRow:
    (_, uuid, pid, title, started, local, planned, practised, status, course, day, before,
     after, offset) = row  # fmt: skip
    return RunRow(
        str(uuid), str(pid), str(title), str(started),
        local if isinstance(local, str) else None,
        float(planned) if isinstance(planned, int | float) else None,
        float(practised) if isinstance(practised, int | float) else 0.0,
        str(status),
        course if isinstance(course, str) else None,
        day if isinstance(day, int) else None,
        before if isinstance(before, int) else None,
        after if isinstance(after, int) else None,
        labels,
        offset if isinstance(offset, int) else None,
    )  # fmt: skip
