"""The CPU baseline: a plain Textual app redrawing a full-screen braille circle 30 times a second.

This is what "an animated shape in a terminal" costs when nothing is clever: a 30 Hz timer,
a circle whose radius breathes with a sine (so every frame is a new picture) and a full
refresh of the whole screen each frame. The circle itself is computed cheaply (one span per
dot row), so the figure is Textual's cost of painting and writing frames, not Python maths.
bench/run.py measures this process's CPU side by side with companion's breathing guide.
"""

from __future__ import annotations

import math
import time

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widget import Widget

FPS = 30
PERIOD = 8.0  # seconds for one grow-and-shrink, like a slow breath
BLANK = 0x2800
# Bit for the dot at (column, row) inside a braille cell, in Unicode's numbering.
DOT_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


def circle_rows(radius: float, width: int, height: int) -> list[str]:
    """A filled disc of `radius` dots centred in width x height cells, as braille rows."""
    cx, cy = width, height * 2  # centre in dots: a cell is 2 dots wide and 4 dots tall
    cells = [[0] * width for _ in range(height)]
    for py in range(height * 4):
        dy = py + 0.5 - cy
        if abs(dy) > radius:
            continue
        half = math.sqrt(radius * radius - dy * dy)
        x0 = max(0, math.ceil(cx - half - 0.5))
        x1 = min(width * 2 - 1, math.floor(cx + half - 0.5))
        row = cells[py // 4]
        bit_row = py % 4
        for px in range(x0, x1 + 1):
            row[px // 2] |= DOT_BITS[px % 2][bit_row]
    return ["".join(" " if b == 0 else chr(BLANK + b) for b in row) for row in cells]


class Circle(Widget):
    """Repaints the whole screen every frame."""

    DEFAULT_CSS = "Circle { width: 1fr; height: 1fr; }"

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[str] = []
        self._start = time.monotonic()

    def on_mount(self) -> None:
        """Start the 30 Hz animation."""
        self.set_interval(1 / FPS, self.step)

    def step(self) -> None:
        """Compute the next circle and refresh everything."""
        width, height = self.size
        phase = (time.monotonic() - self._start) / PERIOD * 2 * math.pi
        full = min(width * 2, height * 4) / 2 - 1
        radius = full * (0.6 + 0.4 * math.sin(phase))
        self._rows = circle_rows(radius, width, height)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """One braille row."""
        width = self.size.width
        text = self._rows[y] if y < len(self._rows) else ""
        return Strip([Segment(text)]).adjust_cell_length(width)


class BrailleCircleApp(App[None]):
    """A full-screen breathing braille circle."""

    BINDINGS = [("q", "quit", "Quit")]  # noqa: RUF012 (Textual's own idiom)

    def compose(self) -> ComposeResult:
        """Just the circle."""
        yield Circle()


if __name__ == "__main__":
    BrailleCircleApp().run()
