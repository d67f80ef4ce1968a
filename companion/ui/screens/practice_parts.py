"""The practice screen's heavier parts, mounted after its first frame, and its frame wake-up.

`mount_parts` builds the visuals (breath guide, body figure, phrases, quiet text, anchor),
the noting panel and the footer into a screen whose light first frame (header, progress,
cue) has already been written: building them first made `companion run` about twice as slow
to show as a bare Textual app (issue 18, docs/performance.md).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.screen import Screen

from companion.engine.state import State
from companion.practice.durations import clock_text

if TYPE_CHECKING:  # imported when the parts are built, after the first frame
    from textual.widget import Widget

    from companion.ui.widgets.body_figure import BodyFigure
    from companion.ui.widgets.breath_guide import BreathGuide
    from companion.ui.widgets.noting_panel import NotingPanel
    from companion.ui.widgets.phrase_view import PhraseView

CUE_ROWS = 4  # the cue's rows under the breath guide (matches #cue in practice_css.py)
ANCHOR = "Rest your attention on your hands, or on the sounds in the room."


@dataclass(frozen=True)
class Parts:
    """The widgets mounted after the first frame that each frame draws into."""

    guide: BreathGuide
    figure: BodyFigure
    phrase: PhraseView
    noting: NotingPanel


async def mount_parts(
    screen: Screen[None],
    *,
    noting: Mapping[str, str],
    visible: Mapping[str, bool],
    reduce_motion: bool,
    shape_hidden: bool,
) -> Parts:
    """Mount the visuals around the cue, the noting panel after it, and the footer."""
    from textual.widgets import Footer

    from companion.ui.widgets.body_figure import BodyFigure
    from companion.ui.widgets.breath_guide import BreathGuide
    from companion.ui.widgets.kept_lines import KeptStatic
    from companion.ui.widgets.noting_panel import NotingPanel
    from companion.ui.widgets.phrase_view import PhraseView

    guide = BreathGuide(reduce_motion=reduce_motion, id="breath")
    guide.room_below = CUE_ROWS
    guide.shape_hidden = shape_hidden
    figure = BodyFigure(reduce_motion=reduce_motion, id="figure")
    phrase = PhraseView(reduce_motion=reduce_motion, id="phrase")
    visuals: dict[str, Widget] = {
        "breath": guide,
        "figure": figure,
        "phrase": phrase,
        "quiet": KeptStatic(id="quiet"),
        "anchor": KeptStatic(ANCHOR, id="anchor"),
    }
    for name, widget in visuals.items():
        widget.display = visible[name]
    body = screen.query_one("#body")
    cue = screen.query_one("#cue")
    panel = NotingPanel(dict(noting), reduce_motion=reduce_motion, id="noting")
    mounts = [
        body.mount_all(visuals.values(), before=cue),
        body.mount(panel, after=cue),
        screen.mount(Footer(), before=screen.query_one("#too-small")),
    ]
    for mounted in mounts:
        await mounted
    return Parts(guide, figure, phrase, panel)


def hold_text(state: State, key: str) -> str:
    """A held breath: the seconds held, rising, and the key that ends it; or what is left."""
    hold = state.hold
    word = state.breath.word if state.breath is not None else "Hold"
    if hold is None:
        return word
    if not hold.until_key:
        return f"{word}\n\n{math.ceil(hold.longest - hold.held - 1e-9)}"
    return f"{word}\n\n{math.floor(hold.held)} s held\n\n{key} when you need to breathe"


def head_text(
    title: str, state: State, paused: bool, hold_ends: list[float], starting: float | None
) -> str:
    """The header: title, segment and the time left ("up to" while key holds are ahead)."""
    if state.total is None:
        clock = f"{clock_text(math.floor(state.t))} so far"
    else:
        clock = f"{clock_text(math.ceil(state.total - state.t - 1e-9))} left"
        if hold_ends and state.t < hold_ends[-1]:
            clock = f"up to {clock}"
    if starting is not None:  # the countdown before the start bell
        clock = f"Starting in {math.ceil(starting - 1e-9)}"
    elif state.round:
        of = f" of {state.rounds}" if state.rounds else ""
        clock = f"round {state.round}{of}  ·  {clock}"
    parts = [title, state.segment.heading, clock]
    if paused:
        parts.append("Paused (space to go on)")
    return "  ·  ".join(parts)


class Wake:
    """The next frame's wake-up: a loop timer handle, stopped as a Textual Timer is."""

    __slots__ = ("_handle",)

    def __init__(self, handle: asyncio.TimerHandle) -> None:
        self._handle = handle

    def stop(self) -> None:
        """Cancel the wake-up (nothing happens if it has already run)."""
        self._handle.cancel()
