"""Fit a practice to another length: segments scale in proportion, breath keeps its pace."""

from __future__ import annotations

from dataclasses import replace

from companion.practice.model import Cue, Practice, Ramp, Segment

MIN_OPEN_SHARE = 0.25  # an open segment keeps at least a quarter of a rescaled practice


def rescale(practice: Practice, seconds: float) -> Practice:
    """A copy of the practice lasting `seconds`.

    Every segment's length (and its cues, ramp and phrase timings within it) scales by the
    same factor; breath patterns keep their seconds, so the number of breaths changes. An
    open segment is given the time the others leave (at least a quarter of the whole), and
    the result has no open segment.
    """
    if seconds <= 0:
        raise ValueError("a practice must last longer than 0 seconds")
    finite = practice.finite_total
    has_open = any(s.is_open for s in practice.segments)
    open_share = 0.0
    if has_open:
        open_share = max(seconds - finite, seconds * MIN_OPEN_SHARE) if finite else seconds
    factor = (seconds - open_share) / finite if finite else 0.0
    segments: list[Segment] = []
    for seg in practice.segments:
        if seg.duration is None:
            segments.append(replace(seg, duration=open_share))
            continue
        segments.append(_scale_segment(seg, factor))
    return practice.with_segments(tuple(segments))


def _scale_segment(seg: Segment, factor: float) -> Segment:
    assert seg.duration is not None
    duration = seg.duration * factor
    cues = tuple(Cue(at=c.at * factor, text=c.text) for c in seg.cues)
    ramp = seg.ramp
    if ramp is not None:
        ramp = Ramp(to=ramp.to, over=min(duration, ramp.over * factor))
    return replace(seg, duration=duration, cues=cues, ramp=ramp)
