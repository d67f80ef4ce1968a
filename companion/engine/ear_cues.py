"""What a practice sounds like to someone with their eyes closed: cue tones and spoken lines.

Both are read off the timeline, so they are exact and a function of time like everything
else: `eyes_closed_sounds(timeline, t0, t1, tones)` gives the soft tones due in a window
(breath phases, body-scan regions, new phrases, segment changes), and `spoken_lines` the
words due in a window (cues, region names with their prompts, phrases), each moved off any
bell it falls on so the words never talk over a strike.

Pure: the tone names are plain strings (the files are sounds/*.wav, see sound/tones.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from companion.engine.bells import SoundEvent
from companion.engine.spans import SegmentSpan
from companion.engine.timeline import Timeline
from companion.practice.model import SoundChoice

STRIKE = 1.5  # seconds after a bell starts before words may begin (as sound.voice.STRIKE)
TONE_LEAD = 0.7  # with a tone on the same moment, the words follow it by this much
BELL_ROLES = frozenset({"start", "end", "interval", "at", "chime"})
LOOK_BACK = 40.0  # a line this far before a window may be moved into it (bells, other lines)
WORDS_PER_SECOND = 130 / 60  # the pace lines are spoken at (sound.voice.RATE_WPM)
BETWEEN_LINES = 0.6  # seconds of quiet kept between one line and the next
MAX_WAIT = 8.0  # a line that would wait longer than this for the ones before it is left out
OFF = "none"


@dataclass(frozen=True)
class CueTones:
    """The sounds of eyes-closed mode ("none" rings nothing for that change)."""

    breath_in: str = "breath-in"
    breath_out: str = "breath-out"
    region: str = "region"
    phrase: str = "phrase"
    segment: str = "bell"

    @classmethod
    def of(cls, choice: SoundChoice) -> CueTones:
        """The defaults, with whatever a practice's `[sound]` table sets instead."""
        base = cls()
        return cls(
            breath_in=choice.breath_in or base.breath_in,
            breath_out=choice.breath_out or base.breath_out,
            region=choice.region or base.region,
            phrase=choice.phrase or base.phrase,
            segment=choice.segment or base.segment,
        )


def eyes_closed_sounds(
    timeline: Timeline, t0: float, t1: float, tones: CueTones
) -> list[SoundEvent]:
    """The tones due with t0 <= t < t1 in eyes-closed mode, in time order.

    A segment's own chime (and the start bell at 0) already marks its change, so the segment
    tone rings only where nothing else does; a segment that rings its own phase sounds keeps
    them (no second tone on top). Holds are silent. A breath segment's first in-breath tone
    rings with its segment tone; a region's or phrase's at a segment's start does not.
    """
    out: list[SoundEvent] = []
    for span in _spans(timeline, t0, t1):
        seg = span.segment
        starts_here = t0 <= span.start < t1 and span.start > 0
        if starts_here and not seg.chime:
            out.append(SoundEvent(span.start, tones.segment, "chime"))
        u0 = max(0.0, t0 - span.start)
        u1 = min(t1, span.end) - span.start
        if seg.kind == "breath" and not (seg.phase_sound or seg.phase_sounds):
            plan = timeline.breath_plan(span.index)
            if plan is not None:
                for phase in plan.phases_between(u0, u1):
                    out.append(
                        SoundEvent(
                            span.start + phase.start, _phase_tone(phase.name, tones), "phase"
                        )
                    )
    for event in timeline.events(t0, t1):
        if event.t <= 0 or _at_segment_start(timeline, event.t):
            continue  # the segment tone (or its chime, or the start bell) marks it
        if event.kind == "region":
            out.append(SoundEvent(event.t, tones.region, "phase"))
        elif event.kind == "phrase":
            out.append(SoundEvent(event.t, tones.phrase, "phase"))
    out = [s for s in out if s.sound != OFF]
    out.sort(key=lambda s: s.t)
    return out


def spoken_lines(
    timeline: Timeline, t0: float, t1: float, *, tones: bool = False
) -> list[tuple[float, str]]:
    """The words due with t0 <= t < t1, each placed after any bell strike it falls on.

    `tones`: eyes-closed mode is on, so a region or phrase line follows its tone by TONE_LEAD.
    """
    lines: list[tuple[float, str]] = []
    start = max(0.0, t0 - LOOK_BACK)
    for event in timeline.events(start, t1):
        text = _words(event.kind, event.text, event.detail)
        if not text:
            continue
        at = event.t
        if tones and event.kind in ("region", "phrase") and at > 0:
            at += TONE_LEAD
        lines.append((at, text))
    bells = [s.t for s in timeline.sounds(max(0.0, start - STRIKE), t1) if s.role in BELL_ROLES]
    placed = _place(lines, bells)
    return [(at, text) for at, text in placed if t0 <= at < t1]


def all_spoken_texts(timeline: Timeline, horizon: float = 3600.0) -> list[str]:
    """Every line the practice will speak, nearest first (an open practice: its first hour)."""
    end = min(timeline.end, horizon)
    seen: dict[str, None] = {}
    t, step = 0.0, 300.0
    while t < end:
        for event in timeline.events(t, min(end, t + step)):
            text = _words(event.kind, event.text, event.detail)
            if text:
                seen.setdefault(text, None)
        t += step
    return list(seen)


def _phase_tone(phase: str, tones: CueTones) -> str:
    """In-breaths (and top-ups) rise, out-breaths fall, holds are silent."""
    if phase in ("in", "top_up"):
        return tones.breath_in
    return tones.breath_out if phase == "out" else OFF


def _words(kind: str, text: str, detail: str) -> str:
    if kind in ("cue", "phrase"):
        return text.strip()
    if kind == "region":
        name = text[:1].upper() + text[1:]
        return f"{name}. {detail}".strip() if detail else name
    return ""


def speaking_seconds(text: str) -> float:
    """About how long a line takes to say, from its words (the schedule cannot wait to hear)."""
    return len(text.split()) / WORDS_PER_SECOND + BETWEEN_LINES


def _place(lines: list[tuple[float, str]], bells: list[float]) -> list[tuple[float, str]]:
    """Each line after any strike it falls on, and after the line before has been said.

    A line that would have to wait more than MAX_WAIT (lines packed closer than they can be
    said, as in a practice squeezed by --minutes) is left out rather than said late.
    """
    times = sorted(bells)
    placed: list[tuple[float, str]] = []
    free = -math.inf  # when the line before will have been said
    for due, text in sorted(lines, key=lambda line: line[0]):
        at = max(due, free)
        for bell in times:
            if bell <= at < bell + STRIKE:
                at = bell + STRIKE
        if at - due > MAX_WAIT:
            continue  # by then the practice has moved on: its words would only confuse
        placed.append((at, text))
        free = at + speaking_seconds(text)
    return placed


def _spans(timeline: Timeline, t0: float, t1: float) -> Iterator[SegmentSpan]:
    if math.isinf(t0) or t1 <= t0:
        return iter(())
    return timeline.layout.between(t0, t1)


def _at_segment_start(timeline: Timeline, t: float) -> bool:
    return abs(timeline.span_at(t).start - t) < 1e-6
