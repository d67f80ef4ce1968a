"""Frame pacing: how long the practice screen may sleep before something visible changes.

A frame is drawn only when the picture would differ: while a shape moves (24 a second), when
the shown second changes, when a timeline event is due, while a note's acknowledgement fades.
Frames sit on a fixed grid of practice time, so a late wake-up shortens the next wait instead
of pushing every later frame back. docs/performance.md has the measured costs.

Pure: imports neither textual nor pygame.
"""

from __future__ import annotations

import math

from companion.engine.state import State
from companion.engine.timeline import Timeline

ANIMATE = 1 / 24  # while a shape moves: smooth to the eye (see docs/performance.md)
REDUCED = 1 / 8  # reduce motion: a filling bar needs far fewer frames
SLOW = 1 / 4  # a scan band creeps; four looks are plenty
HOLDS = ("hold", "hold_out")  # breath phases in which the shape rests
ACK_SECONDS = 3.0  # a note's acknowledgement shows (and fades) for this long, in practice time
PHRASE_FADE = 0.12  # share of a phrase's time spent fading in, and again fading out
EARLY = 0.002  # a timer that fires this much before its frame time has hit it


def until_next(t: float, period: float) -> float:
    """Seconds from t to the next multiple of period (the next frame on a fixed grid)."""
    # On a grid of practice time a late wake-up shortens the next wait instead of pushing
    # every later frame back, and a frame missed entirely is skipped, not drawn in a bunch.
    k = math.floor((t + EARLY) / period) + 1
    return k * period - t


def to_next_second(t: float, total: float) -> float:
    """Seconds until the time-left clock (shown rounded up) changes."""
    left = total - t
    frac = left - math.floor(left)
    return frac + 0.001 if frac > 1e-6 else 1.0


def frame_period(
    state: State, *, reduce_motion: bool, guide_hidden: bool, noted_at: float | None
) -> float | None:
    """How often the visual moves (None: it is still until the next second or event).

    `noted_at` is the practice time of the latest note (its acknowledgement fades).
    """
    kind = state.segment.kind
    period: float | None = None
    breath = state.breath
    if kind in ("breath", "settle") and not guide_hidden and breath is not None:
        # A hold rests: the shape is still and only the seconds change (see next_wake); the
        # reduce-motion bar fills through holds too.
        if breath.phase not in HOLDS or reduce_motion:
            period = REDUCED if reduce_motion else ANIMATE
    elif kind == "body_scan":
        period = REDUCED if reduce_motion else SLOW
    elif kind == "phrases" and not reduce_motion and state.phrase is not None:
        # Between its fades a phrase stands still; a slow look catches the fade's start.
        fading = not PHRASE_FADE <= state.phrase.progress <= 1.0 - PHRASE_FADE
        period = ANIMATE if fading else REDUCED
    if noted_at is not None and state.t - noted_at < ACK_SECONDS:
        period = min(period or REDUCED, REDUCED)
    return period


def next_wake(
    state: State,
    t: float,
    timeline: Timeline,
    *,
    reduce_motion: bool,
    guide_hidden: bool,
    noted_at: float | None,
) -> float:
    """Seconds from practice time t to the next visible change of `state`'s picture.

    That is the next frame, the next shown second, or the next timeline event. `t` is read
    after drawing, so the time a frame takes to draw is not added to the wait.
    """
    delay = until_next(t, 1.0) if state.total is None else to_next_second(t, state.total)
    period = frame_period(
        state, reduce_motion=reduce_motion, guide_hidden=guide_hidden, noted_at=noted_at
    )
    if period is not None:
        delay = min(delay, until_next(t, period))
    breath = state.breath
    if breath is not None and breath.paced and not guide_hidden:
        # The phase's seconds count down from the phase start, not on the clock's seconds.
        left = breath.remaining - (t - state.t)
        delay = min(delay, left - math.floor(left - 1e-6) + 0.001)
    if delay > 0.05:
        nxt = timeline.next_change(t, horizon=delay + 1.0)
        if nxt is not None:
            delay = min(delay, nxt - t)
    return max(0.005, delay)
