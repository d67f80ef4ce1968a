"""The breathing guide: an orb that grows on the in-breath, rests on holds, shrinks on the out."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import ClassVar

from companion.engine.state import BreathState, State
from companion.ui.widgets.braille import circle_cells, core_mask, ring_cells
from companion.ui.widgets.frame import FrameWidget, Row, centred, run

MIN_FRACTION = 0.2  # the orb never shrinks below this share of its full radius
CORE_FRACTION = 0.6  # the inner part of the orb is drawn a little brighter, like a glow
BAR_MAX = 40


def orb_radius(size: float, max_radius: float) -> int:
    """The orb's radius in whole dots for a breath size 0..1 (quantised so equal frames match)."""
    size = min(1.0, max(0.0, size))
    low = max(1.0, max_radius * MIN_FRACTION)
    return max(1, round(low + (max_radius - low) * size))


def max_radius(width: int, height: int) -> float:
    """The largest orb, in dots, that fits width x height cells with a little air around it."""
    return max(0.0, min(width * 2, height * 4) / 2 - 1.0)


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
        super().__init__(name=name, id=id, classes=classes)
        self._reduce_motion = reduce_motion
        self._breath: BreathState | None = None
        self._ramp = False
        self.radius = 0  # the orb's radius in dots as last drawn (0 when none is drawn)

    @property
    def reduce_motion(self) -> bool:
        """When True: a still outline and a filling bar instead of a growing orb."""
        return self._reduce_motion

    @reduce_motion.setter
    def reduce_motion(self, value: bool) -> None:
        self._reduce_motion = value
        self.redraw()

    def update_from(self, state: State) -> None:
        """Draw the breath part of a state; repaints only if the visible frame changed."""
        self._breath = state.breath
        self._ramp = state.segment.ramp is not None
        self.redraw()

    def redraw(self) -> None:
        """Rebuild the frame from the last breath state and the current size."""
        breath = self._breath
        width, height = self.size
        if breath is None:
            self.radius = 0
            self.show((width, height, None), ())
            return
        lines = self._text_lines(breath)
        # Drop the least important lines first when there is little room.
        lines = lines[: max(1, height)]
        orb_h = height - len(lines) - 1  # one blank row between orb and words
        bar = self._reduce_motion and breath.paced
        if bar:
            orb_h -= 2
        radius = 0
        rmax = max_radius(width, orb_h) if orb_h >= 2 else 0.0
        if rmax >= 2:
            radius = round(rmax * 0.75) if self._reduce_motion else orb_radius(breath.size, rmax)
        fill = 0
        bar_w = min(BAR_MAX, max(0, width - 4))
        if bar and bar_w > 0:
            fill = round(min(1.0, max(0.0, breath.progress)) * bar_w)
        signature = (width, height, self._reduce_motion, radius, fill, tuple(lines))
        if signature == self.frame_signature:
            return
        self.radius = radius
        rows: list[Row] = []
        if radius:
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
        # Centre the block vertically.
        top = max(0, (height - len(rows)) // 2)
        self.show(signature, [()] * top + rows)

    def _text_lines(self, breath: BreathState) -> list[tuple[str, str]]:
        lines = [(breath.word, "breath-guide--word")]
        if breath.paced:
            lines.append((phase_detail(breath), "breath-guide--detail"))
            if self._ramp:
                lines.append((f"pattern {breath.pattern.short()}", "breath-guide--detail"))
        return lines

    def _orb_rows(self, radius: int, width: int, height: int) -> tuple[Row, ...]:
        if self._reduce_motion:
            return tuple(
                ((row, "breath-guide--outline", 1.0),) for row in ring_cells(radius, width, height)
            )
        return orb_rows(radius, width, height)


@lru_cache(maxsize=128)
def orb_rows(radius: int, width: int, height: int) -> tuple[Row, ...]:
    """The filled orb as rows of runs: a brighter core inside a softer rim."""
    cells = circle_cells(radius, width, height)
    core = core_mask(radius, width, height, CORE_FRACTION)
    rows: list[Row] = []
    for text, inner in zip(cells, core, strict=True):
        runs: list[tuple[str, str, float]] = []
        start = 0
        # Split each row into runs of rim and core so the glow costs only a few segments.
        for x in range(1, width + 1):
            if x == width or inner[x] != inner[start]:
                comp = "breath-guide--core" if inner[start] else "breath-guide--orb"
                runs.append((text[start:x], comp, 1.0))
                start = x
        rows.append(tuple(runs))
    return tuple(rows)
