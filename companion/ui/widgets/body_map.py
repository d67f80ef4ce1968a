"""The body map: the figure again, shaded where notes were taken during a scan."""

from __future__ import annotations

import math
from collections import Counter
from typing import ClassVar

from companion.practice.regions import REGIONS
from companion.ui.widgets.figure import MIN_ROWS, figure_rows, figure_width, region_rows
from companion.ui.widgets.frame import FrameWidget, Row, crop_row, run

LEVELS = 3
LEGEND_MIN = 20


def region_levels(counts: dict[str, Counter[str]]) -> dict[str, int]:
    """Shade level 1..LEVELS for each region with notes, relative to the busiest region."""
    totals = {region: sum(c.values()) for region, c in counts.items() if sum(c.values()) > 0}
    if not totals:
        return {}
    most = max(totals.values())
    return {region: max(1, math.ceil(n / most * LEVELS)) for region, n in totals.items()}


def legend_lines(counts: dict[str, Counter[str]]) -> list[tuple[str, str]]:
    """'hands' and 'thinking 2, feeling 1' per region, from head to feet."""

    def place(region: str) -> float:
        return REGIONS[region][0] if region in REGIONS else 2.0

    out = []
    for region in sorted(counts, key=lambda r: (place(r), r)):
        labels = ", ".join(f"{label} {n}" for label, n in counts[region].most_common() if n > 0)
        if labels:
            out.append((region, labels))
    return out


def legend_rows(legend: list[tuple[str, str]], width: int) -> list[Row]:
    """The legend as rows no wider than width: a region's labels wrap under themselves."""
    if not legend:
        return [(run("No notes were taken during the scan.", "body-map--empty"),)]
    out: list[Row] = []
    for region, labels in legend:
        head = f"{region}: "
        items = labels.split(", ")
        if fits_beside_name(region, labels, width):
            lines = pack(items, width - len(head))
            out.append((run(head, "body-map--region"), run(lines[0], "body-map--labels")))
            out.extend((run(" " * len(head)), run(line, "body-map--labels")) for line in lines[1:])
        else:  # too narrow for a label beside the region's name: the labels go under it
            out.append((run(head.rstrip(), "body-map--region"),))
            out.extend((run("  "), run(line, "body-map--labels")) for line in pack(items, width - 2))
    return out


def fits_beside_name(region: str, labels: str, width: int) -> bool:
    """True when each label (and its comma) fits beside "region: " in width cells."""
    widest = max(len(item) for item in labels.split(", ")) + 1
    return width - len(f"{region}: ") >= widest


def pack(items: list[str], width: int) -> list[str]:
    """Items joined by commas into lines of at most width cells, never splitting an item."""
    lines: list[str] = []
    line = ""
    for i, item in enumerate(items):
        joined = f"{line}, {item}" if line else item
        comma = 1 if i < len(items) - 1 else 0  # room for the comma that would end this line
        if line and len(joined) + comma > width:
            lines.append(f"{line},")
            line = item
        else:
            line = joined
    lines.append(line)
    return lines


class BodyMap(FrameWidget):
    """Which regions of the body collected which notes during a scan."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "body-map--figure",
        "body-map--region",
        "body-map--labels",
        "body-map--empty",
        *(f"body-map--level-{i}" for i in range(1, LEVELS + 1)),
    }

    DEFAULT_CSS = """
    BodyMap {
        height: 1fr;
        width: 1fr;
        min-height: 1;
    }
    BodyMap > .body-map--figure { color: $text-disabled; }
    BodyMap > .body-map--level-1 { color: $accent; }
    BodyMap > .body-map--level-2 { color: $accent-lighten-1; background: $accent 12%; }
    BodyMap > .body-map--level-3 { color: $accent-lighten-2; background: $accent 25%; text-style: bold; }
    BodyMap > .body-map--region { color: $accent-lighten-1; text-style: bold; }
    BodyMap > .body-map--labels { color: $text; }
    BodyMap > .body-map--empty { color: $text-muted; text-style: italic; }
    """

    def __init__(
        self,
        counts: dict[str, Counter[str]],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.counts = {region: Counter(c) for region, c in counts.items()}

    @property
    def levels(self) -> dict[str, int]:
        """Shade level per region with notes (for tests)."""
        return region_levels(self.counts)

    def redraw(self) -> None:
        """Rebuild the map for the current counts and size."""
        width, height = self.size
        legend = legend_lines(self.counts)
        signature = (
            width,
            height,
            tuple((r, tuple(sorted(c.items()))) for r, c in self.counts.items()),
        )
        if signature == self.frame_signature:
            return
        rows = height
        while rows >= MIN_ROWS and figure_width(rows) + 2 > width:
            rows -= 1
        room = width - figure_width(rows) - 4
        # Beside the figure only when no label would be cut and every line has a row there.
        beside = (
            rows >= MIN_ROWS
            and room >= LEGEND_MIN
            and all(fits_beside_name(region, labels, room) for region, labels in legend)
        )
        text = legend_rows(legend, room if beside else width - 1)
        if beside and len(text) > rows:
            beside = False
            text = legend_rows(legend, width - 1)
        if not beside:
            rows = min(rows, height - len(text) - 1)
        if rows < MIN_ROWS:
            self.show(signature, [crop_row((run(" "), *r), width) for r in text][:height])
            return
        art = figure_rows(rows)
        tones = ["body-map--figure"] * rows
        levels = region_levels(self.counts)
        # Paint lighter levels first so the busiest region wins where regions overlap.
        for region, level in sorted(levels.items(), key=lambda kv: kv[1]):
            for y in region_rows(region, rows):
                tones[y] = f"body-map--level-{level}"
        frame: list[Row] = []
        if beside:
            top = max(0, (rows - len(text)) // 2)
            for y in range(rows):
                t = y - top
                extra = text[t] if 0 <= t < len(text) else ()
                frame.append(crop_row((run(" "), run(art[y], tones[y]), run("   "), *extra), width))
        else:
            left = max(0, (width - figure_width(rows)) // 2)
            frame = [(run(" " * left), run(art[y], tones[y])) for y in range(rows)]
            frame.append(())
            frame.extend(crop_row((run(" "), *r), width) for r in text)
        self.show(signature, frame[:height])
