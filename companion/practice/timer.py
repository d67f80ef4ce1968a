"""A quiet timer as a practice: a countdown, a start bell, interval bells, an end bell.

Built on the fly by `companion timer` and the home screen's timer, with the format's own
model (prepare, bells), so it runs, rings and is journalled like any practice (id `timer`).
Pure: no sound, no screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.practice.model import Bells, Practice, Segment
from companion.practice.noting import DEFAULT_NOTING

TIMER_ID = "timer"
DEFAULT_MINUTES = 10.0
MIN_INTERVAL = 10.0  # seconds, as for a practice file's bells.interval
MAX_MINUTES = 720.0
MAX_PREPARE = 600.0


class TimerError(ValueError):
    """A timer that cannot be: the message says what to change."""


@dataclass(frozen=True)
class TimerChoice:
    """What a timer is: minutes (None: open), interval and prepare in seconds, the bell."""

    minutes: float | None = DEFAULT_MINUTES
    interval: float | None = None
    prepare: float = 0.0
    bell: str = "bowl"


def describe(choice: TimerChoice) -> str:
    """The timer in a few words, like "10 min, a bell every 5 min"."""
    length = "open" if choice.minutes is None else f"{choice.minutes:g} min"
    if choice.interval is None:
        return length
    every = choice.interval / 60
    return f"{length}, a bell every " + (
        f"{every:g} min" if choice.interval >= 60 else f"{choice.interval:g} s"
    )


def timer_practice(choice: TimerChoice) -> Practice:
    """The timer as a practice of one quiet segment; raises TimerError when it cannot be."""
    minutes = choice.minutes
    if minutes is not None and not 0 < minutes <= MAX_MINUTES:
        raise TimerError(
            f"minutes must be more than 0 and at most {MAX_MINUTES:g} (got {minutes:g})"
        )
    if choice.interval is not None and choice.interval < MIN_INTERVAL:
        raise TimerError(f"the interval must be at least 10 seconds (got {choice.interval:g}s)")
    if minutes is not None and choice.interval is not None and choice.interval >= minutes * 60:
        raise TimerError(
            f"an interval of {choice.interval / 60:g} min does not fit in {minutes:g} min; "
            "choose a shorter one, or leave it out"
        )
    if not 0 <= choice.prepare <= MAX_PREPARE:
        raise TimerError(f"--prepare must be at most 10m (got {choice.prepare:g}s)")
    duration = None if minutes is None else minutes * 60
    bells = Bells(
        start=choice.bell,
        start_strikes=1,
        end=choice.bell,
        end_strikes=2,
        interval=choice.interval,
        interval_sound=choice.bell,
    )
    segment = Segment(kind="silence", duration=duration, title="Sitting quietly")
    return Practice(
        id=TIMER_ID,
        title="Timer",
        summary=describe(choice),
        segments=(segment,),
        bells=bells,
        prepare=choice.prepare,
        noting=tuple(DEFAULT_NOTING.items()),  # as a practice file without [noting]
    )
