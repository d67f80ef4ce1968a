"""How long breaths take: the ramp's cycles, N whole breaths, a time rounded to whole breaths.

The loader, rescaling, Customize and the engine's BreathPlan all use these, so a segment's
length and the breaths drawn inside it always agree.
"""

from __future__ import annotations

import math

from companion.practice.model import Pattern, Ramp, Segment


def ramp_cycles(
    base: Pattern, ramp: Ramp | None, limit: float = math.inf
) -> list[tuple[float, Pattern]]:
    """The breaths of a ramp as (start, pattern), each changing the pattern once per cycle.

    The fraction of the change is counted so the breath that begins one target breath before
    `over` already has the target pattern: a ramp whose `over` equals its segment reaches its
    target by the segment's last breath.
    """
    if ramp is None:
        return []
    span = ramp.over - ramp.to.cycle
    out: list[tuple[float, Pattern]] = []
    t = 0.0
    while t < limit:
        f = 1.0 if span <= 0 else t / span
        if f >= 1.0:
            break
        pattern = base.lerp(ramp.to, f)
        out.append((t, pattern))
        t += pattern.cycle
    return out


def breaths_length(base: Pattern, ramp: Ramp | None, count: int) -> float:
    """Seconds that `count` whole breaths take, the ramp's changing breaths included."""
    cycles = ramp_cycles(base, ramp)
    if count <= len(cycles):
        if count < len(cycles):
            return cycles[count][0]
        last_start, last = cycles[-1]
        return last_start + last.cycle
    steady = ramp.to if ramp is not None else base
    start = cycles[-1][0] + cycles[-1][1].cycle if cycles else 0.0
    return start + (count - len(cycles)) * steady.cycle


def whole_breaths(base: Pattern, ramp: Ramp | None, seconds: float) -> tuple[float, int]:
    """The written time rounded to the nearest whole breath (at least one): (seconds, breaths)."""
    cycles = ramp_cycles(base, ramp)
    ends = [start + p.cycle for start, p in cycles]
    steady = ramp.to if ramp is not None else base
    after = ends[-1] if ends else 0.0
    if seconds > after:
        n = max(0, round((seconds - after) / steady.cycle))
        if n > 0 or not ends:
            n = max(1, n) if not ends else n
            return after + n * steady.cycle, len(ends) + n
    # Within the ramp: the breath end nearest the written time.
    best = min(range(len(ends)), key=lambda i: abs(ends[i] - seconds))
    return ends[best], best + 1


def with_length(seg: Segment, seconds: float) -> Segment:
    """The segment given a time: a breath segment's is rounded to whole breaths unless told not.

    The time itself is kept as `written`, so saving writes back what was asked for and
    loading it again gives the same length.
    """
    if seg.kind != "breath" or seg.pattern is None or seg.breaths is not None:
        return seg._replace(duration=seconds)
    if not seg.whole_breaths:
        return seg._replace(duration=seconds, written=None)
    length, _count = whole_breaths(seg.pattern, seg.ramp, seconds)
    return seg._replace(duration=length, written=seconds)
