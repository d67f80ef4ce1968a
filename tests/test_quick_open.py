"""Quick to open (issue 18): a light first screen, the theme before the first CSS parse."""

from __future__ import annotations

import argparse
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.color import Color
from textual.pilot import Pilot

from companion.commands import Context
from companion.commands.opening import open_app
from companion.config import Config
from companion.engine.clock import FakeClock
from companion.paths import Paths
from companion.ui.app import CompanionApp, make_app
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.practice import PracticeScreen
from tests.support import RecordingJournal, RecordingPlayer, every_kind, screen_text, settle


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
        await settle(pilot, lambda: screen.query("#breath"))
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


async def test_the_first_screen_is_the_base_and_every_move_from_it_still_works(
    paths: Paths, tmp_path: Path
) -> None:
    # The first screen is Textual's base screen (no blank frame before it). A base screen
    # cannot be replaced, only covered: the summary, "again" and home go above it.
    app = practice_app(paths, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        first = app.screen
        assert isinstance(first, PracticeScreen) and app.screen_stack == [first]
        await pilot.press("escape")  # end the practice early
        await settle(pilot, lambda: type(app.screen).__name__ == "SummaryScreen")
        assert type(app.screen).__name__ == "SummaryScreen"
        await pilot.press("a")  # again
        await pilot.pause()
        again = app.screen
        assert isinstance(again, PracticeScreen) and again is not first
        assert again.practice.title in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, lambda: type(app.screen).__name__ == "SummaryScreen")
        await pilot.press("h")  # home
        await settle(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert isinstance(app.screen, HomeScreen)
        assert "Box breathing" in screen_text(app)
        assert len(app.screen_stack) == 2  # the first practice's screen stays under, ended
        assert first.sitting.ended and again.sitting.ended


async def test_home_is_the_base_screen_when_companion_opens_on_it(paths: Paths) -> None:
    app = make_app(
        paths=paths, clock=FakeClock(), player=RecordingPlayer(), journal=RecordingJournal()
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert len(app.screen_stack) == 1 and isinstance(app.screen, HomeScreen)


async def test_the_collector_is_back_on_after_the_first_frame(paths: Paths, tmp_path: Path) -> None:
    app = practice_app(paths, tmp_path)
    gc.disable()  # as open_app leaves it while the app starts
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, gc.isenabled)
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # what starting made is left out of later passes
    finally:
        gc.unfreeze()
        gc.enable()


def test_open_app_starts_with_the_collector_off_and_always_turns_it_back_on(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    class Starting:
        return_code = 0

        def __init__(self, fail: bool) -> None:
            self.fail = fail

        def run(self) -> None:
            seen.append(gc.isenabled())
            if self.fail:
                raise RuntimeError("the terminal went away")

    for fail in (False, True):
        monkeypatch.setattr("companion.ui.app.make_app", lambda fail=fail, **_: Starting(fail))
        if fail:
            with pytest.raises(RuntimeError):
                open_app(argparse.Namespace(), Context(paths))
        else:
            assert open_app(argparse.Namespace(), Context(paths)) == 0
        assert gc.isenabled()
    assert seen == [False, False]


BUILD_REST = HomeScreen._build_rest  # before any test holds it back


@asynccontextmanager
async def held_home(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[CompanionApp, Pilot[int], HomeScreen]]:
    """The app's home screen just after its first frame, held there (no filter box, no
    footer, the library perhaps not read) until the test builds the rest: `BUILD_REST(home)`."""
    waiting: list[HomeScreen] = []

    async def held_back(screen: HomeScreen) -> None:
        waiting.append(screen)

    monkeypatch.setattr(HomeScreen, "_build_rest", held_back)
    app = make_app(
        paths=paths, clock=FakeClock(), player=RecordingPlayer(), journal=RecordingJournal()
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: waiting)
        yield app, pilot, waiting[0]


async def test_a_slash_pressed_before_the_filter_box_exists_opens_it_when_it_does(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The filter box is built after the home screen's first frame: a `/` typed in that
    # moment (as soon as the list shows) must not be lost.
    async with held_home(paths, monkeypatch) as (app, pilot, home):
        assert app.screen is home and not home.query("#filter")
        await pilot.press("slash")
        await BUILD_REST(home)
        await pilot.pause()
        assert "filter: type words" in screen_text(app)
        await pilot.press("b", "o", "x")
        await pilot.pause()
        assert "Loving-kindness" not in screen_text(app)


async def test_keys_typed_ahead_after_an_early_slash_go_into_the_filter(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Typed while the app starts, "/quiet" reaches the app in one burst, before the filter
    # box exists: its q must not quit, nor its t open the timer. The letters (a backspace
    # among them) go into the box; enter keeps the filter and what follows acts as usual.
    async with held_home(paths, monkeypatch) as (app, pilot, home):
        await pilot.press("slash", *"quiett", "backspace", "enter", "down")
        assert app.is_running and app.screen is home
        await BUILD_REST(home)
        await pilot.pause()
        box = app.screen.query_one("#filter")
        assert getattr(box, "value", None) == "quiet"
        text = screen_text(app)
        assert "Quiet sitting, ten minutes" in text and "Box breathing" not in text
        assert app.screen.query_one("#practices").has_focus  # enter kept the filter
        await pilot.press("t")  # the list's keys work again once the box is there
        await pilot.pause()
        assert type(app.screen).__name__ == "TimerScreen"
