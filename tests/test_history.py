"""The History screen on a small journal: every section, gentle words, and back with Escape."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Static

from companion.journal import open_journal
from companion.journal.stats import Stats
from companion.paths import Paths
from companion.ui.screens.history import HistoryScreen, calendar_lines, headline, shade, week_bars
from tests.support import TODAY, small


class Host(App[None]):
    """A bare app that opens History over a plain first screen."""

    def __init__(self, journal: Any, show_streak: bool = False) -> None:
        super().__init__()
        self.journal = journal
        self.show_streak = show_streak

    def compose(self) -> ComposeResult:
        yield Static("home", id="home")

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self.journal, show_streak=self.show_streak, today=TODAY))


def _text(screen: HistoryScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_the_history_screen_shows_every_section(paths: Paths) -> None:
    small(paths)
    app = Host(open_journal(paths))
    async with app.run_test(size=(100, 60)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen) and screen.stats is not None
        head = _text(screen, "#headline")
        assert head == "2 days this week · 4 days this month · 100 minutes in all"
        assert "in a row" not in head and "missed" not in head
        calendar = _text(screen, "#history-calendar")
        assert "Sep" in calendar and "Nov" in calendar and "▓" in calendar
        assert "Box: 3 times" in _text(screen, "#history-practices")
        recent = _text(screen, "#history-recent").splitlines()
        assert len(recent) == 7
        assert recent[0] == "Tue 24 Nov  Box  05:00 of 05:00  (ended early)"
        assert recent[1].endswith("20:00 of 20:00  · feeling 2, thinking 1")
        assert "thinking" in _text(screen, "#history-labels")
        assert "unsettled" in _text(screen, "#history-checkin")
        assert "day 3 is next" in _text(screen, "#history-courses")
        assert screen.query_one("#history-bodymap") is not None
        await pilot.press("escape")
        assert not isinstance(app.screen, HistoryScreen)


async def test_the_streak_shows_only_when_the_setting_is_on(paths: Paths) -> None:
    small(paths)
    app = Host(open_journal(paths), show_streak=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert _text(app.screen, "#headline").endswith("· 2 days in a row")
        await pilot.press("q")
        assert not isinstance(app.screen, HistoryScreen)


async def test_an_empty_or_missing_journal_is_said_kindly(paths: Paths) -> None:
    app = Host(open_journal(paths))
    async with app.run_test(size=(80, 20)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _text(app.screen, "#headline").startswith("Nothing recorded yet")  # type: ignore[arg-type]
    app = Host(None)
    async with app.run_test(size=(80, 20)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "not open" in _text(app.screen, "#headline")  # type: ignore[arg-type]


def test_drawing_helpers() -> None:
    assert [shade(m) for m in (0, 5, 10, 25, 60)] == ["·", "░", "▒", "▓", "█"]
    s = Stats(
        today=date(2026, 11, 25),
        runs=1,
        calendar=((date(2026, 11, 23), 45.0), (date(2026, 11, 24), 0.0), (date(2026, 11, 25), 5.0)),
        weekly_minutes=((date(2026, 11, 23), 50.0),),
        days_this_week=2,
        days_this_month=2,
        total_minutes=50,
    )
    assert calendar_lines(s) == ["     Nov", "Mon  █", "     ·", "Wed  ░", "", "Fri", "", "Sun"]
    assert week_bars(s, height=1) == ["██  50 min", "23"]
    assert (
        headline(s, show_streak=True) == "2 days this week · 2 days this month · 50 minutes in all"
    )


def test_history_snapshot(snap_compare: Any, tmp_path: Path) -> None:
    paths = Paths.under(tmp_path / "snap-home")
    small(paths)
    journal = open_journal(paths)

    async def settle(pilot: Any) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(Host(journal), terminal_size=(100, 60), run_before=settle)
