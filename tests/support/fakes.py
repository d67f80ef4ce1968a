"""Fakes that satisfy the app's service protocols: a recording player and a recording journal."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from companion.journal import JournalError, RunRow, Stats
from companion.practice.model import Practice
from companion.sound.background import NoBackground


class RecordingPlayer(NoBackground):
    """A player that remembers what it was asked to do (it fits companion.sound.Player)."""

    def __init__(self) -> None:
        self.notice: str | None = None
        self.volume = 0.8
        self.muted = False
        self.latency = 0.0
        self.calls: list[tuple[str, ...]] = []

    def wait_ready(self, timeout: float | None = None) -> bool:
        return True

    def play(self, name: str, role: str = "") -> None:
        self.calls.append(("play", name, role))

    def stop_all(self) -> None:
        self.calls.append(("stop_all",))

    def set_volume(self, volume: float) -> None:
        self.volume = volume

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def close(self) -> None:
        self.calls.append(("close",))


class RecordingJournal:
    """A journal whose recorder keeps every call (it fits Journal and Recorder).

    It has no figures: History says the journal cannot be read, and courses start at day 1.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.notice: str | None = None

    def recorder(self) -> RecordingJournal:
        return self

    def next_course_day(self, course: str) -> int:
        return 1

    def stats(self, *, today: date | None = None, streak: bool = False) -> Stats:
        raise JournalError("a recording journal keeps no figures", Path("recording"))

    def runs(self, limit: int | None = None) -> list[RunRow]:
        raise JournalError("a recording journal keeps no figures", Path("recording"))

    def begin(
        self,
        practice: Practice,
        planned: float | None,
        *,
        course: str | None = None,
        day: int | None = None,
    ) -> None:
        self.calls.append(("begin", practice.id, planned))

    def note(self, offset: float, label: str, key: str, segment: int, region: str | None) -> None:
        self.calls.append(("note", offset, label, key, segment, region))

    def progress(self, practised: float) -> None:
        self.calls.append(("progress", practised))

    def end(self, practised: float, completed: bool) -> None:
        self.calls.append(("end", practised, completed))

    def undo_note(self) -> None:
        self.calls.append(("undo_note",))

    def checkin(self, when: str, value: int) -> None:
        self.calls.append(("checkin", when, value))

    def hold(self, offset: float, seconds: float) -> None:
        self.calls.append(("hold", offset, seconds))

    def bells(self, seed: int, interval: list[float]) -> None:
        self.calls.append(("bells", seed, interval))
