"""Time that jumps: the practice runs on the monotonic clock, and the journal keeps each run's
UTC time with the offset it began at, so its day and hour stay right after a time-zone change,
daylight saving or a clock set by hand."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest

from companion.cli import main
from companion.commands import Context
from companion.engine.clock import MonotonicClock
from companion.engine.session import Session
from companion.engine.timeline import build_timeline
from companion.journal.db import connect
from companion.journal.recorder import SqliteRecorder
from companion.journal.stats import compute_stats
from companion.paths import Paths
from tests.support import BREATH_TOML, practice_from


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set the machine's time zone for the test (TZ + tzset), restored afterwards."""

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def _unix(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


class Wall:
    """An injected wall clock the test moves by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _record(paths: Paths, wall: Wall, minutes: float = 10.0) -> None:
    recorder = SqliteRecorder(lambda: connect(paths.journal_file), paths.journal_file, wall=wall)
    recorder.begin(practice_from(BREATH_TOML, "breath", sounds=None), minutes * 60)
    wall.now += minutes * 60
    recorder.end(minutes * 60, completed=True)


def _history(paths: Paths) -> list[dict[str, object]]:
    out = io.StringIO()
    assert main(["history", "--json"], Context(paths, out, io.StringIO())) == 0
    rows: list[dict[str, object]] = json.loads(out.getvalue())
    return rows


def test_a_run_keeps_its_local_day_and_hour_after_the_zone_changes(
    paths: Paths, zone: Callable[[str], None]
) -> None:
    zone("America/New_York")
    # 22:30 on 7 March in New York is already 03:30 on 8 March in UTC.
    wall = Wall(_unix("2026-03-08T03:30:00+00:00"))
    _record(paths, wall)
    zone("Asia/Tokyo")  # flown to Tokyo: there it was 12:30 on 8 March
    (row,) = _history(paths)
    assert row["started_at"] == "2026-03-08T03:30:00Z"  # stored in UTC
    assert row["utc_offset"] == -300  # with the offset it began at
    assert row["date"] == "2026-03-07" and row["time"] == "22:30"  # shown as it was lived
    db = connect(paths.journal_file)
    stats = compute_stats(db, today=date(2026, 3, 9))
    days = {day for day, minutes in stats.calendar if minutes > 0}
    assert days == {date(2026, 3, 7)}  # grouped by the local day of the practice


def test_daylight_saving_moves_the_offset_not_the_day(
    paths: Paths, zone: Callable[[str], None]
) -> None:
    zone("Europe/Berlin")
    _record(paths, Wall(_unix("2026-03-28T23:30:00+00:00")))  # 00:30 CET, 29 March
    _record(paths, Wall(_unix("2026-03-29T22:30:00+00:00")))  # 00:30 CEST, 30 March
    rows = sorted(_history(paths), key=lambda r: str(r["started_at"]))
    assert [(r["date"], r["time"], r["utc_offset"]) for r in rows] == [
        ("2026-03-29", "00:30", 60),
        ("2026-03-30", "00:30", 120),
    ]


def test_a_clock_set_back_mid_practice_keeps_the_recorded_times_honest(paths: Paths) -> None:
    wall = Wall(_unix("2026-06-01T07:00:00+00:00"))
    recorder = SqliteRecorder(lambda: connect(paths.journal_file), paths.journal_file, wall=wall)
    recorder.begin(practice_from(BREATH_TOML, "breath", sounds=None), 600.0)
    wall.now -= 3600  # the clock is set back an hour while the practice runs
    recorder.end(600.0, completed=True)
    (row,) = _history(paths)
    assert row["started_at"] == "2026-06-01T07:00:00Z" and row["practised"] == 600.0
    # practised comes from the monotonic practice clock, never from the wall clock's sums.


def test_a_running_practice_ignores_the_wall_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    session = Session(build_timeline(practice_from(BREATH_TOML, "breath", sounds=None)), MonotonicClock())
    session.start()
    real = time.time
    for jump in (86400.0, -7200.0, 3.2e7):  # a day ahead, two hours back, a year ahead
        monkeypatch.setattr(time, "time", lambda j=jump: real() + j)
        assert 0.0 <= session.elapsed() < 5.0
