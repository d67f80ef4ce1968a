"""Settings: sound, theme, motion and the gentler options, saved to config.toml as they change."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Select, Static, Switch

from companion.config import Config
from companion.ui.app import companion_app
from companion.ui.bindings import bindings_for

SWITCHES: tuple[tuple[str, str], ...] = (
    ("muted", "Mute the bells"),
    ("terminal_bell", "Ring the terminal's bell at start and end (for machines with no sound)"),
    ("reduce_motion", "Reduce motion: still figures and filling bars"),
    ("hide_breath_guide", "Hide the breath guide's shape (its words, cues and bells stay)"),
    ("check_in", "Check in before and after a practice"),
    ("show_streak", "Show a streak of days in History"),
    ("window_title", "Show the phase and time left in the terminal's title"),
    ("eyes_closed", "Eyes closed: soft tones mark each breath, region and phrase (e)"),
)
VOLUMES = [(f"{v}%", v) for v in range(0, 101, 10)]


class SettingsScreen(Screen[None]):
    """Each change is applied and saved at once; escape goes back."""

    WHERE = "settings"
    # Here, not in app.tcss, so a start parses them only when settings open (issue 18).
    # Each selector names the screen: Textual scopes only the last one of a comma list.
    DEFAULT_CSS = """
    SettingsScreen #settings {
        padding: 1 4;
    }
    SettingsScreen .row {
        height: auto;
        margin-bottom: 1;
    }
    SettingsScreen .label {
        width: 12;
        padding-top: 1;
    }
    SettingsScreen .switch-label {
        padding-top: 1;
        padding-left: 1;
    }
    SettingsScreen #volume, SettingsScreen #theme, SettingsScreen #background,
    SettingsScreen #voice {
        width: 30;
    }
    SettingsScreen .hint {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("settings"))

    def compose(self) -> ComposeResult:
        """One row per setting."""
        app = companion_app(self)
        config = app.config
        with VerticalScroll(id="settings"):
            yield Static("Settings", classes="section")
            with Horizontal(classes="row"):
                yield Label("Volume", classes="label")
                yield Select(
                    VOLUMES,
                    value=int(round(config.volume * 10) * 10),
                    allow_blank=False,
                    id="volume",
                )
            with Horizontal(classes="row"):
                yield Label("Theme", classes="label")
                themes = sorted(app.available_themes)
                yield Select(
                    [(name, name) for name in themes],
                    value=config.theme if config.theme in themes else "companion",
                    allow_blank=False,
                    id="theme",
                )
            yield from _sound_rows(app.config, sorted(_soundscapes(app)))
            for name, words in SWITCHES:
                with Horizontal(classes="row"):
                    yield Switch(value=bool(getattr(config, name)), id=name)
                    yield Label(words, classes="switch-label")
            yield Static(
                f"Saved in {app.paths.config_file}",
                classes="hint",
            )
        yield Footer()

    def on_switch_changed(self, event: Switch.Changed) -> None:
        """Save a switch."""
        name = event.switch.id or ""
        app = companion_app(self)
        if name == "muted":
            app.set_muted(event.value)
        else:
            app.update_config(**{name: event.value})

    def on_select_changed(self, event: Select.Changed) -> None:
        """Save the volume or theme."""
        app = companion_app(self)
        if event.select.id == "volume" and isinstance(event.value, int):
            volume = event.value / 100
            if volume != app.config.volume:
                app.set_volume(volume)
        elif (
            event.select.id in ("background", "voice")
            and isinstance(event.value, str)
            and event.value != "custom"  # a command is kept as written in config.toml
        ):
            chosen: str = event.value
            if event.select.id == "background" and chosen != app.config.background:
                app.update_config(background=chosen)
            elif event.select.id == "voice" and chosen != app.config.voice:
                app.update_config(voice=chosen)
        elif (
            event.select.id == "theme"
            and isinstance(event.value, str)
            and event.value != app.config.theme
        ):
            app.theme = event.value
            app.update_config(theme=event.value)

    def action_close(self) -> None:
        """Back to the home screen."""
        self.app.pop_screen()


def _soundscapes(app: object) -> list[str]:
    from companion.sound.files import soundscape_files

    paths = getattr(app, "paths", None)
    return list(soundscape_files(paths)) if paths is not None else []


def _sound_rows(config: Config, scapes: list[str]) -> ComposeResult:
    """The soundscape beneath every practice (a practice's [sound] wins) and the voice."""
    with Horizontal(classes="row"):
        yield Label("Soundscape", classes="label")
        current = config.background if config.background in scapes else ""
        yield Select(
            [("none", ""), *((name, name) for name in scapes)],
            value=current,
            allow_blank=False,
            id="background",
        )
    with Horizontal(classes="row"):
        yield Label("Spoken cues", classes="label")
        voices = [("off", "off"), ("the computer's voice", "system")]
        if not isinstance(config.voice, str) or config.voice not in ("off", "system"):
            voices.append(("your command", "custom"))
        value = config.voice if config.voice in ("off", "system") else "custom"
        yield Select(voices, value=value, allow_blank=False, id="voice")
