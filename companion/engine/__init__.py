"""The timing engine: a practice becomes a timeline; the state at time t is a pure query.

Pure: imports neither textual nor pygame.
"""

from companion.engine.clock import Clock, FakeClock, MonotonicClock
from companion.engine.notes import Note
from companion.engine.rescale import rescale
from companion.engine.session import Session
from companion.engine.state import BreathState, HoldState, PhraseState, ScanState, State
from companion.engine.timeline import Event, SegmentSpan, SoundEvent, Timeline, build_timeline

__all__ = [
    "BreathState",
    "Clock",
    "Event",
    "FakeClock",
    "HoldState",
    "MonotonicClock",
    "Note",
    "PhraseState",
    "ScanState",
    "SegmentSpan",
    "Session",
    "SoundEvent",
    "State",
    "Timeline",
    "build_timeline",
    "rescale",
]
