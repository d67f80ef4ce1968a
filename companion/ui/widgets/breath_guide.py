"""The breathing guide: an orb that grows on the in-breath, rests on holds, shrinks on the out.

With the shape hidden (the `b` key) only the words stay: the phase word or the practice's own
label. Hiding the guide hides the shape, never the guidance.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import ClassVar

from textual.geometry import Size

from companion.engine.state import BreathState, State
from companion.ui.widgets.braille import circle_cells, core_spans, ring_cells
from companion.ui.widgets.frame import FrameWidget, Row, centred, run

MIN_FRACTION = 0.2  # the orb never shrinks below this share of its full radius
CORE_FRACTION = 0.6  # the inner part of the orb is drawn a little brighter, like a glow
BAR_MAX = 40
ORB_SHARE = 0.7  # an auto-height guide gives its orb at most this share of the container
TEXT_ROWS = 2  # the phase word and its detail


RADIUS_STEP = 0.25  # dots: fine enough that a moving orb changes on almost every frame


def orb_radius(size: float, max_radius: float) -> float:
    """The orb's radius in quarter dots for a breath size 0..1 (quantised so equal frames match).

    Whole dots gave only 10-16 distinct frames a second mid-breath at 120x40; at a quarter dot
    the disc's edge gains or loses dots on nearly every 1/30 s frame while it moves, and each
    size is drawn once and cached, so the extra smoothness costs only the first breath.
    """
    size = min(1.0, max(0.0, size))
    low = max(1.0, max_radius * MIN_FRACTION)
    steps = round((low + (max_radius - low) * size) / RADIUS_STEP)
    return max(1.0, steps * RADIUS_STEP)


def max_radius(width: int, height: int) -> float:
    """The largest orb, in dots, that fits width x height cells with a little air around it."""
    return max(0.0, min(width * 2, height * 4) / 2 - 1.0)


def orb_height(width: int, height: int, text_rows: int, bar: bool) -> int:
    """Rows for the orb: what the words leave, but no more than the widest orb needs."""
    # Without the width limit a tall, narrow pane puts the words far below a small orb.
    left = height - text_rows - 1 - (2 if bar else 0)  # a blank row between orb and words
    return max(0, min(left, math.ceil(width / 2)))


def block_height(width: int, orb_h: int, text_rows: int, bar: bool) -> int:
    """Rows of the orb, the bar and the words together (no orb when too little room)."""
    orb = orb_h + 1 if orb_h >= 2 and max_radius(width, orb_h) >= 2 else 0
    return orb + (2 if bar else 0) + text_rows


def phase_detail(breath: BreathState) -> str:
    """Seconds left in the phase and the breath count, e.g. "3 · breath 4"."""
    return f"{math.ceil(breath.remaining - 1e-9)} · breath {breath.cycle}"


class BreathGuide(FrameWidget):
    """A breathing orb with the phase word, seconds left and the breath count under it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "breath-guide--orb",
        "breath-guide--core",
        "breath-guide--outline",
        "breath-guide--word",
        "breath-guide--detail",
        "breath-guide--bar",
        "breath-guide--bar-empty",
    }

    DEFAULT_CSS = """
    BreathGuide {
        height: 1fr;
        width: 1fr;
        min-height: 1;
    }
    BreathGuide > .breath-guide--orb { color: $accent 70%; }
    BreathGuide > .breath-guide--core { color: $accent; }
    BreathGuide > .breath-guide--outline { color: $accent 60%; }
    BreathGuide > .breath-guide--word { color: $text; text-style: bold; }
    BreathGuide > .breath-guide--detail { color: $text-muted; }
    BreathGuide > .breath-guide--bar { color: $accent; }
    BreathGuide > .breath-guide--bar-empty { color: $text-disabled; }
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
        self._breath: BreathState | None = None
        self._ramp = False
        self.radius = 0.0  # the orb's radius in dots as last drawn (0 when none is drawn)
        self.room_below = 0  # rows of the container left free under an auto-height guide
        self.shape_hidden = False  # True: words only (no orb, bar or counting)
        self._shape: tuple[int, bool] = (TEXT_ROWS, False)

    def update_from(self, state: State) -> None:
        """Draw the breath part of a state; repaints only if the visible frame changed."""
        self._breath = state.breath
        self._ramp = state.segment.ramp is not None
        self.redraw()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """With `height: auto`: the largest orb and its words, leaving `room_below` rows free."""
        height = max(1, container.height - self.room_below)
        orb_h, text_rows, bar = self._block(width, height)
        # Leave air above and below: an orb filling the pane dwarfs the words at its foot.
        orb_h = min(orb_h, math.floor(height * ORB_SHARE))
        return min(height, block_height(width, orb_h, text_rows, bar))

    def _block(self, width: int, height: int) -> tuple[int, int, bool]:
        """Rows for the orb at its largest, rows for the words, and whether a bar is drawn."""
        breath = self._breath
        if self.shape_hidden:
            return 0, len(self._text_lines(breath)) if breath else 1, False
        text_rows = max(TEXT_ROWS, len(self._text_lines(breath))) if breath else TEXT_ROWS
        bar = self.reduce_motion and breath is not None and breath.paced
        return orb_height(width, height, text_rows, bar), text_rows, bar

    def redraw(self) -> None:
        """Rebuild the frame from the last breath state and the current size."""
        breath = self._breath
        width, height = self.size
        if breath is None:
            self.radius = 0
            self.show((width, height, None), ())
            return
        orb_h, text_rows, bar = self._block(width, height)
        if (text_rows, bar) != self._shape:
            # A ramp's extra line or the reduce-motion bar changes how tall the block is.
            self._shape = (text_rows, bar)
            if self.styles.height is not None and self.styles.height.is_auto:
                self.refresh(layout=True)
        lines = self._text_lines(breath)[: max(1, height)]
        radius = 0.0
        rmax = max_radius(width, orb_h) if orb_h >= 2 else 0.0
        if rmax >= 2:
            radius = round(rmax * 0.75) if self.reduce_motion else orb_radius(breath.size, rmax)
        fill = 0
        bar_w = min(BAR_MAX, max(0, width - 4))
        if bar and bar_w > 0:
            fill = round(min(1.0, max(0.0, breath.progress)) * bar_w)
        signature = (width, height, self.reduce_motion, radius, fill, tuple(lines))
        if signature == self.frame_signature:
            return
        self.radius = radius
        rows: list[Row] = []
        if radius:
            # The orb's rows span its largest size, so the words stay put as it breathes.
            rows.extend(self._orb_rows(radius, width, orb_h))
            rows.append(())
        if bar and bar_w > 0:
            rows.append(
                centred(
                    (
                        run("━" * fill, "breath-guide--bar"),
                        run("─" * (bar_w - fill), "breath-guide--bar-empty"),
                    ),
                    width,
                )
            )
            rows.append(())
        words = [centred((run(text, comp),), width) for text, comp in lines]
        rows.extend(words)
        if len(rows) > height:
            rows = words[:height]  # no room for the shape: the words matter most
        elif radius:
            # Pad to the usual number of word rows so the block keeps one height and place.
            rows.extend([()] * max(0, min(text_rows - len(words), height - len(rows))))
        # Centre the block (orb and words as one unit) vertically.
        top = max(0, (height - len(rows)) // 2)
        self.show(signature, [()] * top + rows)

    def _text_lines(self, breath: BreathState) -> list[tuple[str, str]]:
        lines = [(breath.word, "breath-guide--word")]
        if breath.paced and not self.shape_hidden:
            lines.append((phase_detail(breath), "breath-guide--detail"))
            if self._ramp:
                lines.append((f"pattern {breath.pattern.short()}", "breath-guide--detail"))
        return lines

    def _orb_rows(self, radius: float, width: int, height: int) -> tuple[Row, ...]:
        if self.reduce_motion:
            return tuple(
                ((row, "breath-guide--outline", 1.0),) for row in ring_cells(radius, width, height)
            )
        return orb_rows(radius, width, height)


@lru_cache(maxsize=512)
def orb_rows(radius: float, width: int, height: int) -> tuple[Row, ...]:
    """The filled orb as rows of runs: a brighter core inside a softer rim."""
    cells = circle_cells(radius, width, height)
    rows: list[Row] = []
    # Each row is rim, core, rim: the core is one run of cells, so the glow costs only a few
    # segments and no per-cell work.
    for text, span in zip(cells, core_spans(radius, width, height, CORE_FRACTION), strict=True):
        if span is None:
            rows.append(((text, "breath-guide--orb", 1.0),) if text else ())
            continue
        lo, hi = span[0], span[1] + 1
        runs = [
            (text[:lo], "breath-guide--orb", 1.0),
            (text[lo:hi], "breath-guide--core", 1.0),
            (text[hi:], "breath-guide--orb", 1.0),
        ]
        rows.append(tuple(r for r in runs if r[0]))
    return tuple(rows)
