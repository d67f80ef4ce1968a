"""A practice as a timeline: every boundary, phase, region, phrase, cue and bell.

`build_timeline` is the one place a practice becomes a schedule. Everything else asks it
questions: `state_at(t)` for what is true at a moment, `events(t0, t1)` for what happens in a
window (the plain runner prints these), `sounds(t0, t1)` for what rings (the player plays
these). Positions are computed, never accumulated, so nothing drifts.
"""

from __future__ import annotations

import math
import random
from typing import NamedTuple

from companion.engine.bells import (
    END_STRIKE_GAP,
    INTERVAL_CLEARANCE,
    START_STRIKE_GAP,
    STRIKE_CLEARANCE,
    BellPlan,
    SoundEvent,
)
from companion.engine.breath import BreathPlan, Phase
from companion.engine.easing import ease
from companion.engine.scan import ScanPlan
from companion.engine.spans import SegmentSpan, Spans
from companion.engine.state import BreathState, HoldState, PhraseState, ScanState, State
from companion.practice.model import Pattern, Practice, Segment
from companion.practice.regions import anchor

# Names other modules import from here.
__all__ = [
    "END_STRIKE_GAP",
    "INTERVAL_CLEARANCE",
    "START_STRIKE_GAP",
    "STRIKE_CLEARANCE",
    "Event",
    "SegmentSpan",
    "SoundEvent",
    "Timeline",
    "build_timeline",
]

PHASE_WORDS = {
    "in": "Breathe in",
    "top_up": "Top up",
    "hold": "Hold",
    "out": "Breathe out",
    "hold_out": "Hold",
}


# Records made while a practice starts are NamedTuples, not frozen dataclasses: Python 3.11
# compiles each dataclass method from source at import, about 0.6 ms a class (issue 18).
class Event(NamedTuple):
    """Something that happens at a moment: kind is segment|phase|region|phrase|cue|bell|end."""

    t: float
    kind: str
    text: str
    segment: int
    detail: str = ""
    sound: str = ""  # a sound to ring with this event, if any
    role: str = ""  # the sound's role: start|end|interval|chime|phase


