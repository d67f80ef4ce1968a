"""The body-scan figure: a standing figure with a band of light moving through it."""

from __future__ import annotations

import textwrap
from typing import ClassVar

from companion.engine.state import ScanState, State
from companion.ui.widgets.figure import MIN_ROWS, band_row, figure_rows, figure_width, region_rows
from companion.ui.widgets.frame import FrameWidget, Row, run

SIDE_TEXT_MIN = 18  # the words go beside the figure only when they get at least this many cells
SIDE_TEXT_MAX = 42
GLOW_MIN_ROWS = 20  # a figure this tall gets a three-row band: a bright row between two soft ones


def figure_layout(width: int, height: int, text_rows: int) -> tuple[int, bool]:
    """How many rows the figure gets and whether the words sit beside it (else below)."""
    rows = height
    while rows >= MIN_ROWS and figure_width(rows) + 2 > width:
        rows -= 1
    if rows >= MIN_ROWS and width - figure_width(rows) - 6 >= SIDE_TEXT_MIN:
        return rows, True
    rows = min(rows, height - text_rows - 1)
    return (rows if rows >= MIN_ROWS else 0), False


def row_tones(rows: int, region: str, visited: tuple[str, ...], band: int | None) -> list[str]:
    """The component class of each figure row: band, glow, current region, visited or plain."""
    tones = ["body-figure--figure"] * rows
    for name in visited:
        for y in region_rows(name, rows):
            tones[y] = "body-figure--visited"
    for y in region_rows(region, rows):
        tones[y] = "body-figure--current"
    if band is not None:
        if rows >= GLOW_MIN_ROWS:
            for y in (band - 1, band + 1):
                if 0 <= y < rows:
                    tones[y] = "body-figure--glow"
        tones[band] = "body-figure--band"
    return tones


class BodyFigure(FrameWidget):
    """A standing figure, the scan's band of light, the region's name and its prompt."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "body-figure--figure",
        "body-figure--visited",
        "body-figure--current",
        "body-figure--glow",
        "body-figure--band",
        "body-figure--title",
        "body-figure--count",
        "body-figure--prompt",
    }

    DEFAULT_CSS = """
    BodyFigure {
        height: 1fr;
        width: 1fr;
        min-height: 1;
    }
    BodyFigure > .body-figure--figure { color: $text-muted; }
    BodyFigure > .body-figure--visited { color: $text-disabled; }
    BodyFigure > .body-figure--current { color: $accent-lighten-1; }
    BodyFigure > .body-figure--glow { color: $accent-lighten-2; background: $accent 12%; }
    BodyFigure > .body-figure--band { color: $text; background: $accent 30%; text-style: bold; }
    BodyFigure > .body-figure--title { color: $accent-lighten-1; text-style: bold; }
    BodyFigure > .body-figure--count { color: $text-muted; }
    BodyFigure > .body-figure--prompt { color: $text; }
    """

    def __init__(
        self,
        *,
        reduce_motion: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(reduce_motion=reduce_motion, name=name, id=id, classes=classes)
        self._scan: ScanState | None = None
        self._band_row: int | None = None

    @property
    def band_row(self) -> int | None:
        """The row of the band of light within the figure as last drawn (None: no figure)."""
        return self._band_row

    def update_from(self, state: State) -> None:
        """Draw the scan part of a state; repaints only if the visible frame changed."""
        self._scan = state.scan
        self.redraw()

    def redraw(self) -> None:
        """Rebuild the frame from the last scan state and the current size."""
        scan = self._scan
        width, height = self.size
        if scan is None:
            self._band_row = None
            self.show((width, height, None), ())
            return
        title = scan.region.title() if scan.region else ""
        count = f"{scan.index + 1} of {scan.count}" if scan.count > 1 else ""
        below_lines = len(textwrap.wrap(scan.prompt, max(8, min(SIDE_TEXT_MAX, width - 2))))
        rows, beside = figure_layout(width, height, text_rows=(3 if count else 2) + below_lines)
        fig_w = figure_width(rows) if rows else 0
        text_w = min(SIDE_TEXT_MAX, width - fig_w - 6) if beside else min(SIDE_TEXT_MAX, width - 2)
        prompt = textwrap.wrap(scan.prompt, max(8, text_w)) if scan.prompt else []
        band = band_row(scan.band, rows) if rows else None
        signature = (width, height, rows, band, scan.region, scan.visited, count, scan.prompt)
        if signature == self.frame_signature:
            return
        self._band_row = band
        text: list[Row] = [(run(title, "body-figure--title"),)]
        if count:
            text.append((run(count, "body-figure--count"),))
        text.append(())
        text.extend((run(line, "body-figure--prompt"),) for line in prompt)
        if not rows:
            self.show(signature, [_indent(r, 1) for r in text][:height])
            return
        art = figure_rows(rows)
        tones = row_tones(rows, scan.region, scan.visited, band)
        if beside:
            left = max(1, (width - fig_w - 4 - text_w) // 3)
            gap = 4
            top = max(0, (rows - len(text)) // 2)
            frame = []
            for y in range(rows):
                # The band (and glow) paint a cell of margin either side of the figure.
                figure_row: Row = (run(" " * (left - 1)), run(f" {art[y]} ", tones[y]))
                t = y - top
                extra = text[t] if 0 <= t < len(text) else ()
                frame.append((*figure_row, run(" " * (gap - 1)), *extra))
            self.show(signature, frame)
            return
        left = max(1, (width - fig_w) // 2)
        frame = [(run(" " * (left - 1)), run(f" {art[y]} ", tones[y])) for y in range(rows)]
        frame.append(())
        frame.extend(_indent(r, max(0, (width - text_w) // 2)) for r in text)
        self.show(signature, frame[:height])


def _indent(row: Row, cells: int) -> Row:
    return (run(" " * cells), *row) if row else row
