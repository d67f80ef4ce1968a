"""The plain runner: a practice as timestamped lines, in real time, with no TUI.

For ssh sessions, screen readers and pipes. Each cue, phase change, region, phrase and bell
is printed as it happens. It drives the same Sitting as the practice screen (journal, notes,
outcome); time comes from the sitting's clock, so tests run it instantly with a fake one.

A preparation countdown is printed before the start bell. A hold that waits for the continue
key waits for `wait_key` (the command reads Enter when stdin is a terminal); without one the
hold lasts its `max`.
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
COUNTDOWN_EVERY = 10  # the countdown is said every ten seconds, then each of the last five

# Waits up to the given seconds for the continue key; True when it was pressed.
WaitKey = Callable[[float], bool]


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
    wait_key: WaitKey | None = None,
) -> float:
    """Print a practice as it happens, with no journal; returns the seconds practised.

    `sleep` waits in real time (or advances a fake clock); `play(sound, role)` rings bells.
    `limit` stops an open practice after that many seconds (None: until interrupted).
    """
    sitting = Sitting(timeline.practice, clock, timeline=timeline)
    sitting.begin()
    return play_sitting(sitting, sleep, out, play=play, limit=limit, wait_key=wait_key)


def play_sitting(
    sitting: Sitting,
    sleep: Callable[[float], None],
    out: TextIO,
    *,
    play: Callable[[str, str], None] | None = None,
    limit: float | None = None,
    wait_key: WaitKey | None = None,
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
    print(header(timeline), file=out, flush=True)
    _count_down(sitting, sleep, out)
    while t0 <= end and not math.isinf(t0):
        t1 = t0 + LOOKAHEAD
        for event in timeline.events(t0, t1):
            if event.t > end:
                _wait_until(sitting, end, sleep, wait_key, out)
                return sitting.practised()
            jumped = _wait_until(sitting, event.t, sleep, wait_key, out)
            if sitting.ended:
                return sitting.practised()
            if jumped is not None:
                t1 = jumped  # the key ended a hold: carry on from the hold's end
                break
            if play is not None and event.sound:
                play(event.sound, event.role)
            print(format_event(event), file=out, flush=True)
            if shown is not None:
                shown()
            if event.kind == "segment" and timeline.span_at(event.t).segment.key_ended:
                how = "press Enter" if wait_key is not None else "it ends by itself"
                longest = clock_text(timeline.span_at(event.t).length)
                print(
                    f"        hold; {how} when you need to breathe (at most {longest})",
                    file=out,
                    flush=True,
                )
        else:
            # Nothing more in this window (an open sitting after its last bell): wait it out
            # instead of racing through empty windows, so the sitting and --until are heard.
            _wait_until(sitting, min(t1, end), sleep, wait_key, out)
            if sitting.ended:
                return sitting.practised()
        t0 = t1
    return sitting.practised()


def header(timeline: Timeline) -> str:
    """The first line: title, length (the longest, with holds), and the drawn interval bells."""
    if timeline.total is None:
        total = "open"
    elif any(span.segment.key_ended for span in timeline.spans):
        total = f"up to {clock_text(timeline.total)}"
    else:
        total = clock_text(timeline.total)
    line = f"{timeline.practice.title} - {total}. Ctrl+C ends the practice."
    drawn = timeline.drawn_intervals()
    if drawn:
        shown = ", ".join(clock_text(t) for t in drawn[:40]) + (" ..." if len(drawn) > 40 else "")
        line += f"\nInterval bells this time: {shown}"
    return line


def _count_down(sitting: Sitting, sleep: Callable[[float], None], out: TextIO) -> None:
    """Print "Starting in N" until the start bell: every ten seconds, then each of the last five."""
    if not sitting.preparing:
        return
    said: int | None = None
    while sitting.preparing and not sitting.ended:
        left = math.ceil(sitting.until_start() - 1e-9)
        if left != said and (said is None or left <= 5 or left % COUNTDOWN_EVERY == 0):
            print(f"Starting in {left}", file=out, flush=True)
            said = left
        if sitting.paused:
            sleep(0.25)
            continue
        wait = sitting.until_start() - (left - 1)
        sleep(max(0.0, min(wait, sitting.until_start())))
        sitting.heartbeat()
    sitting.heartbeat()  # the start bell: the journal's run begins here


def _wait_until(
    sitting: Sitting,
    t: float,
    sleep: Callable[[float], None],
    wait_key: WaitKey | None = None,
    out: TextIO | None = None,
) -> float | None:
    """Sleep until practice time t, waking on each whole second for the heartbeat.

    In a hold that waits for the key, wait for the key instead of sleeping. Returns None
    once t has come (or the sitting has ended), or the practice time the hold's end jumped
    to when the key was pressed. While the sitting is paused, practice time stands still.
    """
    clock = sitting.clock
    # Re-check after every sleep: a real sleep may wake early (signals, a job) or late, and
    # a pause or resume in between moves the clock time at which t arrives.
    while not sitting.ended:
        if sitting.paused:
            sleep(PAUSED_NAP)
            continue
        now = clock.now()
        target = sitting.session.practice_time_to_clock(t)
        delay = target - now
        if delay <= 0:
            return None
        # Practice time is not capped here: the closing strikes ring after the end.
        second = until_next(now - sitting.session.practice_time_to_clock(0.0), 1.0)
        in_hold = sitting.state().segment.key_ended and not sitting.ended
        if wait_key is not None and in_hold and wait_key(min(delay, second)):
            hold_end = sitting.timeline.span_at(sitting.elapsed()).end
            held = sitting.release_hold()
            if held is not None:
                if out is not None:
                    stamp = clock_text(sitting.elapsed())
                    n = round(held)
                    said = f"held for {n} second{'' if n == 1 else 's'}"
                    print(f"[{stamp}] {said}", file=out, flush=True)
                return hold_end
        elif wait_key is None or not in_hold:
            sleep(min(delay, second))
        sitting.heartbeat()
    return None
