"""The figures the History screen and `companion stats` show, from a handful of SQL aggregates.

Pure. Each figure is one indexed query, so ten years of daily practice stays well under the
200 ms the History screen allows. Days are the person's local days (runs.local_date).
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from companion.journal.checkin import word_for
from companion.journal.sanity import install_views

WEEKS = 12
MONTHS = 12
TOP = 5


@dataclass(frozen=True)
class PracticeCount:
    """A practice and how often (and how long) it was done."""

    practice_id: str
    title: str
    runs: int
    minutes: float


@dataclass(frozen=True)
class CheckinChange:
    """Average check-in before and after, over runs that have both."""

    runs: int
    before: float
    after: float

    @property
    def change(self) -> float:
        """After minus before (positive: people leave feeling more at ease)."""
        return self.after - self.before


@dataclass(frozen=True)
class CourseProgress:
    """How far a course has come: distinct days completed and the day to do next."""

    course: str
    days_completed: int
    last_day: int
    next_day: int


@dataclass(frozen=True)
class Stats:
    """Every figure for looking back; weeks start on Monday."""

    today: date
    runs: int = 0
    completed: int = 0
    total_minutes: float = 0.0
    days_practised: int = 0
    days_this_week: int = 0
    days_this_month: int = 0
    minutes_this_week: float = 0.0
    minutes_this_month: float = 0.0
    weekly_minutes: tuple[tuple[date, float], ...] = ()  # (Monday, minutes), oldest first
    calendar: tuple[tuple[date, float], ...] = ()  # every day of the last WEEKS weeks up to today
    top_practices: tuple[PracticeCount, ...] = ()
    labels: tuple[tuple[str, int], ...] = ()  # most noted first
    labels_by_month: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()  # ("YYYY-MM", ...)
    body_map: dict[str, dict[str, int]] = field(default_factory=dict)  # region -> label -> n
    checkin: CheckinChange | None = None
    courses: tuple[CourseProgress, ...] = ()
    streak: int | None = None  # only when asked for

    @property
    def empty(self) -> bool:
        """True when nothing has been recorded yet."""
        return self.runs == 0

    def region_totals(self) -> dict[str, int]:
        """Region -> all notes taken there (the body map as one number per region)."""
        return {region: sum(labels.values()) for region, labels in self.body_map.items()}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (dates as ISO text)."""
        data = asdict(self)
        data["today"] = self.today.isoformat()
        data["total_minutes"] = round(self.total_minutes, 1)
        data["minutes_this_week"] = round(self.minutes_this_week, 1)
        data["minutes_this_month"] = round(self.minutes_this_month, 1)
        data["weekly_minutes"] = [
            {"week": d.isoformat(), "minutes": round(m, 1)} for d, m in self.weekly_minutes
        ]
        data["calendar"] = {d.isoformat(): round(m, 1) for d, m in self.calendar}
        data["top_practices"] = [
            {**asdict(p), "minutes": round(p.minutes, 1)} for p in self.top_practices
        ]
        data["labels"] = dict(self.labels)
        data["labels_by_month"] = {month: dict(labels) for month, labels in self.labels_by_month}
        if self.checkin is not None:
            data["checkin"] = {
                "runs": self.checkin.runs,
                "before": round(self.checkin.before, 2),
                "after": round(self.checkin.after, 2),
                "change": round(self.checkin.change, 2),
                "before_words": word_for(round(self.checkin.before)),
                "after_words": word_for(round(self.checkin.after)),
            }
        if self.streak is None:
            del data["streak"]
        return data


