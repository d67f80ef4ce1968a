"""The plain runner: a practice as timestamped lines, in real time, with no TUI.

For ssh sessions, screen readers and pipes. Each cue, phase change, region, phrase and bell
is printed as it happens. It drives the same Sitting as the practice screen (journal, notes,
outcome); time comes from the sitting's clock, so tests run it instantly with a fake one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TextIO

from companion.engine.clock import Clock
from companion.engine.pacing import until_next
from companion.engine.timeline import Event, Timeline
from companion.practice.durations import clock_text
from companion.sitting import Sitting

LOOKAHEAD = 60.0  # seconds of events fetched at a time; open practices never end
PAUSED_NAP = 1.0  # while paused, look again this often (a resume from outside wakes it at once)


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
    """Print a practice as it happens, with no journal; returns the seconds practised.

    `sleep` waits in real time (or advances a fake clock); `play(sound, role)` rings bells.
    `limit` stops an open practice after that many seconds (None: until interrupted).
    """
    sitting = Sitting(timeline.practice, clock, timeline=timeline)
    sitting.begin()
    return play_sitting(sitting, sleep, out, play=play, limit=limit)


def play_sitting(
    sitting: Sitting,
    sleep: Callable[[float], None],
    out: TextIO,
    *,
    play: Callable[[str, str], None] | None = None,
    limit: float | None = None,
    shown: Callable[[], None] | None = None,
) -> float:
    """Print a begun sitting's moments as they happen; returns the seconds practised.

    The sitting's own heartbeat runs between lines: the runner wakes at least on every
    second of practice time, so the journal is never more than a second behind. Bells are
    rung here, with their line, through `play` (the sitting is given no player). `shown` is
    called after each line (the window title follows the phase with it). The sitting may be
    paused, resumed or ended by others while this waits (`companion pause` and friends run
    inside `sleep`): it stops at once when the sitting ends.
    """
    timeline = sitting.timeline
    end = timeline.last_sound_time()
    if limit is not None:
        end = min(end, limit)
    t0 = 0.0
    total = "open" if timeline.total is None else clock_text(timeline.total)
    print(f"{sitting.practice.title} - {total}. Ctrl+C ends the practice.", file=out, flush=True)
    while t0 <= end and not math.isinf(t0):
        t1 = t0 + LOOKAHEAD
        for event in timeline.events(t0, t1):
            if event.t > end:
                _wait_until(sitting, end, sleep)
                return sitting.elapsed()
            _wait_until(sitting, event.t, sleep)
            if sitting.ended:
                return sitting.elapsed()
            if play is not None and event.sound:
                play(event.sound, event.role)
            print(format_event(event), file=out, flush=True)
            if shown is not None:
                shown()
        t0 = t1
    return sitting.elapsed()


def _wait_until(sitting: Sitting, t: float, sleep: Callable[[float], None]) -> None:
    """Sleep until practice time t, waking on each whole second for the heartbeat.

    Returns early when the sitting ends; while it is paused, practice time stands still.
    """
    clock = sitting.clock
    # Re-check after every sleep: a real sleep may wake early (signals, a job) or late, and
    # a pause or resume in between moves the clock time at which t arrives.
    while not sitting.ended:
        if sitting.paused:
            sleep(PAUSED_NAP)
            continue
        target = sitting.session.practice_time_to_clock(t)
        now = clock.now()
        delay = target - now
        if delay <= 0:
            return
        # Practice time is not capped here: the closing strikes ring after the end.
        second = until_next(now - sitting.session.practice_time_to_clock(0.0), 1.0)
        sleep(min(delay, second))
        sitting.heartbeat()
