"""Self-critical notes read as moments of noticing, never as a score (issue 14)."""

from __future__ import annotations

from pathlib import Path

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.engine.notes import label_count, noticing_words
from companion.paths import Paths
from companion.practice.load import load_practice
from companion.ui.app import make_app
from companion.ui.screens.practice import PracticeScreen
from companion.ui.screens.summary import SummaryScreen
from tests.support import (
    ALL_KINDS,
    STARTS,
    RecordingJournal,
    RecordingPlayer,
    screen_text,
    write_practice,
)


def test_self_critical_notes_are_moments_of_noticing() -> None:
    assert noticing_words(1) == "1 moment of noticing"
    assert noticing_words(3) == "3 moments of noticing"
    assert label_count("self-critical", 2) == "self-critical: 2 moments of noticing"
    assert label_count("thinking", 4) == "thinking 4"


async def test_the_summary_shows_the_critic_in_words_not_bars(paths: Paths, tmp_path: Path) -> None:
    text = ALL_KINDS.replace(
        'keys = { t = "thinking", f = "feeling" }',
        'keys = { t = "thinking", f = "feeling", k = "self-critical" }',
    )
    practice = load_practice(write_practice(tmp_path / "p", "critic", text))
    clock = FakeClock()
    app = make_app(
        paths=paths,
        practice=practice,
        clock=clock,
        player=RecordingPlayer(),
        journal=RecordingJournal(),
        config=Config(),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.sitting.started
        clock.set((screen.sitting.session.origin or 0.0) + STARTS["noting"] + 2)
        screen.tick()
        await pilot.press("k", "t", "k", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        shown = screen_text(app)
        assert "2 moments of noticing" in shown
        assert "not a tally" in shown
        critic = next(line for line in shown.splitlines() if "self-critical" in line)
        assert "▪" not in critic  # no bar for the critic
        thinking = next(line for line in shown.splitlines() if "thinking" in line)
        assert "▪" in thinking
