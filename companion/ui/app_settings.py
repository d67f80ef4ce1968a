"""The app's settings: config.toml applied (theme, keys, motion) and changed in place, what
the app remembers for itself (state.json), and notices said once.

`CompanionApp` (ui/app.py) is built on `SettingsApp`; kept apart so each file stays small.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.notifications import SeverityLevel

from companion.config import Config, ConfigError, save_config
from companion.paths import Paths
from companion.ui.bindings import BINDING_IDS
from companion.ui.keys import valid_key

if TYPE_CHECKING:
    from companion.sound.player import Player
    from companion.state import State


class SettingsApp(App[int]):
    """Settings applied, changed and remembered; each notice said once."""

    paths: Paths
    config: Config
    player: Player | None  # None until the mixer is open
    reduce_motion_flag: bool

    def __init__(self) -> None:
        super().__init__()
        self._animation_default = self.animation_level  # as TEXTUAL_ANIMATIONS set it
        self.keymap: dict[str, str] = {}
        self._save_warned = False
        self._said: set[str] = set()  # notices already shown, so each is shown once
        self._state: State | None = None

    @property
    def reduce_motion(self) -> bool:
        """Motion reduced by the flag, the setting, or TEXTUAL_ANIMATIONS=none or basic."""
        # Textual reads TEXTUAL_ANIMATIONS into animation_level; "basic" asks for less motion,
        # and a growing and shrinking shape is the most motion companion has.
        quiet = self._animation_default != "full"
        return self.reduce_motion_flag or self.config.reduce_motion or quiet

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

    @property
    def state(self) -> State:
        """What the app remembers for itself (state.json; an old config's values carried over)."""
        from companion.state import load_state

        if self._state is None:
            self._state = load_state(self.paths, {"last_practice": self.config.last_practice})
        return self._state

    def remember(self, **changes: Any) -> None:
        """Remember something for next time in state.json; config.toml is never touched."""
        from companion.state import save_state

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
