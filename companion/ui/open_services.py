"""Opening the app's real sound player and journal, never letting either stop the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.config import Config
from companion.paths import Paths
from companion.services import Journal

if TYPE_CHECKING:  # named only: the mixer's module loads on the services thread
    from companion.sound.player import Player


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