def monday(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def compute_stats(
    db: sqlite3.Connection, *, today: date | None = None, streak: bool = False
) -> Stats:
    """Every figure, read from an open journal connection."""
    today = today or date.today()
    install_views(db)
    runs, seconds, days_practised, completed = db.execute(
        "SELECT COUNT(*), TOTAL(practised), "
        "COUNT(DISTINCT CASE WHEN practised > 0 THEN local_date END), "
        "TOTAL(status = 'completed') FROM good_runs"
    ).fetchone()
    week_start = monday(today)
    month_start = today.replace(day=1)
    first = week_start - timedelta(weeks=WEEKS - 1)
    # Only the days on screen are read one by one; whole-journal totals stay in SQL.
    per_day: dict[date, float] = {}
    for day_text, day_seconds in db.execute(
        "SELECT local_date, TOTAL(practised) FROM good_runs WHERE local_date >= ? AND local_date <= ? "
        "GROUP BY local_date",
        (min(first, month_start).isoformat(), today.isoformat()),
    ):
        try:
            per_day[date.fromisoformat(day_text)] = day_seconds / 60.0
        except (TypeError, ValueError):
            continue  # a hand-edited row without a proper day still counts in the totals
    calendar = tuple(
        (first + timedelta(days=i), per_day.get(first + timedelta(days=i), 0.0))
        for i in range((today - first).days + 1)
    )
    weekly: dict[date, float] = {first + timedelta(weeks=i): 0.0 for i in range(WEEKS)}
    for day, minutes in calendar:
        weekly[monday(day)] += minutes
    this_week = [m for d, m in per_day.items() if week_start <= d]
    this_month = [m for d, m in per_day.items() if month_start <= d]

    return Stats(
        today=today,
        runs=int(runs),
        completed=int(completed),
        total_minutes=float(seconds) / 60.0,
        days_practised=int(days_practised),
        days_this_week=sum(1 for m in this_week if m > 0),
        days_this_month=sum(1 for m in this_month if m > 0),
        minutes_this_week=sum(this_week),
        minutes_this_month=sum(this_month),
        weekly_minutes=tuple(sorted(weekly.items())),
        calendar=calendar,
        top_practices=_top_practices(db),
        labels=tuple(
            (label, n)
            for label, n in db.execute(
                "SELECT label, COUNT(*) AS n FROM good_notes GROUP BY label ORDER BY n DESC, label"
            )
        ),
        labels_by_month=_labels_by_month(db, today),
        body_map=_body_map(db),
        checkin=_checkin(db),
        courses=_courses(db),
        streak=_streak(db, today) if streak else None,
    )


def _top_practices(db: sqlite3.Connection) -> tuple[PracticeCount, ...]:
    rows = db.execute(
        "SELECT practice_id, MAX(title), COUNT(*) AS n, SUM(practised) FROM good_runs "
        "GROUP BY practice_id ORDER BY n DESC, practice_id LIMIT ?",
        (TOP,),
    )
    return tuple(PracticeCount(pid, title, n, (secs or 0.0) / 60.0) for pid, title, n, secs in rows)


def _labels_by_month(
    db: sqlite3.Connection, today: date
) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
    year, month = today.year, today.month - (MONTHS - 1)
    while month < 1:
        month += 12
        year -= 1
    since = date(year, month, 1).isoformat()
    months: dict[str, list[tuple[str, int]]] = {}
    rows = db.execute(
        "SELECT substr(r.local_date, 1, 7) AS m, n.label, COUNT(*) AS c "
        "FROM good_runs r JOIN good_notes n ON n.run_id = r.id WHERE r.local_date >= ? "
        "GROUP BY m, n.label ORDER BY m, c DESC, n.label",
        (since,),
    )
    for month_text, label, count in rows:
        months.setdefault(month_text, []).append((label, count))
    return tuple((m, tuple(labels)) for m, labels in months.items())


def _body_map(db: sqlite3.Connection) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    rows = db.execute(
        "SELECT region, label, COUNT(*) FROM good_notes WHERE region IS NOT NULL GROUP BY region, label"
    )
    for region, label, count in rows:
        out.setdefault(region, {})[label] = count
    return out


def _checkin(db: sqlite3.Connection) -> CheckinChange | None:
    n, before, after = db.execute(
        "SELECT COUNT(*), AVG(checkin_before), AVG(checkin_after) FROM good_runs "
        "WHERE checkin_before IS NOT NULL AND checkin_after IS NOT NULL"
    ).fetchone()
    if not n:
        return None
    return CheckinChange(int(n), float(before), float(after))


def _courses(db: sqlite3.Connection) -> tuple[CourseProgress, ...]:
    rows = db.execute(
        "SELECT course, COUNT(DISTINCT day), MAX(day), MAX(started_at) AS latest FROM good_runs "
        "WHERE course IS NOT NULL AND day IS NOT NULL AND status = 'completed' "
        "GROUP BY course ORDER BY latest DESC"
    )
    return tuple(CourseProgress(c, int(n), int(last), int(last) + 1) for c, n, last, _ in rows)


def _streak(db: sqlite3.Connection, today: date) -> int:
    """Walk back from today through the practised days, stopping at the first gap."""
    expected = today
    n = 0
    for (day_text,) in db.execute(
        "SELECT DISTINCT local_date FROM good_runs WHERE practised > 0 AND local_date <= ? "
        "ORDER BY local_date DESC",
        (today.isoformat(),),
    ):
        try:
            day = date.fromisoformat(day_text)
        except (TypeError, ValueError):
            continue
        if n == 0 and day == today - timedelta(days=1) and expected == today:
            expected = day  # today not practised yet: the days up to yesterday still count
        if day != expected:
            break
        n += 1
        expected = day - timedelta(days=1)
    return n


def current_streak(days: set[date], today: date) -> int:
    """Days in a row up to today; a day not yet practised today does not break it."""
    day = today if today in days else today - timedelta(days=1)
    n = 0
    while day in days:
        n += 1
        day -= timedelta(days=1)
    return n
