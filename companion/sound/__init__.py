"""Sound: chime players behind one protocol, the chimes that ring a practice on time, and
finding sound files (files.py).

Nothing here imports pygame at import time; the mixer player imports it on its own thread.
The names below are loaded when first used, so finding sound files (which the library
does for every practice) does not load the players and the chimes as well.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.sound.chimes import Chimes
    from companion.sound.player import (
        NO_DEVICE,
        MixerPlayer,
        Player,
        RecordingPlayer,
        SilentPlayer,
        TerminalBellPlayer,
        make_player,
    )

_HOMES = {
    "Chimes": "companion.sound.chimes",
    "NO_DEVICE": "companion.sound.player",
    "MixerPlayer": "companion.sound.player",
    "Player": "companion.sound.player",
    "RecordingPlayer": "companion.sound.player",
    "SilentPlayer": "companion.sound.player",
    "TerminalBellPlayer": "companion.sound.player",
    "make_player": "companion.sound.player",
}

__all__ = [
    "NO_DEVICE",
    "Chimes",
    "MixerPlayer",
    "Player",
    "RecordingPlayer",
    "SilentPlayer",
    "TerminalBellPlayer",
    "make_player",
]


def __getattr__(name: str) -> Any:
    """Load a player or the chimes the first time one is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'companion.sound' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
