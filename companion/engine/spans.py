"""A practice's segments laid end to end, rounds expanded, answered by position.

Rounds repeated N times become N copies of their parts, each marked with its round. Rounds
that repeat until ended ("open", always the last segment) are not listed forever: one
round's parts are placed once, and any later round is found by arithmetic, like the steady
part of a breath plan. So the question "which part is at t" costs the same at any hour.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator
from dataclasses import dataclass

from companion.practice.model import Practice, Segment


@dataclass(frozen=True)
class SegmentSpan:
    """A segment placed on the practice's timeline."""

    index: int  # position among all spans, rounds expanded
    segment: Segment
    start: float
    end: float  # math.inf for an open segment
    round: int = 0  # 1.. within rounds, 0 outside them
    top: int = -1  # the segment's place in the file (-1: same as index)
    part: int = 0  # the part's place within its rounds

    @property
    def length(self) -> float:
        """Seconds (inf when open)."""
        return self.end - self.start

    @property
    def key(self) -> tuple[int, int]:
        """(segment in the file, part): the same for every round of one part."""
        return (self.index if self.top < 0 else self.top, self.part)


class Spans:
    """Every span of a practice: the listed ones, then open rounds found by arithmetic."""

    def __init__(self, practice: Practice) -> None:
        listed: list[SegmentSpan] = []
        t = 0.0
        self.loop: tuple[SegmentSpan, ...] = ()  # one round of open rounds, as placed first
        self.period = 0.0
        for top, seg in enumerate(practice.segments):
            if seg.kind != "rounds":
                end = math.inf if seg.duration is None else t + seg.duration
                listed.append(SegmentSpan(len(listed), seg, t, end, top=top))
                t = end
                continue
            rounds = seg.times if seg.times is not None else 1
            first = len(listed)
            for r in range(1, rounds + 1):
                for j, part in enumerate(seg.parts):
                    length = part.duration or 0.0
                    listed.append(SegmentSpan(len(listed), part, t, t + length, r, top, j))
                    t += length
            if seg.times is None:
                self.loop = tuple(listed[first:])
                self.period = t - listed[first].start
                t = math.inf
        self.listed = tuple(listed)
        self.starts = [s.start for s in listed]
        self.total: float | None = None if math.isinf(t) else t
        self._loop_offsets = [s.start - self.loop[0].start for s in self.loop] if self.loop else []

    @property
    def looping(self) -> bool:
        """True when the practice ends with rounds that repeat until ended."""
        return bool(self.loop) and self.period > 0

    def at(self, t: float) -> SegmentSpan:
        """The span in force at t (the last one once the practice is over)."""
        if self.looping and t >= self.loop[0].start:
            base = self.loop[0].start
            k = math.floor((t - base) / self.period)
            j = max(0, bisect.bisect_right(self._loop_offsets, t - base - k * self.period) - 1)
            return self.nth_loop(k, j)
        i = max(0, bisect.bisect_right(self.starts, t) - 1)
        return self.listed[i]

    def nth_loop(self, k: int, j: int) -> SegmentSpan:
        """Part j of round k + 1 of the open rounds."""
        first = self.loop[j]
        shift = k * self.period
        return SegmentSpan(
            first.index + k * len(self.loop),
            first.segment,
            first.start + shift,
            first.end + shift,
            k + 1,
            first.top,
            first.part,
        )

    def after(self, span: SegmentSpan) -> SegmentSpan | None:
        """The span that follows (None after the last)."""
        if self.looping and span.index >= self.loop[0].index:
            k, j = divmod(span.index - self.loop[0].index + 1, len(self.loop))
            return self.nth_loop(k, j)
        if span.index + 1 < len(self.listed):
            return self.listed[span.index + 1]
        return None

    def between(self, t0: float, t1: float) -> Iterator[SegmentSpan]:
        """Every span overlapping [t0, t1), in order."""
        first = max(0, bisect.bisect_right(self.starts, t0) - 1)  # long rounds: skip ahead
        for span in self.listed[first:]:
            if span.start >= t1:
                return
            if span.end > t0:
                if self.looping and span.index >= self.loop[0].index:
                    break
                yield span
        if not self.looping:
            return
        span = self.at(max(t0, self.loop[0].start))
        while span.start < t1:
            yield span
            nxt = self.after(span)
            if nxt is None:  # pragma: no cover - open rounds always go on
                return
            span = nxt
