"""The Textual floor: a bare app changing one small Static at a given rate (24 a second unless
told), the cheapest possible Textual animation at companion's visible-update rate.

bench/run.py starts it with the rate it measured for companion's breath guide in the same run,
and reports the guide's CPU as a ratio to this app's: what companion costs beyond what any
Textual app pays to show that many small changes a second.

    python bench/floor_app.py [UPDATES_PER_SECOND]
"""

from __future__ import annotations

import sys
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

MARKER = "Textual floor"
DEFAULT_RATE = 24.0  # companion's breath guide draws at most 24 frames a second


class FloorApp(App[None]):
    """One short line whose text changes `rate` times a second, on one interval timer."""

    BINDINGS: ClassVar[list[BindingType]] = [("q", "quit", "Quit")]

    def __init__(self, rate: float = DEFAULT_RATE) -> None:
        super().__init__()
        self.rate = rate
        self.frames = 0
        self.line = Static(f"{MARKER} 0")

    def compose(self) -> ComposeResult:
        """The line bench/run.py waits for."""
        yield self.line

    def on_mount(self) -> None:
        """Change the text `rate` times a second."""
        self.set_interval(1 / self.rate, self.step)

    def step(self) -> None:
        """A new text every time, so every step is a visible update."""
        self.frames += 1
        self.line.update(f"{MARKER} {self.frames}")


if __name__ == "__main__":
    FloorApp(float(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_RATE).run()
