"""Helpers for the app tests: a practice with every segment kind, a recording player and journal."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from companion.journal import JournalError, RunRow, Stats
from companion.practice.load import load_practice
from companion.practice.model import Practice

ALL_KINDS = """
title = "Every kind"
summary = "One of each segment kind, for tests."
tags = ["breath"]

[bells]
start = "none"
end = "none"

[noting]
keys = { t = "thinking", f = "feeling" }

[[segment]]
kind = "settle"
duration = "10s"
title = "Arriving"
cues = [{ at = "0s", text = "Sit comfortably." }]

[[segment]]
kind = "breath"
duration = "32s"
title = "Box"
pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }
cues = [{ at = "0s", text = "Follow the shape." }]

[[segment]]
kind = "body_scan"
duration = "30s"
title = "Scan"
regions = ["head", "shoulders", "chest", "belly", "feet"]
prompts = ["Notice what is here."]

[[segment]]
kind = "phrases"
duration = "24s"
title = "Kindness"
recipient = "yourself"
every = "12s"
phrases = ["May I be safe", "May I be at ease"]

[[segment]]
kind = "noting"
duration = "20s"
title = "Noting"
cues = [{ at = "0s", text = "Name what you notice." }]

[[segment]]
kind = "silence"
duration = "20s"
title = "Quiet"
"""

# Segment starts in ALL_KINDS: settle 0, breath 10, scan 42, phrases 72, noting 96, silence 116.
STARTS = {
    "settle": 0.0,
    "breath": 10.0,
    "body_scan": 42.0,
    "phrases": 72.0,
    "noting": 96.0,
    "silence": 116.0,
}
TOTAL = 136.0


def write_practice(folder: Path, name: str = "every-kind", text: str = ALL_KINDS) -> Path:
    """Write a practice file and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def every_kind(tmp: Path) -> Practice:
    """The practice with one segment of each kind."""
    return load_practice(write_practice(tmp / "files"), sounds=None)


class RecordingPlayer:
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


def screen_text(app: Any) -> str:
    """The visible text of the app's screen, one line per row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def record_notices(app: Any) -> list[str]:
    """Keep every notice the app shows (still shown as usual) in the returned list."""
    told: list[str] = []
    notify = app.notify

    def recording(message: Any, *args: Any, **kwargs: Any) -> None:
        told.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording
    return told