class Timeline:
    """The schedule of one practice. Build with `build_timeline`."""

    def __init__(self, practice: Practice, seed: int | None = None) -> None:
        self.practice = practice
        self.layout = Spans(practice)
        # Every span with an end, rounds expanded; rounds that repeat until ended appear once.
        self.spans = self.layout.listed
        self.starts = self.layout.starts
        self.total: float | None = self.layout.total
        self.prepare = practice.prepare
        # The run's seed: random interval gaps are drawn from it, once, so they stay fixed.
        self.seed = random.SystemRandom().randrange(2**32) if seed is None else seed
        self.bell_plan = BellPlan(practice.bells, self.total, self.seed)
        self._breath: dict[tuple[int, int], BreathPlan] = {}
        self._scan: dict[tuple[int, int], ScanPlan] = {}
        for span in self.spans:
            seg = span.segment
            if seg.kind == "breath" and seg.pattern is not None:
                self._breath[span.key] = BreathPlan(seg)
            if seg.kind == "body_scan" and seg.regions:
                self._scan[span.key] = ScanPlan(seg)

    # -- structure ----------------------------------------------------------------------
    @property
    def end(self) -> float:
        """When the practice ends (inf when open)."""
        return math.inf if self.total is None else self.total

    def span_at(self, t: float) -> SegmentSpan:
        """The segment in force at t (the last one once the practice is over)."""
        return self.layout.at(t)

    def next_segment_start(self, t: float) -> float | None:
        """Where the segment after the one at t begins (None if it is the last)."""
        nxt = self.layout.after(self.span_at(t))
        return None if nxt is None else nxt.start

    def breath_plan(self, index: int) -> BreathPlan | None:
        """The breath cycles of a breath segment (by its span's index)."""
        return self._breath.get(self._key(index))

    def scan_plan(self, index: int) -> ScanPlan | None:
        """The region windows of a body-scan segment (by its span's index)."""
        return self._scan.get(self._key(index))

    def _key(self, index: int) -> tuple[int, int]:
        if index < len(self.spans):
            return self.spans[index].key
        first = self.layout.loop[0]
        return self.layout.loop[(index - first.index) % len(self.layout.loop)].key

    def drawn_intervals(self) -> list[float]:
        """This run's random interval bell times (empty when the interval is fixed)."""
        return self.bell_plan.drawn()

    # -- the state at a moment -------------------------------------------------------------
    def state_at(self, t: float) -> State:
        """What is true at t seconds into the practice."""
        t = max(0.0, t)
        finished = self.total is not None and t >= self.total
        if finished:
            assert self.total is not None
            t = self.total
        span = self.span_at(t if not finished else max(0.0, t - 1e-9))
        seg = span.segment
        u = t - span.start
        end = None if math.isinf(span.end) else span.end
        cue = ""
        for c in seg.cues:
            if c.at <= u:
                cue = c.text
            else:
                break
        breath = scan = phrase = None
        hold = None
        # Only a breath segment paces the breath: a settle segment says "let it be", so it
        # has no shape to follow (issue 14: no orb where the words say to stop steering).
        if seg.kind == "breath":
            breath = self._breath_state(span, u)
        elif seg.kind == "hold":
            hold, breath = self._hold_state(span, u)
        elif seg.kind == "body_scan":
            scan = self._scan_state(span, u)
        elif seg.kind == "phrases" and seg.phrases:
            phrase = self._phrase_state(seg, u)
        return State(
            t=t,
            total=self.total,
            finished=finished,
            segment_index=span.index,
            segment=seg,
            segment_start=span.start,
            segment_end=end,
            cue=cue,
            breath=breath,
            scan=scan,
            phrase=phrase,
            hold=hold,
            round=span.round,
            rounds=self._rounds_of(span),
        )

    def _rounds_of(self, span: SegmentSpan) -> int | None:
        """How many rounds the span's rounds have (None when open, 0 outside rounds)."""
        if span.round == 0:
            return 0
        return self.practice.segments[span.key[0]].times

    @staticmethod
    def _hold_state(span: SegmentSpan, u: float) -> tuple[HoldState, BreathState]:
        seg = span.segment
        length = span.length
        held = min(u, length)
        after_in = seg.after == "in"
        hold = HoldState(held=held, longest=length, until_key=seg.key_ended, after=seg.after)
        name = "hold" if after_in else "hold_out"
        pattern = Pattern(
            inhale=0.0,
            exhale=0.0,
            hold=length if after_in else 0.0,
            hold_out=0.0 if after_in else length,
        )
        breath = BreathState(
            phase=name,
            word=seg.label_for(name) or PHASE_WORDS[name],
            progress=0.0 if length <= 0 else held / length,
            remaining=max(0.0, length - held),
            length=length,
            cycle=1,
            pattern=pattern,
            size=1.0 if after_in else 0.0,
            paced=True,
        )
        return hold, breath

    def _breath_state(self, span: SegmentSpan, u: float) -> BreathState | None:
        plan = self._breath.get(span.key)
        if plan is None:
            return None
        phase = plan.phase_at(u)
        progress = 0.0 if phase.length <= 0 else min(1.0, (u - phase.start) / phase.length)
        paced = span.segment.kind == "breath"
        if paced:
            word = span.segment.label_for(phase.name, phase.cycle) or PHASE_WORDS[phase.name]
        else:
            word = "Breathe naturally"
        return BreathState(
            phase=phase.name if paced else "natural",
            word=word,
            progress=progress,
            remaining=max(0.0, phase.end - u),
            length=phase.length,
            cycle=phase.cycle,
            pattern=phase.pattern,
            size=breath_size(phase, progress),
            paced=paced,
        )

    def _scan_state(self, span: SegmentSpan, u: float) -> ScanState | None:
        plan = self._scan.get(span.key)
        if plan is None:
            return None
        window, passes = plan.window_at(u)
        progress = 0.0 if window.length <= 0 else min(1.0, (u - window.start) / window.length)
        here = anchor(window.region.name)
        if window.index + 1 < len(plan.regions):
            there = anchor(plan.regions[window.index + 1].name)
        else:
            there = here
        if window.region.name == "whole body" or there == anchor("whole body"):
            band = here
        else:
            band = here + (there - here) * progress
        prompts = span.segment.prompts
        prompt = window.region.prompt or (
            prompts[(window.index + passes * len(plan.regions)) % len(prompts)] if prompts else ""
        )
        order = tuple(r.name for r in plan.regions)
        return ScanState(
            region=window.region.name,
            index=window.index,
            count=len(plan.regions),
            progress=progress,
            band=band,
            order=order,
            visited=order[: window.index],
            prompt=prompt,
            direction=span.segment.direction,
        )

    @staticmethod
    def _phrase_state(seg: Segment, u: float) -> PhraseState:
        k = math.floor(u / seg.every)
        progress = (u - k * seg.every) / seg.every
        index = k % len(seg.phrases)
        return PhraseState(seg.phrases[index], index, progress, seg.recipient)

    # -- what happens when ----------------------------------------------------------------
    def events(self, t0: float, t1: float) -> list[Event]:
        """Every event with t0 <= t < t1, in time order (bells included)."""
        out: list[Event] = []
        t1 = min(t1, self.last_sound_time() + 1e-9)
        for span in self.layout.between(t0, t1):
            out.extend(self._segment_events(span, t0, t1))
        for sound in self.sounds(t0, t1):
            if sound.role in ("phase",):
                continue
            detail = f"{sound.strike} of {sound.of}" if sound.of > 1 else ""
            out.append(
                Event(
                    sound.t,
                    "bell",
                    f"{sound.sound} ({sound.role})",
                    self.span_at(sound.t).index,
                    detail,
                    sound.sound,
                    sound.role,
                )
            )
        if self.total is not None and t0 <= self.total < t1:
            last = len(self.spans) - 1
            out.append(Event(self.total, "end", "The practice is complete", last))
        order = {"segment": 0, "bell": 1, "region": 2, "phrase": 3, "phase": 4, "cue": 5, "end": 6}
        out.sort(key=lambda e: (e.t, order.get(e.kind, 9)))
        return out

    def _segment_events(self, span: SegmentSpan, t0: float, t1: float) -> list[Event]:
        seg, base, i = span.segment, span.start, span.index
        u0, u1 = t0 - base, min(t1, span.end) - base
        out: list[Event] = []
        if u0 <= 0 < u1 or (u0 <= 0 and u1 > 0):
            if seg.key_ended:
                length = f"up to {_mmss(span.length)}"
            else:
                length = "open" if math.isinf(span.length) else _mmss(span.length)
            if span.round:
                rounds = self._rounds_of(span)
                length += f", round {span.round}" + (f" of {rounds}" if rounds else "")
            out.append(Event(base, "segment", seg.heading, i, length))
        for cue in seg.cues:
            if u0 <= cue.at < u1:
                out.append(Event(base + cue.at, "cue", cue.text, i))
        if seg.kind == "breath":
            plan = self._breath.get(span.key)
            if plan is not None:
                for phase in plan.phases_between(max(0.0, u0), u1):
                    word = seg.label_for(phase.name, phase.cycle) or PHASE_WORDS[phase.name]
                    detail = f"{phase.length:g}s, breath {phase.cycle}"
                    sound = seg.sound_for(phase.name) or ""
                    role = "phase" if sound else ""
                    out.append(Event(base + phase.start, "phase", word, i, detail, sound, role))
        elif seg.kind == "body_scan":
            scan = self._scan.get(span.key)
            if scan is not None:
                end = math.inf if seg.duration is None else seg.duration
                for w in scan.windows_between(max(0.0, u0), u1, end):
                    prompt = w.region.prompt or (
                        seg.prompts[w.index % len(seg.prompts)] if seg.prompts else ""
                    )
                    out.append(Event(base + w.start, "region", w.region.name, i, prompt))
        elif seg.kind == "phrases" and seg.phrases:
            k = max(0, math.ceil(max(0.0, u0) / seg.every - 1e-9))
            while k * seg.every < u1:
                text = seg.phrases[k % len(seg.phrases)]
                out.append(Event(base + k * seg.every, "phrase", text, i, seg.recipient))
                k += 1
        return out

    def sounds(self, t0: float, t1: float) -> list[SoundEvent]:
        """Every sound due with t0 <= t < t1, in time order."""
        out = self.bell_plan.sounds(t0, t1)
        for span in self.layout.between(t0, t1):
            seg = span.segment
            if seg.chime and t0 <= span.start < t1:
                out.append(SoundEvent(span.start, seg.chime, "chime"))
            if seg.kind == "breath" and (seg.phase_sound or seg.phase_sounds):
                plan = self._breath.get(span.key)
                if plan is not None:
                    for phase in plan.phases_between(
                        max(0.0, t0 - span.start), min(t1, span.end) - span.start
                    ):
                        sound = seg.sound_for(phase.name)
                        if sound:
                            out.append(SoundEvent(span.start + phase.start, sound, "phase"))
        out.sort(key=lambda s: s.t)
        return out

    def next_change(self, t: float, horizon: float = 3600.0) -> float | None:
        """The first moment after t when an event or sound is due (None if none is left)."""
        step = 30.0
        t0 = t + 1e-6
        while t0 < t + horizon:
            t1 = t0 + step
            times = [e.t for e in self.events(t0, t1)] + [s.t for s in self.sounds(t0, t1)]
            if times:
                return min(times)
            if t0 > self.end + self.bell_plan.end_gap * 5:
                return None
            t0, step = t1, step * 2
        return None

    def start_strikes(self) -> list[float]:
        """When the opening strikes ring: those that fit inside the practice (see BellPlan)."""
        return self.bell_plan.start_strikes()

    # -- outline --------------------------------------------------------------------------
    def last_sound_time(self) -> float:
        """When the final closing strike rings (the end of the practice if it has none)."""
        return self.bell_plan.last_strike()


def breath_size(phase: Phase, progress: float) -> float:
    """How full the breath shape is: grows on in (and top-up), rests on holds, shrinks on out."""
    pattern = phase.pattern
    top = 0.85 if pattern.top_up > 0 else 1.0
    if phase.name == "in":
        return top * ease(progress)
    if phase.name == "top_up":
        return top + (1.0 - top) * ease(progress)
    if phase.name == "hold":
        return 1.0
    if phase.name == "out":
        return 1.0 - ease(progress)
    return 0.0


def _mmss(seconds: float) -> str:
    total = round(seconds)
    return f"{total // 60}m{total % 60:02d}s" if total >= 60 else f"{total}s"


def build_timeline(practice: Practice, seed: int | None = None) -> Timeline:
    """The whole schedule of a practice; `seed` fixes random interval gaps (None: a new draw)."""
    return Timeline(practice, seed)
