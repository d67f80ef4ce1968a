"""Building a StatusSnapshot from what the engine already knows (for whoever wires a sitting)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from companion.engine.notes import Note
from companion.engine.session import Session
from companion.practice.model import Practice
from companion.remote.protocol import StatusSnapshot


def snapshot(practice: Practice, session: Session, notes: Iterable[Note]) -> StatusSnapshot:
    """The running practice now: the state at the session's time, its pause, its notes."""
    state = session.state()
    layout = session.timeline.layout
    # Rounds count once per round; rounds that go on until ended have no last part.
    count = len(layout.listed)
    if layout.looping:
        count = max(count, state.segment_index + 1)
    breath = state.breath
    paced = breath is not None and breath.paced
    return StatusSnapshot(
        practice_id=practice.id,
        title=practice.title,
        segment=state.segment.heading,
        segment_index=state.segment_index + 1,
        segment_count=count,
        phase=breath.word if paced and breath is not None else None,
        phase_left=breath.remaining if paced and breath is not None else None,
        practice_left=state.remaining,
        elapsed=state.t,
        paused=session.paused,
        notes=dict(Counter(n.label for n in notes)),
    )
