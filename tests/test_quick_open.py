"""Quick to open (issue 18): a light first screen, the theme before the first CSS parse."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.paths import Paths
from companion.ui.app import CompanionApp, make_app
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.practice import PracticeScreen
from tests.support import RecordingJournal, RecordingPlayer, every_kind, screen_text


def practice_app(paths: Paths, tmp_path: Path, config: Config | None = None) -> CompanionApp:
    return make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=FakeClock(),
        player=RecordingPlayer(),
        journal=RecordingJournal(),
        config=config or Config(),
    )


async def test_the_header_shows_first_and_the_rest_follows(paths: Paths, tmp_path: Path) -> None:
    app = practice_app(paths, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        # The first frame: the header (title, segment, time left) without the visuals yet.
        assert screen.practice.title in screen_text(app)
        assert not screen.query("#breath")
        for _ in range(20):
            if screen.query("#breath"):
                break
            await pilot.pause()
        await pilot.pause()
        assert screen.query("#breath") and screen.query("#noting")
        assert screen.sitting.started
        text = screen_text(app)
        assert screen.practice.title in text  # the header stays
        assert "Pause" in text  # the footer, mounted after the first frame, lists its keys


async def test_the_filter_works_once_the_home_screen_is_whole(paths: Paths) -> None:
    app = make_app(
        paths=paths, clock=FakeClock(), player=RecordingPlayer(), journal=RecordingJournal()
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("slash", "b", "o", "x")
        await pilot.pause()
        assert "Box breathing" in screen_text(app)
        assert "Loving-kindness" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Loving-kindness" in screen_text(app)


@pytest.mark.parametrize(
    ("theme", "mode"),
    [("companion", "-dark-mode"), ("nord", "-dark-mode"), ("textual-light", "-light-mode")],
)
async def test_the_chosen_theme_is_applied_in_full(
    paths: Paths, tmp_path: Path, theme: str, mode: str
) -> None:
    app = practice_app(paths, tmp_path, Config(theme=theme))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == theme
        assert {f"-theme-{theme}", mode} <= set(app.classes)
        # The theme's colours reach the screen (app.tcss: Screen { background: $background }).
        background = app.current_theme.background
        assert background is not None
        assert app.screen.styles.background == Color.parse(background)
