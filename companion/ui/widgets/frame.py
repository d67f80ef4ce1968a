"""A widget that draws a frame of styled rows and repaints only the rows that changed.

Subclasses build a frame (rows of runs: text plus a component-class name and an opacity)
from data they are given, and hand it to `show` with a signature of what it depends on.
If the signature matches the last frame nothing happens; otherwise only rows whose runs
differ are marked dirty, so a breathing orb does not repaint the words under it.
Styles are looked up at paint time from component classes, so theme changes just work.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

Run = tuple[str, str, float]  # text, component class ("" for the widget's own style), opacity
Row = tuple[Run, ...]


def run(text: str, component: str = "", opacity: float = 1.0) -> Run:
    """One styled run of text in a row."""
    return (text, component, opacity)


def centred(runs: Sequence[Run], width: int) -> Row:
    """A row with its runs centred in width cells (cropped if too long)."""
    length = sum(len(r[0]) for r in runs)
    if length >= width:
        return crop_row(tuple(runs), width)
    left = (width - length) // 2
    return (run(" " * left), *runs)


def crop_row(row: Row, width: int) -> Row:
    """The row cut to at most width cells."""
    out: list[Run] = []
    room = width
    for text, comp, alpha in row:
        if room <= 0:
            break
        out.append((text[:room], comp, alpha))
        room -= len(text[:room])
    return tuple(out)


STRIPS_KEPT = 4096  # finished rows kept per widget: a whole breath of orb sizes, a few MB


class FrameWidget(Widget):
    """Base for the practice visuals: a cached frame of rows, repainted row by row."""

    DEFAULT_CSS = """
    FrameWidget {
        height: 1fr;
        width: 1fr;
    }
    """

    def __init__(
        self,
        *,
        reduce_motion: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._reduce_motion = reduce_motion
        self._rows: tuple[Row, ...] = ()
        self._signature: Hashable = None
        self.repaints = 0  # how many times a changed frame asked for a repaint (for tests, bench)
        # Resolving a component class to a style walks the CSS each time; at 30 frames a
        # second that was a third of the widget's cost, so styles are kept until they change.
        self._styles: dict[str, Style] = {}
        # Finished strips by row and width: the orb's rows come back on every breath, and
        # building each row's segments and strip again was about a tenth of a moving frame's
        # cost (py-spy, issue 18). Cleared with the styles; bounded, oldest out first.
        self._strips: dict[tuple[Row, int], Strip] = {}
        # Finished lines, as Textual's styling made them from those strips, by line and row:
        # see render_lines. Valid for one crop, set of line filters and top gutter.
        self._lines: dict[tuple[int, Row | None], Strip] = {}
        self._lines_key: tuple[Any, ...] = ()
        self._top = 0  # the top gutter (border and padding) when _lines_key was set

    @property
    def reduce_motion(self) -> bool:
        """When True the visual keeps still: no growing, fading or sliding (each kind says how)."""
        return self._reduce_motion

    @reduce_motion.setter
    def reduce_motion(self, value: bool) -> None:
        self._reduce_motion = value
        self.redraw()

    @property
    def frame_signature(self) -> Hashable:
        """What the last drawn frame depends on; equal signatures mean identical frames."""
        return self._signature

    @property
    def rows(self) -> tuple[Row, ...]:
        """The rows of the last frame (runs of text with their component classes)."""
        return self._rows

    @property
    def text_lines(self) -> list[str]:
        """The last frame as plain text lines (for tests)."""
        return ["".join(r[0] for r in row) for row in self._rows]

    def redraw(self) -> None:
        """Rebuild the frame from the data last given (called on resize)."""

    def on_resize(self) -> None:
        """A new size means a new frame."""
        self.redraw()

    def show(self, signature: Hashable, rows: Sequence[Row]) -> bool:
        """Make rows the current frame; repaint only what changed. True if anything did."""
        if signature == self._signature:
            return False
        new = tuple(rows)
        old = self._rows
        self._signature = signature
        self._rows = new
        width = self.size.width
        if not self.is_mounted or width == 0:
            return True
        self.repaints += 1
        if len(old) != len(new):
            self.refresh()
            return True
        dirty = [
            Region(0, y, width, 1) for y, (a, b) in enumerate(zip(old, new, strict=True)) if a != b
        ]
        if dirty:
            self.refresh(*dirty)
        return True

    def notify_style_update(self) -> None:
        """A theme or CSS change: forget the resolved styles."""
        self._styles.clear()
        self._strips.clear()
        self._lines.clear()
        self._lines_key = ()
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        """The finished lines in crop, kept by row, so a row seen before skips the styling.

        Textual restyles every line of every widget over a change (background, padding,
        border, filters): about a third of a moving frame's cost (py-spy, issue 18). A line's
        finished strip depends only on its row, its place and the styles, so it is kept by
        (line, row) and reused while crop, line filters and styles stay the same (a style
        change clears it, notify_style_update). Rows are still refreshed as they change, so
        Textual's own cache is right whenever it is asked.
        """
        filters = tuple(self.app.get_line_filters())
        key = (crop, filters)
        lines = self._lines
        if key != self._lines_key:
            lines.clear()
            self._lines_key = key
            self._top = self.styles.gutter.top
        rows = self._rows
        count = len(rows)
        top = self._top
        wanted = [(y, rows[y - top] if 0 <= y - top < count else None) for y in crop.line_range]
        get = lines.get
        out = [get(line_key) for line_key in wanted]
        if len(lines) + len(wanted) > STRIPS_KEPT:
            lines.clear()
        # Lines not kept yet are styled by Textual, a run of neighbours at a time: a new row
        # (the breath count each second) costs one line, not every line refreshed since.
        first = crop.y
        y = 0
        while y < len(out):
            if out[y] is not None:
                y += 1
                continue
            end = y + 1
            while end < len(out) and out[end] is None:
                end += 1
            styled = super().render_lines(Region(crop.x, first + y, crop.width, end - y))
            for index, strip in enumerate(styled, start=y):
                out[index] = lines[wanted[index]] = strip
            y = end
        return out  # type: ignore[return-value]  # every None was replaced just above

    def render_line(self, y: int) -> Strip:
        """Paint one row of the cached frame with the current theme's styles."""
        width = self.size.width
        if y >= len(self._rows):
            return Strip.blank(width, self._component(""))
        key = (self._rows[y], width)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) >= STRIPS_KEPT:
                del self._strips[next(iter(self._strips))]
            strip = self._strips[key] = self._paint(self._rows[y], width)
        return strip

    def _paint(self, row: Row, width: int) -> Strip:
        base = self._component("")
        segments: list[Segment] = []
        for text, component, alpha in row:
            if not text:
                continue
            style = base if not component else self._component(component)
            if alpha < 1.0:
                style = self._faded(style, alpha)
            segments.append(Segment(text, style))
        return Strip(segments).adjust_cell_length(width, base)

    def _component(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            if name:
                style = self.get_component_rich_style(name, default=self.rich_style)
            else:
                style = self.rich_style
            self._styles[name] = style
        return style

    def _faded(self, style: Style, alpha: float) -> Style:
        # Blend the text colour towards the background: a fade without terminal opacity.
        background = self.background_colors[1]
        colour = Color.from_rich_color(style.color) if style.color else self.styles.color
        mixed = background.blend(colour, max(0.0, alpha))
        return style + Style(color=mixed.rich_color)
