"""A practice in progress: the timeline plus a clock, with pause, resume, skip and end.

Elapsed practice time is `now - origin` (minus nothing: pausing moves the origin on resume),
so the state is always derived from the clock and never from counted ticks.

A preparation countdown is the time before the origin: start() puts the origin `prepare`
seconds ahead, practice time stays at 0 until then, and `until_start()` counts down.

A hold that waits for the continue key is laid on the timeline at its longest (`max`).
Pressing the key (release_hold) seeks to the hold's end, as skip does: the origin moves, so
everything after the hold shifts the way a pause shifts it, and the schedule after it is
known the moment the key is pressed. The seconds jumped over are kept in `skipped`, so
`practised()` counts only time actually spent, and each hold's length is remembered.
"""

from __future__ import annotations

import math

from companion.engine.clock import Clock
from companion.engine.state import State
from companion.engine.timeline import Timeline


class Session:
    """Tracks where a running practice is, given a clock."""

    def __init__(self, timeline: Timeline, clock: Clock) -> None:
        self.timeline = timeline
        self.clock = clock
        self.origin: float | None = None
        self.paused_at: float | None = None
        self.ended_at: float | None = None  # practice time when ended early or finished
        self.skipped = 0.0  # practice seconds jumped over by ending key-ended holds early
        self.released: dict[int, float] = {}  # span index -> seconds held, for holds ended early

    @property
    def started(self) -> bool:
        """True once start() has been called."""
        return self.origin is not None

    @property
    def paused(self) -> bool:
        """True while paused."""
        return self.paused_at is not None

    @property
    def ended(self) -> bool:
        """True once the practice has finished or been ended."""
        return self.ended_at is not None or self.finished

    @property
    def finished(self) -> bool:
        """True once the whole planned length has passed."""
        total = self.timeline.total
        return total is not None and self.elapsed() >= total

    def start(self, *, prepare: bool = True) -> None:
        """Begin now: the start bell rings after the practice's preparation countdown."""
        self.origin = self.clock.now() + (self.timeline.prepare if prepare else 0.0)

    def until_start(self) -> float:
        """Seconds left of the preparation countdown (0 once the practice has begun)."""
        if self.origin is None or self.ended_at is not None:
            return 0.0
        now = self.paused_at if self.paused_at is not None else self.clock.now()
        return max(0.0, self.origin - now)

    @property
    def preparing(self) -> bool:
        """True during the preparation countdown before the start bell."""
        return self.until_start() > 0

    def elapsed(self) -> float:
        """Seconds of practice so far (frozen while paused or after the end)."""
        if self.origin is None:
            return 0.0
        if self.ended_at is not None:
            return self.ended_at
        now = self.paused_at if self.paused_at is not None else self.clock.now()
        t = max(0.0, now - self.origin)  # 0 throughout the preparation countdown
        total = self.timeline.total
        return min(t, total) if total is not None else t

    def practised(self) -> float:
        """Seconds actually practised: elapsed time less what ending holds early skipped."""
        return max(0.0, self.elapsed() - self.skipped)

    def release_hold(self) -> float | None:
        """End a key-ended hold now (the continue key); returns the seconds held, else None."""
        if self.origin is None or self.ended or self.preparing:
            return None
        t = self.elapsed()
        span = self.timeline.span_at(t)
        if not span.segment.key_ended or t >= span.end:
            return None
        held = t - span.start
        self.released[span.index] = held
        self.skipped += span.end - t
        self.seek(span.end)
        return held

    def holds(self) -> list[tuple[float, float]]:
        """Every finished key-ended hold as (when it began, seconds held), in order.

        A hold still going is left out; one that ran to its end lasted `max`.
        """
        t = self.elapsed()
        out: list[tuple[float, float]] = []
        for span in self.timeline.layout.between(0.0, t):
            if span.segment.key_ended and (span.index in self.released or span.end <= t):
                out.append((span.start, self.released.get(span.index, span.length)))
        return out

    def state(self) -> State:
        """What is true now."""
        return self.timeline.state_at(self.elapsed())

    def pause(self) -> None:
        """Freeze practice time."""
        if self.origin is not None and self.paused_at is None and not self.ended:
            self.paused_at = self.clock.now()

    def resume(self) -> None:
        """Carry on from where the pause began: the origin moves by the paused time."""
        if self.origin is not None and self.paused_at is not None:
            self.origin += self.clock.now() - self.paused_at
            self.paused_at = None

    def toggle_pause(self) -> bool:
        """Pause or resume; returns True when now paused."""
        if self.paused:
            self.resume()
        else:
            self.pause()
        return self.paused

    def skip(self) -> bool:
        """Jump to the start of the next segment; False when already in the last."""
        if self.origin is None or self.ended:
            return False
        if self.release_hold() is not None:
            return True  # skipping a hold that waits for the key is pressing the key
        nxt = self.timeline.next_segment_start(self.elapsed())
        if nxt is None:
            return False
        self.seek(nxt)
        return True

    def seek(self, t: float) -> None:
        """Make practice time equal t (used by skip)."""
        if self.origin is None:
            return
        now = self.paused_at if self.paused_at is not None else self.clock.now()
        self.origin = now - t

    def end(self) -> float:
        """End now (early or at the end); returns the seconds practised."""
        if self.ended_at is None:
            self.ended_at = self.elapsed()
            self.paused_at = None
        return self.ended_at

    def practice_time_to_clock(self, t: float) -> float:
        """The clock reading at which practice time t arrives (inf while paused)."""
        if self.origin is None or self.paused_at is not None:
            return math.inf
        return self.origin + t
