"""What is true at one moment of a practice: the answer the UI draws."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from companion.practice.model import Pattern, Segment


# Records made while a practice starts are NamedTuples, not frozen dataclasses: Python 3.11
# compiles each dataclass method from source at import, about 0.6 ms a class (issue 18).
# ScanState and PhraseState stay dataclasses: their `index` and `count` would hide a tuple's.
class BreathState(NamedTuple):
    """The breath guide at a moment: phase, how far through it, and the shape's size."""

    phase: str  # in | top_up | hold | out | hold_out | natural
    word: str  # what to show: "Breathe in", the file's own label, or "Breathe naturally"
    progress: float  # 0..1 through the phase
    remaining: float  # seconds left in the phase
    length: float
    cycle: int
    pattern: Pattern
    size: float  # 0..1, eased: how full the shape is
    paced: bool  # True for paced breathing (settle segments have no breath state at all)


@dataclass(frozen=True)
class ScanState:
    """The body scan at a moment: which region, how far, and where the band of light is."""

    region: str
    index: int
    count: int
    progress: float
    band: float  # 0 (crown) .. 1 (soles): where the band of light sits now
    order: tuple[str, ...]
    visited: tuple[str, ...]
    prompt: str
    direction: str


@dataclass(frozen=True)
class PhraseState:
    """The kindness phrase at a moment, and how far through its time."""

    text: str
    index: int
    progress: float
    recipient: str


class HoldState(NamedTuple):
    """A held breath at a moment: seconds held so far, and the longest it may last."""

    held: float
    longest: float  # the fixed length, or `max` for a hold that waits for the key
    until_key: bool  # True: the continue key (space) ends it
    after: str  # "in" or "out": the breath it follows


class State(NamedTuple):
    """Everything the practice screen needs at time t (seconds since the practice began)."""

    t: float
    total: float | None
    finished: bool
    segment_index: int
    segment: Segment
    segment_start: float
    segment_end: float | None
    cue: str
    breath: BreathState | None = None
    scan: ScanState | None = None
    phrase: PhraseState | None = None
    hold: HoldState | None = None
    round: int = 0  # 1.. inside rounds, 0 outside them
    rounds: int | None = 0  # how many rounds there are (None: until ended)

    @property
    def remaining(self) -> float | None:
        """Seconds left in the whole practice (None when open)."""
        return None if self.total is None else max(0.0, self.total - self.t)

    @property
    def segment_remaining(self) -> float | None:
        """Seconds left in the current segment (None when open)."""
        return None if self.segment_end is None else max(0.0, self.segment_end - self.t)
