"""The History figures on a small journal worked out by hand, and on ten generated years."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from companion.journal import open_journal
from companion.journal.stats import Stats, current_streak
from companion.paths import Paths
from tests.support import LABELS, REGIONS, TODAY, small, ten_years


def test_figures_on_a_small_known_journal(paths: Paths) -> None:
    small(paths)
    s = open_journal(paths).stats(today=TODAY)
    assert (s.runs, s.completed, s.total_minutes, s.days_practised) == (7, 6, 100.0, 6)
    assert (s.days_this_week, s.days_this_month) == (2, 4)
    assert (s.minutes_this_week, s.minutes_this_month) == (35.0, 55.0)
    assert s.streak is None  # not asked for
    weeks = dict(s.weekly_minutes)
    assert len(weeks) == 12 and min(weeks) == date(2026, 9, 7) and max(weeks) == date(2026, 11, 23)
    assert weeks[date(2026, 11, 23)] == 35 and weeks[date(2026, 11, 9)] == 20
    assert weeks[date(2026, 10, 5)] == 30 and sum(weeks.values()) == 85  # August is older
    days = dict(s.calendar)
    assert s.calendar[0][0] == date(2026, 9, 7) and s.calendar[-1][0] == TODAY
    assert len(days) == 80 and days[date(2026, 11, 24)] == 25 and days[TODAY] == 0
    assert [(p.practice_id, p.runs) for p in s.top_practices] == [
        ("box", 3),
        ("arrive", 2),
        ("scan", 2),
    ]
    assert s.labels == (("thinking", 3), ("feeling", 2), ("hearing", 1))
    assert s.labels_by_month == (("2026-11", (("thinking", 3), ("feeling", 2), ("hearing", 1))),)
    assert s.body_map == {"head": {"thinking": 1}, "shoulders": {"feeling": 2}}
    assert s.region_totals() == {"head": 1, "shoulders": 2}
    assert s.checkin is not None
    assert (s.checkin.runs, s.checkin.before, s.checkin.after, s.checkin.change) == (
        2,
        2.5,
        4.0,
        1.5,
    )
    assert [(c.course, c.days_completed, c.next_day) for c in s.courses] == [("foundations", 2, 3)]


def test_the_streak_is_counted_only_when_asked(paths: Paths) -> None:
    small(paths)
    journal = open_journal(paths)
    assert journal.stats(today=TODAY, streak=True).streak == 2  # today not yet: still 2
    assert journal.stats(today=date(2026, 11, 24), streak=True).streak == 2
    assert journal.stats(today=date(2026, 11, 27), streak=True).streak == 0


def test_current_streak() -> None:
    d = date(2026, 1, 10)
    assert current_streak(set(), d) == 0
    assert current_streak({d, d - timedelta(days=1), d - timedelta(days=3)}, d) == 2


def test_an_empty_journal_has_gentle_empty_figures(paths: Paths) -> None:
    s = open_journal(paths).stats(today=TODAY)
    assert s.empty and s.total_minutes == 0 and s.checkin is None and s.labels == ()
    assert len(s.weekly_minutes) == 12 and all(m == 0 for _, m in s.weekly_minutes)
    assert s.to_dict()["calendar"][TODAY.isoformat()] == 0


def test_to_dict_is_json_ready(paths: Paths) -> None:
    import json

    small(paths)
    data = json.loads(json.dumps(open_journal(paths).stats(today=TODAY, streak=True).to_dict()))
    assert data["days_this_week"] == 2 and data["streak"] == 2
    assert data["labels"] == {"thinking": 3, "feeling": 2, "hearing": 1}
    assert data["checkin"]["before_words"] == "unsettled" and data["checkin"]["change"] == 1.5
    assert data["weekly_minutes"][-1] == {"week": "2026-11-23", "minutes": 35.0}


@pytest.fixture(scope="module")
def decade(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten years of daily practice, 100,000 notes (built once for this file)."""
    home = tmp_path_factory.mktemp("decade")
    open_journal(Paths.under(home))
    ten_years(Paths.under(home).journal_file, TODAY)
    return home


def test_ten_generated_years_compute_correctly(decade: Path) -> None:
    s: Stats = open_journal(Paths.under(decade)).stats(today=TODAY, streak=True)
    assert s.runs == 3650 and s.completed == 3285 and s.days_practised == 3650
    assert s.total_minutes == pytest.approx(3285 * 10 + 365 * 5)
    assert (s.days_this_week, s.days_this_month) == (3, 25)
    assert s.streak == 3650
    assert sum(n for _, n in s.labels) == 100_000
    expected = Counter(LABELS[n % len(LABELS)] for n in range(100_000))
    assert dict(s.labels) == dict(expected)
    assert sum(s.region_totals().values()) == 33_334
    assert set(s.body_map) == set(REGIONS)
    assert len(s.labels_by_month) == 12 and s.labels_by_month[-1][0] == "2026-11"
    assert len(s.calendar) == 80 and all(m > 0 for _, m in s.calendar)
    assert [(c.course, c.days_completed, c.last_day, c.next_day) for c in s.courses] == [
        ("foundations", 9, 10, 11)
    ]
    checked = [i for i in range(3650) if i % 4 == 0]
    assert s.checkin is not None and s.checkin.runs == len(checked)
    assert s.checkin.before == pytest.approx(sum(2 + i % 3 for i in checked) / len(checked))
    assert s.top_practices[0].runs == 522  # 3650 runs over 7 practices: 522 for the first


def test_the_stats_command_runs_on_ten_years(decade: Path) -> None:
    env = {"COMPANION_HOME": str(decade), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "companion", "stats", "--json"],
        capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert '"runs": 3650' in result.stdout
