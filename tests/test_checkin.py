"""The optional check-in before and after a practice, and its setting."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from companion.config import Config
from companion.journal import open_journal
from companion.paths import Paths
from companion.ui.screens.checkin import CheckInScreen
from companion.ui.screens.practice import PracticeScreen
from companion.ui.screens.settings import SettingsScreen
from companion.ui.screens.summary import SummaryScreen
from tests.support import (
    STARTS,
    AppBuilder,
    every_kind,
    go_to,
    screen_text,
)


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


async def highlight(pilot: Any, words: str) -> None:
    """Filter the list down to `words` and go back to it."""
    await pilot.press("slash", *words, "enter")
    await pilot.pause()


# -- check-in -----------------------------------------------------------------------------------
async def test_check_in_before_and_after_are_recorded(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    app, _ = build_app(
        every_kind(tmp_path), journal=open_journal(paths), config=Config(check_in=True)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        text = screen_text(app)
        assert "How are you arriving?" in text
        assert all(word in text for word in ("heavy", "unsettled", "okay", "steady", "at ease"))
        await pilot.press("right", "enter")  # okay -> steady
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        assert "How are you now?" in screen_text(app)
        await pilot.press("5")  # at ease, at once
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Check-in: steady → at ease" in screen_text(app)
    assert rows(paths.journal_file, "SELECT checkin_before, checkin_after FROM runs") == [(4, 5)]


async def test_escape_skips_the_check_in_and_records_nothing(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    app, _ = build_app(
        every_kind(tmp_path), journal=open_journal(paths), config=Config(check_in=True)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # skip "arriving": the practice starts
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("escape")  # end the practice
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        await pilot.press("left", "left", "left", "escape")  # moved, then skipped all the same
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Check-in" not in screen_text(app)
    assert rows(paths.journal_file, "SELECT checkin_before, checkin_after, status FROM runs") == [
        (None, None, "ended early")
    ]


async def test_check_in_asks_again_before_the_next_practice_from_home(
    build_app: AppBuilder, paths: Paths
) -> None:
    app, _ = build_app(config=Config(check_in=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await highlight(pilot, "box-breathing")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen) and app.screen.when == "before"
        await pilot.press("1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.checkin_before == 1


async def test_check_in_off_shows_no_modal(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    app, _ = build_app(every_kind(tmp_path), journal=open_journal(paths), config_from_file=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert not any(isinstance(s, CheckInScreen) for s in app.screen_stack)


async def test_settings_turn_the_check_in_on(build_app: AppBuilder, paths: Paths) -> None:
    app, _ = build_app(config_from_file=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        switch = app.screen.query_one("#check_in")
        switch.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.config.check_in
    assert "check_in = true" in paths.config_file.read_text()


def test_checkin_before(snap_compare: Any, build_app: AppBuilder, tmp_path: Path) -> None:
    # "How are you arriving?" before the practice opens, the highlight moved once.
    app, _ = build_app(every_kind(tmp_path), config=Config(check_in=True))
    assert snap_compare(app, terminal_size=(100, 30), press=["right"])


def test_checkin_after_over_the_practice(
    snap_compare: Any, build_app: AppBuilder, tmp_path: Path
) -> None:
    app, clock = build_app(every_kind(tmp_path), config=Config(check_in=True))

    async def run_before(pilot: Any) -> None:
        await pilot.press("escape")  # skip the first question
        await go_to(app, clock, STARTS["breath"] + 2)(pilot)
        await pilot.press("escape")  # end: "How are you now?"
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)

