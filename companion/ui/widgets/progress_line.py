"""A thin line for the whole practice: filled up to now, with a mark at each segment boundary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from companion.engine.state import State
from companion.ui.widgets.frame import FrameWidget, Row, run
from companion.ui.widgets.note_strip import clock

FILLED, EMPTY, MARK = "━", "─", "┃"


def progress_cells(
    t: float, boundaries: Sequence[float], total: float, width: int
) -> tuple[int, frozenset[int]]:
    """How many cells are filled at t, and the cells that mark segment boundaries."""
    if width <= 0 or total <= 0:
        return 0, frozenset()
    filled = max(0, min(width, int(t / total * width)))
    marks = frozenset(min(width - 1, int(b / total * width)) for b in boundaries if 0 < b < total)
    return filled, marks


class ProgressLine(FrameWidget):
    """The practice's progress as one row; an open practice shows the time elapsed instead."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "progress-line--done",
        "progress-line--todo",
        "progress-line--mark-done",
        "progress-line--mark-todo",
        "progress-line--elapsed",
    }

    DEFAULT_CSS = """
    ProgressLine {
        height: 1;
        width: 1fr;
    }
    ProgressLine > .progress-line--done { color: $accent; }
    ProgressLine > .progress-line--todo { color: $text-disabled; }
    ProgressLine > .progress-line--mark-done { color: $accent-lighten-2; text-style: bold; }
    ProgressLine > .progress-line--mark-todo { color: $text-muted; }
    ProgressLine > .progress-line--elapsed { color: $text-muted; }
    """

    def __init__(
        self,
        boundaries: Sequence[float],
        total: float | None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.boundaries = tuple(boundaries)
        self.total = total
        self.t = 0.0
        self.filled = 0  # cells filled as last drawn

    def set_time(self, t: float) -> None:
        """Show progress at practice time t; repaints only when the filled cells change."""
        self.t = t
        self.redraw()

    def update_from(self, state: State) -> None:
        """Same as set_time(state.t), for symmetry with the other practice widgets."""
        self.set_time(state.t)

    def redraw(self) -> None:
        """Rebuild the line for the current time and size."""
        width = self.size.width
        if self.total is None:
            text = f"{clock(self.t)} elapsed"
            self.show((width, text), [(run(text.rjust(width), "progress-line--elapsed"),)])
            return
        filled, marks = progress_cells(self.t, self.boundaries, self.total, width)
        signature = (width, filled, marks)
        if signature == self.frame_signature:
            return
        self.filled = filled
        runs: list[tuple[str, str, float]] = []
        for x in range(width):
            done = x < filled
            if x in marks:
                glyph, comp = (
                    MARK,
                    "progress-line--mark-done" if done else "progress-line--mark-todo",
                )
            else:
                glyph, comp = (
                    (FILLED, "progress-line--done") if done else (EMPTY, "progress-line--todo")
                )
            if runs and runs[-1][1] == comp:
                runs[-1] = (runs[-1][0] + glyph, comp, 1.0)
            else:
                runs.append((glyph, comp, 1.0))
        row: Row = tuple(runs)
        self.show(signature, [row])
