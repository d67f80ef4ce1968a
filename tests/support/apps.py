"""The one way tests build companion's app: fakes for the clock, the player and the journal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.paths import Paths
from companion.practice.model import Practice
from companion.services import Journal
from companion.sound.player import Player
from companion.ui.app import CompanionApp, make_app
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.practice import PracticeScreen
from tests.support.fakes import RecordingJournal, RecordingPlayer


class AppBuilder:
    """Builds the app on a fake clock in one home folder (the `build_app` fixture)."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths

    def __call__(
        self,
        practice: Practice | None = None,
        *,
        paths: Paths | None = None,
        config: Config | None = None,
        config_from_file: bool = False,
        player: Player | None = None,
        journal: Journal | None = None,
        real_journal: bool = False,
        clock: FakeClock | None = None,
        reduce_motion: bool = False,
    ) -> tuple[CompanionApp, FakeClock]:
        """The app (home screen, or `practice` at once) and the fake clock it runs on.

        By default: default settings, a recording player and a recording journal;
        `config_from_file` reads the home's config as the command would, `real_journal`
        lets the app open the SQLite journal itself.
        """
        clock = clock or FakeClock()
        app = make_app(
            paths=paths or self.paths,
            practice=practice,
            clock=clock,
            player=player or RecordingPlayer(),
            journal=None if real_journal else (journal or RecordingJournal()),
            config=config if config is not None else (None if config_from_file else Config()),
            reduce_motion=reduce_motion,
        )
        return app, clock


def home_of(app: CompanionApp) -> HomeScreen:
    """The home screen in the app's stack (under whatever is on top)."""
    [home] = [s for s in app.screen_stack if isinstance(s, HomeScreen)]
    return home


async def at(app: CompanionApp, clock: FakeClock, pilot: Pilot[int], t: float) -> PracticeScreen:
    """Move the fake clock to practice time t (from a start at the clock's origin) and draw."""
    screen = app.screen
    assert isinstance(screen, PracticeScreen) and screen.sitting.started
    target = (screen.sitting.session.origin or 0.0) + t
    clock.set(max(clock.now(), target))
    screen.tick()
    await pilot.pause()
    return screen


def go_to(
    app: CompanionApp, clock: FakeClock, t: float, keys: tuple[str, ...] = ()
) -> Callable[[Pilot[int]], Awaitable[None]]:
    """A snapshot's run_before: practice time t, then the keys, then a still frame."""

    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.sitting.started
        clock.set((screen.sitting.session.origin or 0.0) + t)
        screen.tick()
        if keys:
            await pilot.press(*keys)
        # Freeze: the real timer may fire during capture, but the fake clock stands still.
        await pilot.pause()

    return run_before


async def settle(pilot: Pilot[int], check: Callable[[], object], pauses: int = 20) -> None:
    """Let the app handle its messages until check() is true (at most `pauses` rounds)."""
    for _ in range(pauses):
        if check():
            return
        await pilot.pause()
    if not check():
        raise AssertionError(f"still not so after {pauses} pauses: {check!r}")


async def whole(app: CompanionApp, pilot: Pilot[int]) -> None:
    """Wait for the practice screen's visuals, mounted after its first frame (issue 18)."""
    for _ in range(100):
        if app.screen.query("#breath"):
            return
        await pilot.pause(0.01)
    raise AssertionError("the practice screen was never built whole")
