"""The Textual app: one factory (make_app) builds it for the command line and the tests."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.binding import BindingType
from textual.dom import DOMNode
from textual.driver import Driver
from textual.screen import Screen

from companion.config import Config, load_config
from companion.engine.clock import Clock, MonotonicClock
from companion.paths import Paths
from companion.services import Journal
from companion.ui import suspend
from companion.ui.app_settings import SettingsApp
from companion.ui.bindings import bindings_for
from companion.ui.open_services import open_default_journal, open_player
from companion.ui.outside import AppOutside
from companion.ui.theme import theme_before_start

if TYPE_CHECKING:  # named only: the mixer's module loads on the services thread, and what
    # only a running practice needs loads with it (issue 18: the home screen's first frame)
    from companion.practice.model import Practice
    from companion.sitting import Outcome, Sitting, SittingEvent
    from companion.sound.player import Player
    from companion.ui.screens.practice import PracticeScreen
    from companion.until import UntilCommand

PLAYER_WAIT = 2.0  # seconds a practice waits for the mixer before it starts without it



class CompanionApp(SettingsApp):
    """Home, practice, summary, settings: the whole companion in a terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "companion"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("app"))  # on every screen

    def __init__(
        self,
        *,
        paths: Paths,
        practice: Practice | None,
        clock: Clock,
        player: Player | None,
        journal: Journal | None,
        config: Config,
        config_notice: str | None,
        no_sound: bool,
        reduce_motion: bool,
        until: UntilCommand | None = None,
    ) -> None:
        super().__init__()
        self.paths = paths
        self.first_practice = practice
        self.clock = clock
        self.player = player  # None until the mixer is open (see ready)
        self.journal = journal  # None when it cannot be opened at all
        self.config = config
        self.config_notice = config_notice
        self.no_sound = no_sound
        self.reduce_motion_flag = reduce_motion
        self.sitting: Sitting | None = None  # the practice running now, or the last one
        self.ready = asyncio.Event()
        self._open_player = player is None
        self._open_journal = journal is None
        self._shut = False
        self._theme_set_early = theme_before_start(self, self.config.theme or "companion")
        # Other terminals, the window title, --until: companion/ui/outside.py
        self.outside = AppOutside(self, until)

    def get_driver_class(self) -> type[Driver]:
        """The platform's driver, able to write the window title in order with the frames."""
        from companion.ui.terminal_title import titled_driver

        return titled_driver(super().get_driver_class(), lambda app: getattr(app, "outside", None))

    def on_mount(self) -> None:
        """Apply settings, open sound and journal in the background, show the first screen."""
        if not self._theme_set_early:
            self._apply_theme()
        self._apply_keymap()
        self._apply_motion()
        suspend.watch(self)
        if self.config_notice:
            self.notify(self.config_notice, title="Settings", severity="warning", timeout=12)
        self.call_later(self.call_after_refresh, self._after_first_frame)
        if self._open_player or self._open_journal:
            # After the first frame (issue 18): the thread imports and opens SQLite (and
            # pygame), which took the interpreter from the building of that frame. A
            # practice waits for `ready` before its clock starts, so nothing is lost.
            # (Through the app's queue: it is read only once Textual paints.)
            self.call_later(self.call_after_refresh, self._open_services)
        else:
            self._services_ready()
        waiting = self._waits_for_check_in()
        if waiting is not None:  # otherwise the first screen is showing already
            self.start_practice(waiting)

    def get_default_screen(self) -> Screen[Any]:
        """The first screen itself (home, or the practice asked for) as Textual's base screen.

        Textual's own blank base screen was styled, laid out and written as a frame of its
        own, and the first screen pushed above it only after the app's mount: together about
        25 ms before the first frame that shows anything (issue 18). A base screen can be
        covered but never replaced (Textual cannot switch it), so the moves between screens
        push above it where they would replace it (`_replace_top`). With check-in on, "How
        are you arriving?" comes first, above the blank screen, as before.
        """
        practice = self.first_practice
        if self._waits_for_check_in() is not None:
            return super().get_default_screen()
        if practice is None:
            from companion.ui.screens.home import HomeScreen

            return HomeScreen()
        return self._practice_screen(self.outside.again(practice))

    def _waits_for_check_in(self) -> Practice | None:
        """The practice the app began with, when "How are you arriving?" comes before it."""
        return self.first_practice if self.config.check_in else None

    def _replace_top(self, screen: Screen[Any]) -> None:
        """Show screen in place of the top one, or above it when that is the base screen."""
        if len(self.screen_stack) <= 1:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def _after_first_frame(self) -> None:
        """The collector back on (`open_app` keeps it off while starting; see there).

        What starting made lives as long as the app: frozen, the collector leaves it out of
        every later pass instead of walking it again and again while a practice runs.
        """
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    @work(thread=True, exit_on_error=False, group="services")
    def _open_services(self) -> None:
        """Open the mixer and the journal off the event loop so the first frame is not delayed.

        The mixer opens on its own thread while the journal opens here; then this waits (at
        most PLAYER_WAIT) for the mixer, so its notice is known and a practice's clock and
        first bell start only once sound can be made.
        """
        player = self.player
        journal = self.journal
        if self._open_player:
            player = open_player(self.paths, self.config, self.no_sound)
        if self._open_journal:
            journal = open_default_journal(self.paths)
        if player is not None:
            with contextlib.suppress(Exception):
                player.wait_ready(PLAYER_WAIT)
        self.call_from_thread(self._set_services, player, journal)

    def _set_services(self, player: Player | None, journal: Journal | None) -> None:
        self.player = player
        self.journal = journal
        self._services_ready()

    def _services_ready(self) -> None:
        if self.player is None:
            from companion.sound.player import SilentPlayer

            self.player = SilentPlayer(volume=self.config.volume, muted=self.config.muted)
        self.notify_once(self.player.notice, title="Sound", timeout=8)

        # A sound that falls back mid-practice (its file deleted, cut short, too big) sets the
        # player's notice on the audio thread: looked at once a second, said once.
        def sound_notice() -> None:
            self.notify_once(self.player and self.player.notice, title="Sound", timeout=10)

        self.set_interval(1.0, sound_notice, name="sound-notice")
        if self.journal is not None:
            # A journal moved aside, or one from a newer companion left alone: said once.
            self.notify_once(self.journal.notice, title="Journal", timeout=12)
        self.ready.set()

    # -- moving between screens -------------------------------------------------------------
    def start_practice(
        self,
        practice: Practice,
        minutes: float | None = None,
        *,
        course: str | None = None,
        day: int | None = None,
        reflection: str = "",
    ) -> None:
        """Open the practice screen (replacing a summary, or above the home screen).

        With check-in on, "How are you arriving?" comes first; escape skips it.
        """
        if minutes is not None:
            from companion.engine.rescale import rescale

            practice = rescale(practice, minutes * 60.0)
        practice = self.outside.again(practice)
        self.stop_bells()
        if not self.config.check_in:
            self._open_practice(practice, course, day, reflection, None)
            return
        # Imported here, not above: with check-in off it is not needed before the first frame.
        from companion.ui.screens.checkin import CheckInScreen

        def arrived(value: int | None) -> None:
            self._open_practice(practice, course, day, reflection, value)

        self.push_screen(CheckInScreen("before"), arrived)

    def _open_practice(
        self,
        practice: Practice,
        course: str | None,
        day: int | None,
        reflection: str,
        before: int | None,
    ) -> None:
        screen = self._practice_screen(practice, course, day, reflection, before)
        # The home screen can only be showing if its module was loaded: importing it just for
        # this test cost about 12 ms before the first frame of `companion run`.
        home = sys.modules.get("companion.ui.screens.home")
        if home is not None and isinstance(self.screen, home.HomeScreen):
            self.push_screen(screen)
        else:
            self._replace_top(screen)

    def _practice_screen(
        self,
        practice: Practice,
        course: str | None = None,
        day: int | None = None,
        reflection: str = "",
        before: int | None = None,
    ) -> PracticeScreen:
        """A new sitting of practice, followed by the app, on a screen of its own."""
        from companion.sitting import Sitting
        from companion.ui.screens.practice import PracticeScreen

        sitting = Sitting(
            practice,
            self.clock,
            course=course,
            day=day,
            reflection=reflection,
            checkin_before=before,
        )
        sitting.listen(self._on_sitting)
        self.outside.attach(sitting)
        self.sitting = sitting
        return PracticeScreen(sitting)



    def begin_sitting(self, sitting: Sitting) -> None:
        """Start a sitting with the app's sound and a recorder from its journal (once ready)."""
        recorder = self.journal.recorder() if self.journal is not None else None
        from companion.ui.ears import begin_with_ears

        begin_with_ears(self, sitting, recorder)  # its soundscape, tones and voice too

    def _on_sitting(self, event: SittingEvent) -> None:
        sitting = self.sitting
        if event.kind == "began" and sitting is not None and sitting.practice.id:
            # As it begins, not as its screen is made: state.json is then read and written
            # after the first frame of `companion run` (issue 18).
            last_course = sitting.course or self.state.last_course
            self.remember(last_practice=sitting.practice.id, last_course=last_course)
        if event.kind == "journal":  # the first time the journal gives up, say once why
            self.notify_once(event.notice, title="Journal", timeout=10)

    def show_summary(self, outcome: Outcome) -> None:
        """Replace the practice screen with the summary of its outcome."""
        from companion.ui.screens.summary import SummaryScreen

        # (--until: first asks whether to stop a command still running; `note` says how it ended)
        self.outside.before_summary(
            outcome, lambda n: self._replace_top(SummaryScreen(outcome, n))
        )

    def practice_in_progress(self) -> str | None:
        """The id of the practice running now (it keeps its version while files change)."""
        sitting = self.sitting
        if sitting is None or sitting.ended:
            return None
        return sitting.practice.id or None

    def go_home(self) -> None:
        """Back to the home screen, building it if the app began in a practice."""
        from companion.ui.screens.home import HomeScreen

        if any(isinstance(s, HomeScreen) for s in self.screen_stack):
            while not isinstance(self.screen, HomeScreen):
                self.pop_screen()
        else:
            self._replace_top(HomeScreen())

    def stop_bells(self) -> None:
        """Silence the bells of the last practice (its end strikes ring on into the summary)."""
        if self.sitting is not None:
            self.sitting.stop_bells()

    def action_help(self) -> None:
        """Show the keys for the current screen."""
        from companion.ui.screens.help import HelpScreen

        where = getattr(self.screen, "WHERE", "home")
        noting = getattr(getattr(self.screen, "practice", None), "noting_map", None)
        self.push_screen(HelpScreen(where, noting))

    def action_suspend(self) -> None:
        """Ctrl+Z: to the shell with the practice paused; `fg` brings it back (ui/suspend.py)."""
        suspend.suspend(self)

    def action_quit(self) -> None:  # type: ignore[override]
        """Leave the app."""
        self.exit(0)

    def action_help_quit(self) -> None:
        """Ctrl+C: ends a practice that waits on a command (--until); elsewhere, how to quit."""
        if not self.outside.interrupt():
            super().action_help_quit()

    def on_unmount(self) -> None:
        """Release the sound device."""
        self.shutdown()

    def shutdown(self) -> None:
        """Stop bells and close the player (safe to call twice)."""
        if self._shut:
            return
        self._shut = True
        self.outside.stop()
        self.stop_bells()
        if self.player is not None:
            with contextlib.suppress(Exception):
                self.player.close()


def make_app(
    *,
    paths: Paths | None = None,
    practice: Practice | None = None,
    clock: Clock | None = None,
    player: Player | None = None,
    journal: Journal | None = None,
    config: Config | None = None,
    no_sound: bool = False,
    reduce_motion: bool = False,
    minutes: float | None = None,
    until: UntilCommand | None = None,
) -> CompanionApp:
    """Build the app for the command line (defaults) or a test (fakes injected)."""
    paths = paths or Paths.from_env()
    notice: str | None = None
    if config is None:
        config, notice = load_config(paths)
    if practice is not None and minutes is not None:
        from companion.engine.rescale import rescale

        practice = rescale(practice, minutes * 60.0)
    return CompanionApp(
        paths=paths,
        practice=practice,
        clock=clock or MonotonicClock(),
        player=player,
        journal=journal,
        config=config,
        config_notice=notice,
        no_sound=no_sound,
        reduce_motion=reduce_motion,
        until=until,
    )


def companion_app(node: DOMNode) -> CompanionApp:
    """The running app, typed: how screens reach its settings, services and moves."""
    app = node.app
    if not isinstance(app, CompanionApp):
        raise TypeError(f"{node!r} is not running inside companion's app")
    return app
