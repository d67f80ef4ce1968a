"""Fit a practice to another length: time-based segments scale, counted ones keep their length."""

from __future__ import annotations

from companion.practice.breaths import with_length
from companion.practice.durations import format_duration
from companion.practice.model import Cue, Practice, Ramp, Segment

MIN_OPEN_SHARE = 0.25  # an open segment keeps at least a quarter of a rescaled practice
MIN_SCALED = 1.0  # no scaled segment becomes shorter than a second
CLOSE_ENOUGH = 0.5  # a practice already this close to the length asked for needs no change


class RescaleError(ValueError):
    """The practice cannot be fitted to the length asked for; the message says why."""


def _length(seconds: float) -> str:
    return format_duration(float(round(seconds)))


def rescale(practice: Practice, seconds: float) -> Practice:
    """A copy of the practice lasting `seconds` (as near as whole breaths allow).

    Time-based segments (and their cues, ramps and phrase timings) scale by one factor;
    breath patterns keep their seconds, so the number of breaths changes, and a breath
    segment still ends on a whole breath. Segments counted in breaths, holds, rounds and the
    preparation keep their length. An open segment is given the time the others leave (at
    least a quarter of the whole), and the result has no open segment. Raises RescaleError
    when the fixed parts leave no room, or nothing in the practice can change length.
    """
    if seconds <= 0:
        raise ValueError("a practice must last longer than 0 seconds")
    segments = practice.segments
    if any(s.kind == "rounds" and s.times is None for s in segments):
        raise RescaleError(
            f"{practice.title!r} ends with rounds that repeat until you end them, so it has "
            "no length to fit; run it without a length and end it when you are ready"
        )
    fixed = sum(s.duration or 0.0 for s in segments if s.fixed)
    scalable = [s for s in segments if not s.fixed]
    finite = sum(_time(s) for s in scalable if s.duration is not None)
    has_open = any(s.is_open for s in segments)
    available = seconds - fixed
    if not scalable:
        if practice.total is not None and abs(practice.total - seconds) <= CLOSE_ENOUGH:
            return practice
        raise RescaleError(
            f"{practice.title!r} is made only of counted breaths, holds and rounds, which keep "
            f"their length ({_length(fixed)}); it cannot be made {_length(seconds)} long"
        )
    if available < MIN_SCALED * len(scalable):
        raise RescaleError(
            f"{practice.title!r} has {_length(fixed)} of counted breaths, holds and rounds, "
            f"which keep their length; it cannot fit in {_length(seconds)}. Choose a length "
            f"over {_length(fixed + MIN_SCALED * len(scalable))}"
        )
    open_share = 0.0
    if has_open:
        open_share = max(available - finite, available * MIN_OPEN_SHARE) if finite else available
    factor = (available - open_share) / finite if finite else 0.0
    out: list[Segment] = []
    for seg in segments:
        if seg.fixed:
            out.append(seg)
        elif seg.duration is None:
            out.append(with_length(seg, open_share))
        else:
            out.append(_scale_segment(seg, factor))
    return practice.with_segments(_absorb(tuple(out), seconds))


def _time(seg: Segment) -> float:
    """The time a segment was given (before rounding to whole breaths)."""
    return seg.written if seg.written is not None else (seg.duration or 0.0)


def _scale_segment(seg: Segment, factor: float) -> Segment:
    assert seg.duration is not None
    duration = _time(seg) * factor
    cues = tuple(Cue(at=c.at * factor, text=c.text) for c in seg.cues)
    ramp = seg.ramp
    if ramp is not None:
        ramp = Ramp(to=ramp.to, over=min(duration, ramp.over * factor))
    return with_length(seg._replace(cues=cues, ramp=ramp), duration)


def _absorb(segments: tuple[Segment, ...], seconds: float) -> tuple[Segment, ...]:
    """Give the seconds whole breaths added or took to the longest segment without breaths.

    So a practice with a settle or a silence still lasts exactly the length asked for.
    """
    drift = seconds - sum(s.duration or 0.0 for s in segments)
    if abs(drift) < 1e-9:
        return segments
    free = [
        i
        for i, s in enumerate(segments)
        if not s.fixed and s.written is None and s.duration is not None
    ]
    if not free:
        return segments
    i = max(free, key=lambda k: segments[k].duration or 0.0)
    seg = segments[i]
    length = (seg.duration or 0.0) + drift
    if length < MIN_SCALED:
        return segments
    cues = tuple(Cue(at=min(c.at, max(0.0, length - 1.0)), text=c.text) for c in seg.cues)
    changed = seg._replace(duration=length, cues=cues)
    return (*segments[:i], changed, *segments[i + 1 :])
