"""Ringing a practice's sounds on schedule while its Session runs.

The timeline says when each sound is due in practice time; the session turns practice time
into clock time (`practice_time_to_clock`, which moves on resume and seek). A background
thread sleeps on a threading.Event until the next sound's clock time, re-reads the clock on
waking, and plays whatever is due. `sync()` wakes it after pause, resume or skip so it
recomputes: nothing plays while paused, and a skip forward drops the skipped sounds instead of
ringing them all at once.

On pause the chimes also call `player.stop_all()`: a bowl left ringing for ten seconds into a
pause feels like the practice did not stop.
"""

from __future__ import annotations

import math
import threading
from typing import Protocol

from companion.engine.clock import Clock
from companion.engine.session import Session
from companion.engine.timeline import SoundEvent, Timeline
from companion.sound.player import Player

SEEK_GRACE = 0.25  # after a skip, a sound this close before the new position still rings
ENDED_EARLY = 0.5  # ended this long before the planned end: the closing strikes are the UI's
FIRST_WINDOW = 60.0  # seconds of schedule asked for at a time when looking for the next sound


class ExtraSounds(Protocol):
    """More sounds on the bell schedule: eyes-closed tones and spoken cues (eyes_closed.py)."""

    def sounds(self, t0: float, t1: float) -> list[SoundEvent]:
        """Every extra sound due with t0 <= t < t1, in time order."""
        ...

    def ring(self, sound: SoundEvent) -> bool:
        """Play one of them now if it is its own kind (speech); False: play it as a sound."""
        ...


class Chimes:
    """Plays a timeline's sounds through a player at the clock times a Session gives them."""

    def __init__(
        self,
        timeline: Timeline,
        session: Session,
        player: Player,
        clock: Clock,
        *,
        bells: bool = True,
    ) -> None:
        self.timeline = timeline
        self.bells = bells  # False: only the extra sounds (the plain runner rings the bells)
        self.session = session
        self.player = player
        self.clock = clock
        self._cursor = 0.0  # every sound with t < cursor has been played or dropped
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._was_paused = False
        # Set by the eyes-closed accompaniment; then sync() so the thread looks again.
        self.extra: ExtraSounds | None = None

    # -- the thread ---------------------------------------------------------------------
    def start(self) -> None:
        """Start ringing on a background thread (call after session.start())."""
        if self._thread is not None:
            return
        self._stopped.clear()
        self._thread = threading.Thread(target=self._run, name="companion-chimes", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 2.0) -> None:
        """End the thread (sounds already ringing carry on)."""
        self._stopped.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @property
    def running(self) -> bool:
        """True while the thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def sync(self) -> None:
        """Recompute what is pending after pause, resume or skip (wakes the thread)."""
        with self._lock:
            paused = self.session.paused
            if paused and not self._was_paused:
                self.player.stop_all()
            self._was_paused = paused
            if not paused:
                now = self._practice_now()
                if now is not None and now - SEEK_GRACE > self._cursor:
                    self._cursor = now - SEEK_GRACE  # skipped forward: drop what was jumped over
                elif now is not None and now + SEEK_GRACE < self._cursor:
                    self._cursor = max(0.0, now)  # moved back: ring from the new place
        self._wake.set()

    def _run(self) -> None:
        while not self._stopped.is_set():
            due = self._next_due_clock()
            if due is None:
                self._wait(None)  # nothing left: sleep until sync() or stop()
                continue
            delay = due - self.clock.now()
            if delay > 0:
                self._wait(delay)
                continue  # woken early by sync(), or on time: re-read everything
            now = self._practice_now()
            if now is not None:
                self.play_due(now)

    def _wait(self, timeout: float | None) -> None:
        self._wake.wait(timeout)
        self._wake.clear()

    def _next_due_clock(self) -> float | None:
        """The clock time of the next unplayed sound (None when none is left or while paused)."""
        if self._silenced():
            return None
        nxt = self._next_sound()
        if nxt is None:
            return None
        due = self.session.practice_time_to_clock(nxt.t)
        return None if math.isinf(due) else due

    # -- the synchronous core -------------------------------------------------------------
    def play_due(self, now_practice_t: float) -> list[SoundEvent]:
        """Play every sound due at or before this practice time not yet played; returns them."""
        with self._lock:
            if self._silenced() or self.session.paused:
                return []
            upper = min(math.nextafter(now_practice_t, math.inf), self._last_edge())
            if upper <= self._cursor:
                return []
            due = self._sounds(self._cursor, upper)
            self._cursor = upper
        extra = self.extra
        for sound in due:
            if extra is None or not extra.ring(sound):
                self.player.play(sound.sound, role=sound.role)
        return due

    def _sounds(self, t0: float, t1: float) -> list[SoundEvent]:
        """The timeline's sounds in a window, with the extra ones when there are any."""
        found = self.timeline.sounds(t0, t1) if self.bells else []
        extra = self.extra
        if extra is not None:
            found = sorted([*found, *extra.sounds(t0, t1)], key=lambda s: s.t)
        return found

    def _next_sound(self) -> SoundEvent | None:
        t0 = self._cursor
        last = self._last_edge()
        span = FIRST_WINDOW
        while t0 < last:
            t1 = min(t0 + span, last)
            found = self._sounds(t0, t1)
            if found:
                return found[0]
            t0, span = t1, span * 2
            if span > 1e7:
                return None
        return None

    def _last_edge(self) -> float:
        """Just past the final closing strike: the chimes never look beyond it."""
        return math.nextafter(self.timeline.last_sound_time(), math.inf)

    def _practice_now(self) -> float | None:
        """Practice time now, not capped at the end (the closing strikes ring after it)."""
        origin = self.session.practice_time_to_clock(0.0)
        if math.isinf(origin):
            return None
        return self.clock.now() - origin

    def _silenced(self) -> bool:
        """True when the practice was ended early: its remaining sounds must not ring."""
        ended = self.session.ended_at
        total = self.timeline.total
        if ended is None:
            return False
        return total is None or ended < total - ENDED_EARLY
