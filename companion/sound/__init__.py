"""Sound: chime players behind one protocol, and the chimes that ring a practice on time.

Nothing here imports pygame at import time; the mixer player imports it on its own thread.
"""

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
