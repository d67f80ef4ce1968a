"""The Textual app: one factory (make_app) builds it for the command line and the tests."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import unicodedata
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.dom import DOMNode
from textual.keys import Keys
from textual.notifications import SeverityLevel
from textual.theme import Theme

from companion.config import Config, ConfigError, load_config, save_config
from companion.engine.clock import Clock, MonotonicClock
from companion.engine.rescale import rescale
from companion.paths import Paths
from companion.practice.model import Practice
from companion.services import Journal
from companion.sitting import Outcome, Sitting, SittingEvent
from companion.state import State, load_state, save_state
from companion.ui.bindings import BINDING_IDS

if TYPE_CHECKING:  # named only: the mixer's module loads on the services thread
    from companion.sound.player import Player

PLAYER_WAIT = 2.0  # seconds a practice waits for the mixer before it starts without it

CALM = Theme(
    name="companion",
    primary="#8fb8a8",
    secondary="#a9a6c9",
    accent="#d8c3a5",
    foreground="#dcdcd2",
    background="#1b2124",
    surface="#222a2e",
    panel="#2b3438",
    success="#9cc59a",
    warning="#d9b56e",
    error="#d98a7e",
    dark=True,
)


class CompanionApp(App[int]):
    """Home, practice, summary, settings: the whole companion in a terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "companion"
    ENABLE_COMMAND_PALETTE = False

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
    ) -> None:
        super().__init__()
        self._animation_default = self.animation_level  # as TEXTUAL_ANIMATIONS set it
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
        self.keymap: dict[str, str] = {}
        self.ready = asyncio.Event()
        self._open_player = player is None
        self._open_journal = journal is None
        self._save_warned = False
        self._shut = False
        self._said: set[str] = set()  # notices already shown, so each is shown once
        self._state: State | None = None
        self._theme_set_early = self._theme_before_start()

    # -- quick to open (issue 18) -----------------------------------------------------------
    def _theme_before_start(self) -> bool:
        """Choose a dark theme before the stylesheet is first parsed.

        Setting `theme` in on_mount made Textual parse all the CSS a second time and restyle
        every widget before the first frame (about 10-35 ms). Set here without its watcher,
        the first parse already has the theme's colours. Only for dark themes: the watcher
        would also switch the ANSI colour filter to a light one, and Textual starts dark.
        Anything else (a light theme, an unknown name) goes the usual way in on_mount.
        """
        self.register_theme(CALM)
        name = self.config.theme or "companion"
        theme = self.get_theme(name) if name in self.available_themes else None
        if theme is None or not theme.dark:
            return False
        self.set_reactive(App.theme, name)
        # The stylesheet took its variables from the default theme in App.__init__.
        self.stylesheet.set_variables(self.get_css_variables())
        # What the watcher would have done, apart from the (already dark) colour filter.
        self.set_class(True, f"-theme-{name}")
        self.set_class(True, "-dark-mode")
        self.set_class(False, "-light-mode")
        return True

    @property
    def reduce_motion(self) -> bool:
        """Motion reduced by the flag or the setting."""
        return self.reduce_motion_flag or self.config.reduce_motion

    def on_mount(self) -> None:
        """Apply settings, open sound and journal in the background, show the first screen."""
        if not self._theme_set_early:
            self._apply_theme()
        self._apply_keymap()
        self._apply_motion()
        if self.config_notice:
            self.notify(self.config_notice, title="Settings", severity="warning", timeout=12)
        if self._open_player or self._open_journal:
            # After the first frame (issue 18): the thread imports and opens SQLite (and
            # pygame), which took the interpreter from the building of that frame. A
            # practice waits for `ready` before its clock starts, so nothing is lost.
            # (Through the app's queue: it is read only once Textual paints.)
            self.call_later(self.call_after_refresh, self._open_services)
        else:
            self._services_ready()
        if self.first_practice is not None:
            self.start_practice(self.first_practice)
        else:
            self.go_home()

    def _apply_theme(self) -> None:
        name = self.config.theme or "companion"
        if name not in self.available_themes:
            self.notify(
                f"No theme called {name!r}; using the calm default. Choose one in settings (,).",
                severity="warning",
            )
            name = "companion"
        self.theme = name

    def _apply_motion(self) -> None:
        """Textual's own animations (scrolling, notifications) follow reduce motion too."""
        self.animation_level = "none" if self.reduce_motion else self._animation_default

    def _apply_keymap(self) -> None:
        keymap: dict[str, str] = {}
        problems: list[str] = []
        for binding_id, keys in self.config.keys.items():
            if binding_id not in BINDING_IDS:
                problems.append(f"no binding called {binding_id!r}")
                continue
            bad = [k for k in keys.split(",") if not valid_key(k.strip())]
            if bad:
                problems.append(f"{binding_id} = {keys!r}: {', '.join(bad)} is not a key")
                continue
            keymap[binding_id] = keys
        self.keymap = keymap
        if keymap:
            self.set_keymap(keymap)
        if problems:
            known = ", ".join(sorted(BINDING_IDS))
            self.notify(
                f"{self.paths.config_file} [keys]: {'; '.join(problems)}. "
                f"Those keep their usual keys. Binding ids: {known}.",
                title="Keys",
                severity="warning",
                timeout=12,
                markup=False,
            )

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
        if self.journal is not None:
            # A journal moved aside, or one from a newer companion left alone: said once.
            self.notify_once(self.journal.notice, title="Journal", timeout=12)
        self.ready.set()

    def notify_once(
        self,
        message: object,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float = 8,
    ) -> None:
        """Show a notice unless the same words were shown before (None or empty: nothing)."""
        if not message:
            return
        text = str(message)
        if text in self._said:
            return
        self._said.add(text)
        self.notify(text, title=title, severity=severity, timeout=timeout, markup=False)

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
            practice = rescale(practice, minutes * 60.0)
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
        self.sitting = sitting
        screen = PracticeScreen(sitting)
        # The home screen can only be showing if its module was loaded: importing it just for
        # this test cost about 12 ms before the first frame of `companion run`.
        home = sys.modules.get("companion.ui.screens.home")
        on_home = home is not None and isinstance(self.screen, home.HomeScreen)
        if on_home or len(self.screen_stack) <= 1:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)
        if practice.id:
            self.remember(last_practice=practice.id, last_course=course or self.state.last_course)

    def begin_sitting(self, sitting: Sitting) -> None:
        """Start a sitting with the app's sound and a recorder from its journal (once ready)."""
        recorder = self.journal.recorder() if self.journal is not None else None
        sitting.begin(player=self.player, recorder=recorder)

    def _on_sitting(self, event: SittingEvent) -> None:
        if event.kind == "journal":  # the first time the journal gives up, say once why
            self.notify_once(event.notice, title="Journal", timeout=10)

    def show_summary(self, outcome: Outcome) -> None:
        """Replace the practice screen with the summary of its outcome."""
        from companion.ui.screens.summary import SummaryScreen

        self.switch_screen(SummaryScreen(outcome))

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
        elif len(self.screen_stack) <= 1:
            self.push_screen(HomeScreen())
        else:
            self.switch_screen(HomeScreen())

    def stop_bells(self) -> None:
        """Silence the bells of the last practice (its end strikes ring on into the summary)."""
        if self.sitting is not None:
            self.sitting.stop_bells()

    # -- settings ---------------------------------------------------------------------------
    @property
    def state(self) -> State:
        """What the app remembers for itself (state.json; an old config's values carried over)."""
        if self._state is None:
            self._state = load_state(self.paths, {"last_practice": self.config.last_practice})
        return self._state

    def remember(self, **changes: Any) -> None:
        """Remember something for next time in state.json; config.toml is never touched."""
        self._state = self.state.with_(**changes)
        save_state(self.paths, self._state)  # losing this costs nothing worth a notice

    def update_config(self, *, quiet: bool = False, **changes: Any) -> None:
        """Change settings and save them; a file that cannot be saved is said once."""
        self.config = self.config.with_(**changes)
        if "reduce_motion" in changes:
            self._apply_motion()
        try:
            save_config(self.paths, self.config)
        except ConfigError as exc:
            if not self._save_warned and not (quiet and self.config.from_broken_file):
                self._save_warned = True
                self.notify(str(exc), title="Settings", severity="warning", timeout=10)

    def set_muted(self, muted: bool) -> None:
        """Mute or unmute the bells now, and remember it."""
        if self.player is not None:
            self.player.set_muted(muted)
        self.update_config(muted=muted)

    def set_volume(self, volume: float) -> None:
        """Set the bells' volume now (clamped to 0..1, in hundredths), and remember it."""
        volume = round(min(1.0, max(0.0, volume)), 2)
        if self.player is not None:
            self.player.set_volume(volume)
        self.update_config(volume=volume)

    def action_help(self) -> None:
        """Show the keys for the current screen."""
        from companion.ui.screens.help import HelpScreen

        where = getattr(self.screen, "WHERE", "home")
        noting = getattr(getattr(self.screen, "practice", None), "noting_map", None)
        self.push_screen(HelpScreen(where, noting))

    def action_quit(self) -> None:  # type: ignore[override]
        """Leave the app."""
        self.exit(0)

    def on_unmount(self) -> None:
        """Release the sound device."""
        self.shutdown()

    def shutdown(self) -> None:
        """Stop bells and close the player (safe to call twice)."""
        if self._shut:
            return
        self._shut = True
        self.stop_bells()
        if self.player is not None:
            with contextlib.suppress(Exception):
                self.player.close()


