"""Clocks the engine reads. The app uses the monotonic clock; tests drive a fake one."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the time in seconds, never going backwards."""

    def now(self) -> float:
        """Seconds on this clock."""
        ...


class MonotonicClock:
    """The real clock: time.monotonic, immune to wall-clock changes."""

    def now(self) -> float:
        """Seconds since an arbitrary fixed point."""
        return time.monotonic()


class FakeClock:
    """A clock that moves only when told to; `sleep` advances it instantly."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = float(start)

    def now(self) -> float:
        """The fake time."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += seconds

    def set(self, value: float) -> None:
        """Jump to an absolute time (never backwards)."""
        if value < self._now:
            raise ValueError("a clock cannot go backwards")
        self._now = value

    def sleep(self, seconds: float) -> None:
        """What a real sleep would do to this clock."""
        self.advance(max(0.0, seconds))
