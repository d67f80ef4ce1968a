"""Where the breath is at a moment of a breath segment, ramps included, by arithmetic.

A ramp changes the pattern once per cycle (at the cycle's start), so every breath is whole;
after the ramp the pattern holds and the position is found by division, which is why an
hour-long or open segment costs the same as a short one.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator
from typing import NamedTuple

from companion.practice.breaths import ramp_cycles
from companion.practice.model import Pattern, Segment


# Records made while a practice starts are NamedTuples, not frozen dataclasses: Python 3.11
# compiles each dataclass method from source at import, about 0.6 ms a class (issue 18).
class Phase(NamedTuple):
    """One breath phase within a segment, in segment-local seconds."""

    name: str
    start: float
    length: float
    cycle: int  # 1-based
    pattern: Pattern

    @property
    def end(self) -> float:
        """When the phase ends."""
        return self.start + self.length


class BreathPlan:
    """The breath cycles of one segment, answered by position."""

    def __init__(self, segment: Segment) -> None:
        assert segment.pattern is not None
        self.end = math.inf if segment.duration is None else segment.duration
        self.base = segment.pattern
        self.ramp = segment.ramp
        # Cycles during the ramp: (start, pattern). The steady part starts at steady_start.
        cycles = ramp_cycles(self.base, self.ramp, self.end)
        self.ramp_starts: list[float] = [start for start, _ in cycles]
        self.ramp_patterns: list[Pattern] = [pattern for _, pattern in cycles]
        self.steady = self.ramp.to if self.ramp is not None else self.base
        self.steady_start = cycles[-1][0] + cycles[-1][1].cycle if cycles else 0.0
        self.steady_first_cycle = len(self.ramp_starts) + 1

    def cycle_at(self, u: float) -> tuple[int, float, Pattern]:
        """The (1-based cycle number, cycle start, pattern) in force at local time u."""
        u = max(0.0, u)
        if u < self.steady_start:
            i = bisect.bisect_right(self.ramp_starts, u) - 1
            return i + 1, self.ramp_starts[i], self.ramp_patterns[i]
        k = math.floor((u - self.steady_start) / self.steady.cycle)
        start = self.steady_start + k * self.steady.cycle
        # Guard against float rounding placing u a hair before the computed start.
        if start > u:
            k -= 1
            start -= self.steady.cycle
        return self.steady_first_cycle + k, start, self.steady

    def phase_at(self, u: float) -> Phase:
        """The phase in progress at local time u (truncated at the segment's end)."""
        cycle, start, pattern = self.cycle_at(u)
        t = start
        phases = pattern.phases()
        for name, length in phases:
            if u < t + length or name == phases[-1][0]:
                return Phase(name, t, min(length, self.end - t), cycle, pattern)
            t += length
        raise AssertionError("unreachable")  # pragma: no cover

    def phases_between(self, u0: float, u1: float) -> Iterator[Phase]:
        """Every phase starting in [u0, u1), in order."""
        u1 = min(u1, self.end)
        if u0 >= u1:
            return
        cycle, start, pattern = self.cycle_at(u0)
        while start < u1:
            t = start
            for name, length in pattern.phases():
                if t >= u1:
                    return
                if t >= u0:
                    yield Phase(name, t, min(length, self.end - t), cycle, pattern)
                t += length
            cycle += 1
            start = t
            if cycle - 1 < len(self.ramp_patterns):
                pattern = self.ramp_patterns[cycle - 1]
                start = self.ramp_starts[cycle - 1]
            else:
                pattern = self.steady

    def cycles_in(self, length: float) -> int:
        """How many breaths begin within the first `length` seconds."""
        if math.isinf(length):
            return 0
        cycle, _start, _ = self.cycle_at(max(0.0, length - 1e-9))
        return cycle
