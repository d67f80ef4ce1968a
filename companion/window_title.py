"""The terminal's window (or tab) title while practising: the phase, the practice, time left.

Written at phase and segment changes only (and on pause), never per frame or per second:
`Breathe in · Box breathing · 04:12`. The title the terminal had before is pushed on its
stack first (xterm's `CSI 22;0 t`, also understood by tmux, VTE, kitty, foot and others) and
popped when the practice ends, so the shell's own title comes back; a terminal that knows
no title stack ignores both and keeps the last title until the shell sets its own.

Pure: imports neither textual nor pygame. `write` is whatever reaches the terminal in order
with everything else drawn on it (Textual's driver, or the plain runner's stream).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TextIO

from companion.engine.state import State
from companion.practice.durations import clock_text

PUSH = "\x1b[22;0t"  # save the current icon and window title on the terminal's stack
POP = "\x1b[23;0t"  # restore them
MAX_TITLE = 120


def osc_title(text: str) -> str:
    """OSC 2: set the window title (control characters removed so nothing can escape)."""
    clean = "".join(ch for ch in text if ch.isprintable())[:MAX_TITLE]
    return f"\x1b]2;{clean}\x07"


def title_text(state: State, practice_title: str, paused: bool) -> str:
    """`Breathe in · Box breathing · 04:12` (the segment outside paced breathing)."""
    breath = state.breath
    what = breath.word if breath is not None and breath.paced else state.segment.heading
    if paused:
        what = "Paused"
    left = state.remaining
    clock = f"{clock_text(state.t)} so far" if left is None else clock_text(math.ceil(left - 1e-9))
    return " · ".join((what, practice_title, clock))


def title_key(state: State, paused: bool) -> tuple[object, ...]:
    """What must change for the title to be written again: phase, breath, segment, pause."""
    breath = state.breath
    if breath is not None and breath.paced:
        return (state.segment_index, breath.cycle, breath.phase, paused)
    return (state.segment_index, None, None, paused)


class WindowTitle:
    """Shows a practice in the terminal's title; `restore()` gives the old title back."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write
        self._key: tuple[object, ...] | None = None
        self._pushed = False
        self.writes = 0  # titles written so far (the tests and the benchmark read it)

    def show(self, state: State, practice_title: str, paused: bool) -> None:
        """Write the title if the phase, segment or pause changed since the last one."""
        key = title_key(state, paused)
        if key == self._key:
            return
        self._key = key
        out = osc_title(title_text(state, practice_title, paused))
        if not self._pushed:
            self._pushed = True
            out = PUSH + out
        self.writes += 1
        self._write(out)

    def restore(self) -> None:
        """Pop the title pushed at the first show (safe to call twice, or never shown)."""
        if self._pushed:
            self._pushed = False
            self._key = None
            self._write(POP)


def stream_writer(stream: TextIO) -> Callable[[str], None]:
    """A `write` for a text stream, flushed so the title changes when the phase does."""

    def write(text: str) -> None:
        try:
            stream.write(text)
            stream.flush()
        except (OSError, ValueError):
            pass  # the terminal went away: a title is not worth an error

    return write
