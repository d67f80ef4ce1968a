"""The practice's bells: opening and closing strikes, interval bells, bells at chosen times.

Interval bells are counted from `interval_from`. When the interval is a range, each gap is
drawn at random from it, from a seed the run keeps: the same seed always gives the same
times, so the bells are still a function of time and a run can be replayed or journaled.
"""

from __future__ import annotations

import math
import random
from typing import NamedTuple

from companion.practice.model import Bells

START_STRIKE_GAP = 4.0  # seconds between opening strikes: each rings out before the next
END_STRIKE_GAP = 3.0  # closing strikes come a little closer, like a gentle "that's all"
INTERVAL_CLEARANCE = 10.0  # an interval bell never rings this close to the end bell
STRIKE_CLEARANCE = 3.0  # a later opening strike never rings this close to the end bell
DRAW_HORIZON = 12 * 3600.0  # random gaps are drawn no further than this into a practice


# Records made while a practice starts are NamedTuples, not frozen dataclasses: Python 3.11
# compiles each dataclass method from source at import, about 0.6 ms a class (issue 18).
class SoundEvent(NamedTuple):
    """A sound due at t: role is start|end|interval|at|chime|phase."""

    t: float
    sound: str
    role: str
    strike: int = 1
    of: int = 1


class BellPlan:
    """Every bell of one practice of a known (or open) length."""

    def __init__(self, bells: Bells, total: float | None, seed: int) -> None:
        self.bells = bells
        self.total = total
        self.seed = seed
        self.start_gap = bells.strike_gap or START_STRIKE_GAP
        self.end_gap = bells.strike_gap or END_STRIKE_GAP
        self._drawn: list[float] = []  # random interval times, drawn in order as needed
        self._rng = random.Random(seed)
        if bells.interval is not None and bells.interval_to is not None:
            # Drawn once, now: later questions only read them (the chimes ask from a thread).
            self._draw_until(DRAW_HORIZON if total is None else total)

    @property
    def opening(self) -> float:
        """When the last opening strike rings (0 with no start bell)."""
        return self.start_strikes()[-1] if self.bells.start != "none" else 0.0

    def start_strikes(self) -> list[float]:
        """When the opening strikes ring: those that fit inside the practice.

        A bell belongs to its practice: a strike that would fall after the end, or within
        STRIKE_CLEARANCE of the end bell, is dropped (the first strike always rings: it is
        the start). Chimes, the plain runner, show and validate all read this.
        """
        bells = self.bells
        times = [k * self.start_gap for k in range(max(1, bells.start_strikes))]
        if self.total is None:
            return times
        limit = self.total - (STRIKE_CLEARANCE if bells.end != "none" else 0.0)
        return [times[0]] + [at for at in times[1:] if at < limit]

    def last_strike(self) -> float:
        """When the final closing strike rings (inf for an open practice)."""
        if self.total is None:
            return math.inf
        if self.bells.end == "none":
            return self.total
        return self.total + (self.bells.end_strikes - 1) * self.end_gap

    def sounds(self, t0: float, t1: float) -> list[SoundEvent]:
        """Every bell due with t0 <= t < t1 (not in time order)."""
        b = self.bells
        out: list[SoundEvent] = []
        if b.start != "none":
            kept = self.start_strikes()
            for k, at in enumerate(kept):
                if t0 <= at < t1:
                    out.append(SoundEvent(at, b.start, "start", k + 1, len(kept)))
        if self.total is not None and b.end != "none":
            for k in range(b.end_strikes):
                at = self.total + k * self.end_gap
                if t0 <= at < t1:
                    out.append(SoundEvent(at, b.end, "end", k + 1, b.end_strikes))
        if b.interval and b.interval_sound != "none":
            out.extend(
                SoundEvent(at, b.interval_sound, "interval") for at in self.intervals(t0, t1)
            )
        if b.at_sound != "none":
            out.extend(SoundEvent(at, b.at_sound, "at") for at in sorted(b.at) if t0 <= at < t1)
        return out

    def _allowed(self, at: float) -> bool:
        return at > self.opening and (self.total is None or at <= self.total - INTERVAL_CLEARANCE)

    def intervals(self, t0: float, t1: float) -> list[float]:
        """Interval bell times in [t0, t1): never over the opening strikes or near the end."""
        b = self.bells
        assert b.interval is not None
        if self.total is not None:
            t1 = min(t1, self.total - INTERVAL_CLEARANCE + 1e-9)
        if b.interval_to is None:
            out: list[float] = []
            k = max(1, math.ceil((t0 - b.interval_from) / b.interval - 1e-9))
            while b.interval_from + k * b.interval < t1:
                at = b.interval_from + k * b.interval
                if at >= t0 and self._allowed(at):
                    out.append(at)
                k += 1
            return out
        return [at for at in self._drawn if t0 <= at < t1 and self._allowed(at)]

    def _draw_until(self, t1: float) -> None:
        """Extend the drawn times past t1; earlier draws never change."""
        b = self.bells
        assert b.interval is not None and b.interval_to is not None
        at = self._drawn[-1] if self._drawn else b.interval_from
        while at < t1:
            gap = min(
                b.interval_to, max(b.interval, round(self._rng.uniform(b.interval, b.interval_to)))
            )
            at += gap
            self._drawn.append(at)

    def drawn(self) -> list[float]:
        """The random interval times of this run within the practice (empty with a fixed gap)."""
        if self.bells.interval is None or self.bells.interval_to is None:
            return []
        end = DRAW_HORIZON if self.total is None else self.total
        return self.intervals(0.0, end)
