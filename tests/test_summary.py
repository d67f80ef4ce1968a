"""The summary a practice ends on: from escape or from the end of the timeline."""


from __future__ import annotations

from pathlib import Path

import pytest

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.paths import Paths
from companion.services import Journal
from companion.ui.app import CompanionApp, make_app
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.practice import PracticeScreen
from companion.ui.screens.summary import SummaryScreen
from tests.support import (
    STARTS,
    TOTAL,
    RecordingJournal,
    RecordingPlayer,
    every_kind,
    screen_text,
)


def build(
    paths: Paths, tmp_path: Path, config: Config | None = None, journal: Journal | None = None
) -> tuple[CompanionApp, FakeClock]:
    clock = FakeClock()
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=clock,
        player=RecordingPlayer(),
        journal=journal if journal is not None else RecordingJournal(),
        config=config or Config(),
    )
    return app, clock



async def at(app: CompanionApp, clock: FakeClock, pilot: object, t: float) -> PracticeScreen:
    """Move the fake clock to practice time t (from a start at the clock's origin) and draw."""
    screen = app.screen
    assert isinstance(screen, PracticeScreen) and screen.sitting.started
    target = (screen.sitting.session.origin or 0.0) + t
    clock.set(max(clock.now(), target))
    screen.tick()
    await pilot.pause()  # type: ignore[attr-defined]
    return screen



async def test_escape_reaches_the_summary_with_the_notes(paths: Paths, tmp_path: Path) -> None:
    journal = RecordingJournal()
    app, clock = build(paths, tmp_path, journal=journal)
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


async def test_the_end_of_the_timeline_opens_the_summary(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await at(app, clock, pilot, TOTAL + 0.5)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.completed
        assert "Completed" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)

