"""The noting panel: which key notes what, how many of each, and a nod to the last note."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from companion.engine.notes import Note, counts_by_label
from companion.engine.pacing import ACK_SECONDS  # the screen paces its frames by it
from companion.ui.widgets.frame import FrameWidget, Row, crop_row, run
from companion.ui.widgets.note_strip import (
    PALETTE_SIZE,
    label_order,
    palette_css,
    strip_cells,
    strip_row,
)

ACK_FADE = 1.0  # the acknowledgement fades over its last second
ACK_STEPS = 4


def ack_opacity(age: float) -> float:
    """How visible the acknowledgement is `age` seconds after a note (0 once it has gone)."""
    if age < 0 or age >= ACK_SECONDS:
        return 0.0
    left = ACK_SECONDS - age
    if left >= ACK_FADE:
        return 1.0
    return math.ceil(left / ACK_FADE * ACK_STEPS) / ACK_STEPS


class NotingPanel(FrameWidget):
    """Legend of noting keys with counts, the last note acknowledged, and a strip of notes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "noting-panel--title",
        "noting-panel--key",
        "noting-panel--label",
        "noting-panel--count",
        "noting-panel--zero",
        "noting-panel--ack",
        "noting-panel--empty",
        *(f"noting-panel--label-{i}" for i in range(PALETTE_SIZE)),
    }

    DEFAULT_CSS = """
    NotingPanel {
        height: 1fr;
        width: 1fr;
        min-height: 1;
    }
    NotingPanel > .noting-panel--title { color: $text-muted; text-style: bold; }
    NotingPanel > .noting-panel--key { color: $accent; text-style: bold; }
    NotingPanel > .noting-panel--label { color: $text; }
    NotingPanel > .noting-panel--count { color: $text; text-style: bold; }
    NotingPanel > .noting-panel--zero { color: $text-disabled; }
    NotingPanel > .noting-panel--ack { color: $accent-lighten-1; text-style: italic; }
    NotingPanel > .noting-panel--empty { color: $text-disabled; }
    """ + palette_css("NotingPanel", "noting-panel")

    def __init__(
        self,
        keymap: dict[str, str],
        *,
        reduce_motion: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(reduce_motion=reduce_motion, name=name, id=id, classes=classes)
        self.keymap = dict(keymap)
        self._notes: tuple[Note, ...] = ()
        self._now = 0.0
        self._total: float | None = None
        self.counts: dict[str, int] = {label: 0 for label in self.keymap.values()}
        self.ack_text = ""  # the acknowledgement on screen now ("" when none)
        self._key: tuple[object, ...] | None = None  # set_notes' cheap key for the last frame

    def set_notes(self, notes: Sequence[Note], now: float, total: float | None) -> None:
        """Show these notes as of practice time `now`; repaints only if the panel changed.

        Called for every frame while the acknowledgement fades, so a cheap key comes first:
        the notes (their number and the last one; notes are only added or taken back at the
        end), the acknowledgement's visible step, the strip's span and the size. When it
        matches the last frame's, nothing is counted or drawn.
        """
        last = notes[-1] if notes else None
        alpha = self._ack_alpha(last, now)
        span = total if total else max(now, last.t if last is not None else 0.0, 1.0)
        key = (len(notes), last, alpha, span, self.size)
        self._now = now
        self._total = total
        if key == self._key:
            return
        self._key = key
        self._notes = tuple(notes)
        self.redraw()

    def _ack_alpha(self, last: Note | None, now: float) -> float:
        """How visible the acknowledgement of the last note is at `now`."""
        if last is None:
            return 0.0
        alpha = ack_opacity(now - last.t)
        return 1.0 if alpha > 0 and self.reduce_motion else alpha

    def redraw(self) -> None:
        """Rebuild the panel for the current notes, time and size."""
        width, height = self.size
        counted = counts_by_label(list(self._notes))
        counts = {label: counted.get(label, 0) for label in self.keymap.values()}
        for label, n in counted.items():
            counts.setdefault(label, n)
        last = self._notes[-1] if self._notes else None
        alpha = self._ack_alpha(last, self._now)
        ack = f"{last.label} - noted" if last is not None and alpha > 0 else ""
        span = (
            self._total
            if self._total
            else max(self._now, self._notes[-1].t if self._notes else 0.0, 1.0)
        )
        strip_w = max(0, width - 2)
        cells = tuple(strip_cells(self._notes, span, strip_w))
        signature = (width, height, tuple(counts.items()), ack, alpha, cells)
        if signature == self.frame_signature:
            return
        self.counts = counts
        self.ack_text = ack
        legend = [(key, label, counts.get(label, 0)) for key, label in self.keymap.items()] + [
            ("", label, n) for label, n in counts.items() if label not in self.keymap.values()
        ]
        tall = height >= len(legend) + 6
        rows = self._tall(legend, width) if tall else self._wide(legend, width)
        if height > len(rows) + 1:
            rows.append(())
        rows.append((run(" "), run(ack, "noting-panel--ack", alpha)) if ack else ())
        if height > len(rows) + 1 and tall:
            rows.append(())
        if strip_w > 0:
            order = label_order(list(self.keymap.values()), self._notes)
            rows.append((run(" "), *strip_row(self._notes, span, strip_w, order, "noting-panel")))
        self.show(signature, [crop_row(r, width) for r in rows[:height]])

    def _tall(self, legend: list[tuple[str, str, int]], width: int) -> list[Row]:
        rows: list[Row] = [(run(" Noting", "noting-panel--title"),), ()]
        for key, label, count in legend:
            number = str(count)
            pad = max(1, width - 4 - len(label) - len(number) - 2)
            rows.append(
                (
                    run(" "),
                    run(_key_name(key).ljust(2), "noting-panel--key"),
                    run(" "),
                    run(label, "noting-panel--label"),
                    run(" " * pad),
                    run(number, "noting-panel--count" if count else "noting-panel--zero"),
                )
            )
        return rows

    def _wide(self, legend: list[tuple[str, str, int]], width: int) -> list[Row]:
        rows: list[Row] = []
        line: list[tuple[str, str, float]] = [run(" ")]
        used = 1
        for key, label, count in legend:
            item: list[tuple[str, str, float]] = [
                run(_key_name(key), "noting-panel--key"),
                run(" "),
                run(label, "noting-panel--label"),
                run(" "),
                run(str(count), "noting-panel--count" if count else "noting-panel--zero"),
            ]
            size = sum(len(r[0]) for r in item)
            if used > 1 and used + 3 + size > width:
                rows.append(tuple(line))
                line, used = [run(" ")], 1
            if used > 1:
                line.append(run("   "))
                used += 3
            line.extend(item)
            used += size
        rows.append(tuple(line))
        return rows


def _key_name(key: str) -> str:
    return {" ": "space"}.get(key, key)
