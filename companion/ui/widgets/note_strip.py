"""A strip of notes across the session: a mark per note at its time, denser where they crowd."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from companion.engine.notes import Note
from companion.ui.widgets.frame import FrameWidget, Row, run

DENSITY = ("•", "●", "◉")  # 1, 2, 3+ notes in one cell: the mark grows denser
PALETTE_SIZE = 6


def strip_cells(notes: Sequence[Note], total: float, width: int) -> list[tuple[int, str]]:
    """Per cell: how many notes fell in it and the most frequent label there."""
    counts: list[Counter[str]] = [Counter() for _ in range(max(0, width))]
    if width <= 0:
        return []
    span = total if total > 0 else 1.0
    for note in notes:
        col = min(width - 1, max(0, int(note.t / span * width)))
        counts[col][note.label] += 1
    return [(sum(c.values()), c.most_common(1)[0][0] if c else "") for c in counts]


def density_glyph(count: int) -> str:
    """The mark for a cell with `count` notes (a space for none)."""
    if count <= 0:
        return " "
    return DENSITY[min(count, len(DENSITY)) - 1]


def label_order(labels: Sequence[str], notes: Sequence[Note]) -> dict[str, int]:
    """A colour slot for every label: the given labels first, then others as they appear."""
    order: dict[str, int] = {}
    for label in [*labels, *(n.label for n in notes)]:
        if label not in order:
            order[label] = len(order) % PALETTE_SIZE
    return order


def clock(seconds: float) -> str:
    """m:ss (or h:mm:ss) for a time in the practice."""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def strip_row(
    notes: Sequence[Note], total: float, width: int, order: dict[str, int], prefix: str
) -> Row:
    """One row of the strip as styled runs, consecutive cells of one colour merged."""
    runs: list[tuple[str, str, float]] = []
    for count, label in strip_cells(notes, total, width):
        glyph = density_glyph(count)
        comp = f"{prefix}--label-{order.get(label, 0)}" if count else f"{prefix}--empty"
        if count == 0:
            glyph = "┈"  # a faint baseline so the strip reads as a timeline
        if runs and runs[-1][1] == comp:
            runs[-1] = (runs[-1][0] + glyph, comp, 1.0)
        else:
            runs.append((glyph, comp, 1.0))
    return tuple(runs)


STRIP_CSS_COLOURS = ("#7fc8c8", "#8fb3e0", "#b8a6d9", "#a8c99a", "#e0c58f", "#d9a6b3")


def palette_css(widget: str, prefix: str) -> str:
    """CSS giving each colour slot of a strip its calm colour."""
    return "\n".join(
        f"{widget} > .{prefix}--label-{i} {{ color: {c}; }}"
        for i, c in enumerate(STRIP_CSS_COLOURS)
    )


class NoteStrip(FrameWidget):
    """When notes happened across a session: one row of marks, and a time axis if there is room."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "note-strip--empty",
        "note-strip--axis",
        *(f"note-strip--label-{i}" for i in range(PALETTE_SIZE)),
    }

    DEFAULT_CSS = """
    NoteStrip {
        height: 2;
        width: 1fr;
    }
    NoteStrip > .note-strip--empty { color: $text-disabled; }
    NoteStrip > .note-strip--axis { color: $text-muted; }
    """ + palette_css("NoteStrip", "note-strip")

    def __init__(
        self,
        notes: Sequence[Note],
        total: float,
        *,
        labels: Sequence[str] = (),
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._notes = tuple(notes)
        self._total = total
        self._labels = tuple(labels)

    def set_notes(self, notes: Sequence[Note], total: float) -> None:
        """Show a new set of notes over a session `total` seconds long."""
        self._notes = tuple(notes)
        self._total = total
        self.redraw()

    def redraw(self) -> None:
        """Rebuild the strip for the current size."""
        width, height = self.size
        cells = tuple(strip_cells(self._notes, self._total, width))
        signature = (width, height, cells, self._total)
        if signature == self.frame_signature:
            return
        order = label_order(self._labels, self._notes)
        rows: list[Row] = [strip_row(self._notes, self._total, width, order, "note-strip")]
        if height >= 2:
            start, end = "0:00", clock(self._total)
            room = width - len(start) - len(end)
            if room >= 1:
                rows.append((run(start + " " * room + end, "note-strip--axis"),))
        self.show(signature, rows)
