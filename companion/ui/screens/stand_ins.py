"""Plain text stand-ins for the practice widgets, used only when companion.ui.widgets lacks one.

They follow the same contract (update_from, set_notes, set_time) so the screens never care
which they have; each repaints only when its text changes.
"""

from __future__ import annotations

import importlib
from collections import Counter
from typing import Any

from textual.widgets import Static

from companion.engine.notes import Note, counts_by_label
from companion.engine.state import State


class _Text(Static):
    """A Static that skips updates which would not change what is shown."""

    _shown: str | None = None

    def show(self, text: str) -> None:
        """Repaint only when the text differs."""
        if text != self._shown:
            self._shown = text
            self.update(text)


class BreathGuide(_Text):
    """The phase word, seconds left and a bar for the shape's size."""

    def __init__(self, *, reduce_motion: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reduce_motion = reduce_motion

    def update_from(self, state: State) -> None:
        """Draw the breath at this state."""
        b = state.breath
        if b is None:
            self.show("")
            return
        bar = "█" * round(b.size * 20)
        count = f"  {b.remaining:.0f}s  breath {b.cycle}" if b.paced else ""
        self.show(f"{b.word}{count}\n[{bar:<20}]")


class BodyFigure(_Text):
    """The region's name, prompt and where the band is."""

    def __init__(self, *, reduce_motion: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reduce_motion = reduce_motion

    def update_from(self, state: State) -> None:
        """Draw the scan at this state."""
        s = state.scan
        self.show("" if s is None else f"{s.region}\n{s.prompt}\nband {round(s.band * 10)}/10")


class PhraseView(_Text):
    """The recipient above the phrase."""

    def __init__(self, *, reduce_motion: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reduce_motion = reduce_motion

    def update_from(self, state: State) -> None:
        """Draw the phrase at this state."""
        p = state.phrase
        self.show("" if p is None else f"{p.recipient}\n\n{p.text}")


class NotingPanel(_Text):
    """The noting keys with a count each."""

    def __init__(self, keymap: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keymap = keymap
        self.set_notes([], 0.0, None)

    def set_notes(self, notes: list[Note], now: float, total: float | None) -> None:
        """Show the counts so far."""
        counts = counts_by_label(notes)
        lines = [f"{key}  {label}  {counts.get(label, 0)}" for key, label in self.keymap.items()]
        if notes:
            lines.append(f"{notes[-1].label} - noted")
        self.show("\n".join(lines))


class ProgressLine(_Text):
    """How far through the whole practice, in a row of blocks."""

    def __init__(self, boundaries: list[float], total: float | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.boundaries = boundaries
        self.total = total

    def set_time(self, t: float) -> None:
        """Show progress at practice time t."""
        if not self.total:
            self.show("")
            return
        done = round(40 * min(1.0, t / self.total))
        self.show("━" * done + "─" * (40 - done))


class NoteStrip(_Text):
    """When notes happened over the session."""

    def __init__(self, notes: list[Note], total: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        span = total or max((n.t for n in notes), default=1.0) or 1.0
        cells = ["·"] * 40
        for n in notes:
            cells[min(39, int(40 * n.t / span))] = "|"
        self.show("".join(cells))


class BodyMap(_Text):
    """Which regions collected which notes."""

    def __init__(self, counts: dict[str, Counter[str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        lines = [
            f"{region}: " + ", ".join(f"{label} {n}" for label, n in c.most_common())
            for region, c in counts.items()
        ]
        self.show("\n".join(lines))


def widget(module: str, name: str) -> Any:
    """The colleague's widget class from companion.ui.widgets.<module>, or the stand-in."""
    try:
        return getattr(importlib.import_module(f"companion.ui.widgets.{module}"), name)
    except (ImportError, AttributeError):
        return globals()[name]