def valid_key(key: str) -> bool:
    """True for a key Textual can bind: one character, a key name, or modifiers+key."""
    if not key:
        return False
    if len(key) == 1:
        return key.isprintable()
    *mods, name = key.split("+")
    if any(m not in ("ctrl", "shift", "alt", "meta", "super", "hyper") for m in mods):
        return False
    if len(name) == 1 or name in {k.value for k in Keys} or name in NAMED_KEYS:
        return True
    try:
        unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        return False
    return True


NAMED_KEYS = frozenset(
    {"space", "enter", "escape", "backspace", "tab", "delete", "insert", "home", "end"}
    | {"up", "down", "left", "right", "pageup", "pagedown"}
    | {f"f{i}" for i in range(1, 25)}
)


def open_player(paths: Paths, config: Config, no_sound: bool) -> Player:
    """The real player, or a silent one with a notice when sound cannot be had."""
    from companion.sound.player import SilentPlayer, make_player

    try:
        return make_player(
            paths,
            enabled=not no_sound,
            volume=config.volume,
            muted=config.muted,
            terminal_bell=config.terminal_bell,
        )
    except Exception as exc:  # sound must never stop a practice
        return SilentPlayer(volume=config.volume, muted=config.muted, notice=f"Sound is off: {exc}")


def open_default_journal(paths: Paths) -> Journal | None:
    """The user's journal (open_journal never raises; a bug in it still must not stop the app)."""
    from companion.journal import open_journal

    try:
        return open_journal(paths)
    except Exception:
        return None


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
) -> CompanionApp:
    """Build the app for the command line (defaults) or a test (fakes injected)."""
    paths = paths or Paths.from_env()
    notice: str | None = None
    if config is None:
        config, notice = load_config(paths)
    if practice is not None and minutes is not None:
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
    )


def companion_app(node: DOMNode) -> CompanionApp:
    """The running app, typed: how screens reach its settings, services and moves."""
    app = node.app
    if not isinstance(app, CompanionApp):
        raise TypeError(f"{node!r} is not running inside companion's app")
    return app
