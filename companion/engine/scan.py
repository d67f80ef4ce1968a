"""Body-scan region windows: each region's share of the time follows its weight."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

from companion.practice.model import Region, Segment, open_scan_cycle
from companion.practice.regions import anchor


def visit_order(segment: Segment) -> tuple[Region, ...]:
    """The regions in the order visited: `direction` decides whether the walk runs
    head-to-feet or feet-to-head whichever way the list is written; a "whole body"
    entry keeps its place at the start or end."""
    regions = list(segment.regions)
    body = [i for i, r in enumerate(regions) if r.name != "whole body"]
    if len(body) >= 2:
        first, last = anchor(regions[body[0]].name), anchor(regions[body[-1]].name)
        runs_down = last >= first
        if runs_down != (segment.direction == "down"):
            flipped = [regions[i] for i in reversed(body)]
            for i, region in zip(body, flipped, strict=True):
                regions[i] = region
    return tuple(regions)


@dataclass(frozen=True)
class Window:
    """One region's time within a scan, in segment-local seconds."""

    index: int
    region: Region
    start: float
    length: float


class ScanPlan:
    """Where a body scan is at any moment; an open scan loops over its regions."""

    def __init__(self, segment: Segment) -> None:
        self.regions = visit_order(segment)
        self.cycle = (
            open_scan_cycle(segment) if segment.duration is None else float(segment.duration)
        )
        self.looping = segment.duration is None
        total_weight = sum(r.weight for r in self.regions) or 1.0
        self.starts: list[float] = []
        t = 0.0
        for region in self.regions:
            self.starts.append(t)
            t += self.cycle * region.weight / total_weight
        self.lengths = [self.cycle * r.weight / total_weight for r in self.regions]

    def window_at(self, u: float) -> tuple[Window, int]:
        """The region window at local time u, and which pass over the body this is (0-based)."""
        passes = 0
        if self.looping:
            passes = math.floor(u / self.cycle)
            u -= passes * self.cycle
        i = max(0, bisect.bisect_right(self.starts, u) - 1)
        offset = passes * self.cycle
        return Window(i, self.regions[i], self.starts[i] + offset, self.lengths[i]), passes

    def windows_between(self, u0: float, u1: float, end: float) -> list[Window]:
        """Every window starting in [u0, u1), in order."""
        out: list[Window] = []
        u1 = min(u1, end)
        if u0 >= u1:
            return out
        first, passes = self.window_at(u0)
        i, offset = first.index, passes * self.cycle
        while True:
            start = self.starts[i] + offset
            if start >= u1:
                break
            if start >= u0:
                out.append(Window(i, self.regions[i], start, self.lengths[i]))
            i += 1
            if i == len(self.regions):
                if not self.looping:
                    break
                i, offset = 0, offset + self.cycle
        return out
