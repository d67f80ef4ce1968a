"""A queue of jobs from other threads, run by the thread that owns a practice when it waits."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable

Job = Callable[[], None]


class JobQueue:
    """Hand `submit` to a Server; call `wait(seconds)` where the owner would sleep."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()

    def submit(self, job: Job) -> None:
        """Queue a job (safe from any thread; returns at once)."""
        self._jobs.put(job)

    def run_pending(self) -> int:
        """Run every job queued so far, on this thread; returns how many ran."""
        ran = 0
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return ran
            job()
            ran += 1

    def wait(self, seconds: float, *, wake_on_job: bool = False) -> int:
        """Sleep for `seconds`, running each job the moment it arrives; returns how many ran.

        With `wake_on_job`, return right after the first job (and any queued with it), so an
        owner whose timing a job may change (pause, end) can look again at once.
        """
        deadline = time.monotonic() + seconds
        ran = 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return ran
            try:
                job = self._jobs.get(timeout=left)
            except queue.Empty:
                return ran
            job()
            ran += 1 + self.run_pending()
            if wake_on_job:
                return ran
