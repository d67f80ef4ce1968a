"""The summary a practice ends on: from escape or from the end of the timeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from companion.config import Config
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.practice import PracticeScreen
from companion.ui.screens.summary import SummaryScreen
from tests.support import (
    STARTS,
    TOTAL,
    AppBuilder,
    RecordingJournal,
    at,
    every_kind,
    go_to,
    screen_text,
)


async def test_escape_reaches_the_summary_with_the_notes(
    build_app: AppBuilder, tmp_path: Path
) -> None:
    journal = RecordingJournal()
    app, clock = build_app(every_kind(tmp_path), journal=journal)
    async with app.run_test(size=(120, 40)) as pilot:
        await at(app, clock, pilot, STARTS["body_scan"] + 3.0)
        await pilot.press("t", "t", "f")
        await pilot.press("escape")
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert len(summary.notes) == 3 and not summary.completed
        text = screen_text(app)
        assert "Ended early" in text
        assert "thinking" in text and "feeling" in text
        assert ("end", pytest.approx(45.0), False) in journal.calls
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_end_of_the_timeline_opens_the_summary(
    build_app: AppBuilder, tmp_path: Path
) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await at(app, clock, pilot, TOTAL + 0.5)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.completed
        assert "Completed" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)


@pytest.mark.parametrize(
    "size", [(120, 40), (100, 30), (80, 24)], ids=["120x40", "100x30", "80x24"]
)
def test_summary(
    snap_compare: Any, build_app: AppBuilder, tmp_path: Path, size: tuple[int, int]
) -> None:
    app, clock = build_app(every_kind(tmp_path))
    keys = ("t", "t", "f", "escape")
    assert snap_compare(
        app, terminal_size=size, run_before=go_to(app, clock, STARTS["body_scan"] + 9, keys)
    )


def test_summary_with_checkin(snap_compare: Any, build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path), config=Config(check_in=True))

    async def run_before(pilot: Any) -> None:
        await pilot.press("1")  # arrived heavy
        await go_to(app, clock, STARTS["noting"] + 4, ("t", "f", "escape"))(pilot)
        await pilot.press("4")  # now steady
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)

