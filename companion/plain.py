"""The plain runner: a practice as timestamped lines, in real time, with no TUI.

For ssh sessions, screen readers and pipes. Each cue, phase change, region, phrase and bell
is printed as it happens. Time comes from the injected clock, so tests run it instantly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TextIO

from companion.engine.clock import Clock
from companion.engine.timeline import Event, Timeline
from companion.practice.durations import clock_text

LOOKAHEAD = 60.0  # seconds of events fetched at a time; open practices never end


def format_event(event: Event) -> str:
    """One line: [mm:ss] what happens."""
    stamp = clock_text(event.t)
    if event.kind == "segment":
        return f"[{stamp}] == {event.text} ({event.detail}) =="
    if event.kind == "phase":
        return f"[{stamp}] {event.text} ({event.detail})"
    if event.kind == "region":
        return f"[{stamp}] region: {event.text}" + (f" - {event.detail}" if event.detail else "")
    if event.kind == "phrase":
        return f"[{stamp}] “{event.text}”"
    if event.kind == "cue":
        return f"[{stamp}] {event.text}"
    if event.kind == "bell":
        return f"[{stamp}] bell: {event.text}" + (f", {event.detail}" if event.detail else "")
    return f"[{stamp}] {event.text}"


def run_plain(
    timeline: Timeline,
    clock: Clock,
    sleep: Callable[[float], None],
    out: TextIO,
    *,
    play: Callable[[str, str], None] | None = None,
    limit: float | None = None,
) -> float:
    """Print the practice as it happens; returns the seconds practised.

    `sleep` waits in real time (or advances a fake clock); `play(sound, role)` rings bells.
    `limit` stops an open practice after that many seconds (None: until interrupted).
    """
    origin = clock.now()
    end = timeline.last_sound_time()
    if limit is not None:
        end = min(end, limit)
    t0 = 0.0
    practice = timeline.practice
    total = "open" if timeline.total is None else clock_text(timeline.total)
    print(f"{practice.title} - {total}. Ctrl+C ends the practice.", file=out, flush=True)
    while t0 <= end and not math.isinf(t0):
        t1 = t0 + LOOKAHEAD
        for event in timeline.events(t0, t1):
            if event.t > end:
                return min(end, timeline.end)
            _wait_until(origin + event.t, clock, sleep)
            if play is not None and event.sound:
                play(event.sound, event.role)
            print(format_event(event), file=out, flush=True)
        t0 = t1
    return min(clock.now() - origin, timeline.end)


def _wait_until(target: float, clock: Clock, sleep: Callable[[float], None]) -> None:
    # Re-check after every sleep: a real sleep may wake early (signals) or late.
    while True:
        delay = target - clock.now()
        if delay <= 0:
            return
        sleep(delay)
