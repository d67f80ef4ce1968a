"""A kindness phrase, large and centred, fading in and out over its time."""

from __future__ import annotations

import math
import textwrap
from typing import ClassVar

from companion.engine.pacing import PHRASE_FADE as FADE  # the screen paces its frames by it
from companion.engine.state import PhraseState, State
from companion.ui.widgets.frame import FrameWidget, Row, centred, run

STEPS = 8  # opacity steps: a fade repaints only this many times


def fade_level(progress: float, reduce_motion: bool = False) -> float:
    """How visible the phrase is at a point 0..1 through its time, in 1/STEPS steps."""
    if reduce_motion:
        return 1.0
    p = min(1.0, max(0.0, progress))
    level = min(1.0, p / FADE, (1.0 - p) / FADE)
    return math.ceil(level * STEPS - 1e-9) / STEPS


def recipient_line(recipient: str) -> str:
    """'yourself' -> 'for yourself'; text that already says who it is for is left alone."""
    text = recipient.strip()
    if not text:
        return ""
    if text.lower().startswith(("for ", "to ", "towards ", "toward ")):
        return text
    return f"for {text}"


class PhraseView(FrameWidget):
    """The current phrase, bold and centred, with who it is for above it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"phrase-view--phrase", "phrase-view--recipient"}

    DEFAULT_CSS = """
    PhraseView {
        height: 1fr;
        width: 1fr;
        min-height: 1;
    }
    PhraseView > .phrase-view--phrase { color: $text; text-style: bold; }
    PhraseView > .phrase-view--recipient { color: $accent-lighten-1; text-style: italic; }
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
        self._phrase: PhraseState | None = None
        self.phrase_opacity = 1.0  # the phrase's visibility step as last drawn, 0..1

    def update_from(self, state: State) -> None:
        """Draw the phrase part of a state; repaints only if the visible frame changed."""
        self._phrase = state.phrase
        self.redraw()

    def redraw(self) -> None:
        """Rebuild the frame from the last phrase state and the current size."""
        phrase = self._phrase
        width, height = self.size
        if phrase is None:
            self.show((width, height, None), ())
            return
        opacity = fade_level(phrase.progress, self.reduce_motion)
        signature = (width, height, phrase.text, phrase.recipient, opacity)
        if signature == self.frame_signature:
            return
        self.phrase_opacity = opacity
        # Keep lines short so the phrase reads at a glance; wide screens still wrap at ~40.
        wrap = max(8, min(40, width - 4))
        lines = textwrap.wrap(phrase.text, wrap) or [""]
        who = recipient_line(phrase.recipient)
        rows: list[Row] = []
        if who and height >= len(lines) + 2:
            rows.append(centred((run(who, "phrase-view--recipient"),), width))
            rows.append(())
        # Lines of the phrase are spaced out by a blank row when there is room: calmer to read.
        spaced = height >= len(rows) + 2 * len(lines) - 1
        for i, line in enumerate(lines):
            if i and spaced:
                rows.append(())
            rows.append(centred((run(line, "phrase-view--phrase", opacity),), width))
        top = max(0, (height - len(rows)) // 2)
        self.show(signature, ([()] * top + rows)[:height])
