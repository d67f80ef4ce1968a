"""A practice as a timeline: every boundary, phase, region, phrase, cue and bell.

`build_timeline` is the one place a practice becomes a schedule. Everything else asks it
questions: `state_at(t)` for what is true at a moment, `events(t0, t1)` for what happens in a
window (the plain runner prints these), `sounds(t0, t1)` for what rings (the player plays
these). Positions are computed, never accumulated, so nothing drifts.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

from companion.engine.breath import BreathPlan, Phase
from companion.engine.easing import ease
from companion.engine.scan import ScanPlan
from companion.engine.state import BreathState, PhraseState, ScanState, State
from companion.practice.model import Practice, Segment
from companion.practice.regions import anchor

START_STRIKE_GAP = 4.0  # seconds between opening strikes: each rings out before the next
END_STRIKE_GAP = 3.0  # closing strikes come a little closer, like a gentle "that's all"
INTERVAL_CLEARANCE = 10.0  # an interval bell never rings this close to the end bell
STRIKE_CLEARANCE = 3.0  # a later opening strike never rings this close to the end bell

PHASE_WORDS = {
    "in": "Breathe in",
    "top_up": "Top up",
    "hold": "Hold",
    "out": "Breathe out",
    "hold_out": "Hold",
}


@dataclass(frozen=True)
class SegmentSpan:
    """A segment placed on the practice's timeline."""

    index: int
    segment: Segment
    start: float
    end: float  # math.inf for an open segment

    @property
    def length(self) -> float:
        """Seconds (inf when open)."""
        return self.end - self.start


@dataclass(frozen=True)
class Event:
    """Something that happens at a moment: kind is segment|phase|region|phrase|cue|bell|end."""

    t: float
    kind: str
    text: str
    segment: int
    detail: str = ""
    sound: str = ""  # a sound to ring with this event, if any
    role: str = ""  # the sound's role: start|end|interval|chime|phase


@dataclass(frozen=True)
class SoundEvent:
    """A sound due at t: role is start|end|interval|chime|phase."""

    t: float
    sound: str
    role: str
    strike: int = 1
    of: int = 1


class Timeline:
    """The schedule of one practice. Build with `build_timeline`."""

    def __init__(self, practice: Practice) -> None:
        self.practice = practice
        spans: list[SegmentSpan] = []
        t = 0.0
        for i, seg in enumerate(practice.segments):
            end = math.inf if seg.duration is None else t + seg.duration
            spans.append(SegmentSpan(i, seg, t, end))
            t = end
        self.spans = tuple(spans)
        self.starts = [s.start for s in spans]
        self.total: float | None = None if math.isinf(t) else t
        self._breath: dict[int, BreathPlan] = {}
        self._scan: dict[int, ScanPlan] = {}
        for span in spans:
            if span.segment.kind == "breath" and span.segment.pattern is not None:
                self._breath[span.index] = BreathPlan(span.segment)
            if span.segment.kind == "body_scan" and span.segment.regions:
                self._scan[span.index] = ScanPlan(span.segment)

    # -- structure ----------------------------------------------------------------------
    @property
    def end(self) -> float:
        """When the practice ends (inf when open)."""
        return math.inf if self.total is None else self.total

    def span_at(self, t: float) -> SegmentSpan:
        """The segment in force at t (the last one once the practice is over)."""
        i = max(0, bisect.bisect_right(self.starts, t) - 1)
        return self.spans[i]

    def next_segment_start(self, t: float) -> float | None:
        """Where the segment after the one at t begins (None if it is the last)."""
        span = self.span_at(t)
        if span.index + 1 < len(self.spans):
            return self.spans[span.index + 1].start
        return None

    def breath_plan(self, index: int) -> BreathPlan | None:
        """The breath cycles of a breath segment."""
        return self._breath.get(index)

    def scan_plan(self, index: int) -> ScanPlan | None:
        """The region windows of a body-scan segment."""
        return self._scan.get(index)

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
        # Only a breath segment paces the breath: a settle segment says "let it be", so it
        # has no shape to follow (issue 14: no orb where the words say to stop steering).
        if seg.kind == "breath":
            breath = self._breath_state(span, u)
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
        )

    def _breath_state(self, span: SegmentSpan, u: float) -> BreathState | None:
        plan = self._breath.get(span.index)
        if plan is None:
            return None
        phase = plan.phase_at(u)
        progress = 0.0 if phase.length <= 0 else min(1.0, (u - phase.start) / phase.length)
        paced = span.segment.kind == "breath"
        if paced:
            word = span.segment.label_for(phase.name) or PHASE_WORDS[phase.name]
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
        plan = self._scan.get(span.index)
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
        for span in self.spans:
            if span.end <= t0 or span.start >= t1:
                continue
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
            out.append(Event(self.total, "end", "The practice is complete", len(self.spans) - 1))
        order = {"segment": 0, "bell": 1, "region": 2, "phrase": 3, "phase": 4, "cue": 5, "end": 6}
        out.sort(key=lambda e: (e.t, order.get(e.kind, 9)))
        return out

    def _segment_events(self, span: SegmentSpan, t0: float, t1: float) -> list[Event]:
        seg, base, i = span.segment, span.start, span.index
        u0, u1 = t0 - base, min(t1, span.end) - base
        out: list[Event] = []
        if u0 <= 0 < u1 or (u0 <= 0 and u1 > 0):
            length = "open" if seg.duration is None else _mmss(seg.duration)
            out.append(Event(base, "segment", seg.heading, i, length))
        for cue in seg.cues:
            if u0 <= cue.at < u1:
                out.append(Event(base + cue.at, "cue", cue.text, i))
        if seg.kind == "breath":
            plan = self._breath.get(i)
            if plan is not None:
                for phase in plan.phases_between(max(0.0, u0), u1):
                    word = seg.label_for(phase.name) or PHASE_WORDS[phase.name]
                    detail = f"{phase.length:g}s, breath {phase.cycle}"
                    sound = seg.phase_sound or ""
                    role = "phase" if sound else ""
                    out.append(Event(base + phase.start, "phase", word, i, detail, sound, role))
        elif seg.kind == "body_scan":
            scan = self._scan.get(i)
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
        bells = self.practice.bells
        out: list[SoundEvent] = []
        if bells.start != "none":
            kept = self.start_strikes()
            for k, at in enumerate(kept):
                if t0 <= at < t1:
                    out.append(SoundEvent(at, bells.start, "start", k + 1, len(kept)))
        if self.total is not None and bells.end != "none":
            for k in range(bells.end_strikes):
                at = self.total + k * END_STRIKE_GAP
                if t0 <= at < t1:
                    out.append(SoundEvent(at, bells.end, "end", k + 1, bells.end_strikes))
        if bells.interval and bells.interval_sound != "none":
            first = max(1, math.ceil(t0 / bells.interval - 1e-9))
            opening = self.start_strikes()[-1] if bells.start != "none" else 0.0
            k = first
            while k * bells.interval < t1:
                at = k * bells.interval
                if self.total is not None and at > self.total - INTERVAL_CLEARANCE:
                    break
                if at > opening and at >= t0:
                    out.append(SoundEvent(at, bells.interval_sound, "interval"))
                k += 1
        for span in self.spans:
            seg = span.segment
            if span.start >= t1 or span.end <= t0:
                continue
            if seg.chime and t0 <= span.start < t1:
                out.append(SoundEvent(span.start, seg.chime, "chime"))
            if seg.kind == "breath" and seg.phase_sound:
                plan = self._breath.get(span.index)
                if plan is not None:
                    for phase in plan.phases_between(
                        max(0.0, t0 - span.start), min(t1, span.end) - span.start
                    ):
                        out.append(SoundEvent(span.start + phase.start, seg.phase_sound, "phase"))
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
            if t0 > self.end + END_STRIKE_GAP * 5:
                return None
            t0, step = t1, step * 2
        return None

    def start_strikes(self) -> list[float]:
        """When the opening strikes ring: those that fit inside the practice.

        A bell belongs to its practice: a strike that would fall after the end, or within
        STRIKE_CLEARANCE of the end bell, is dropped (the first strike always rings: it is
        the start). Chimes, the plain runner, show and validate all read this.
        """
        bells = self.practice.bells
        times = [k * START_STRIKE_GAP for k in range(max(1, bells.start_strikes))]
        if self.total is None:
            return times
        limit = self.total - (STRIKE_CLEARANCE if bells.end != "none" else 0.0)
        return [times[0]] + [at for at in times[1:] if at < limit]

    # -- outline --------------------------------------------------------------------------
    def last_sound_time(self) -> float:
        """When the final closing strike rings (the end of the practice if it has none)."""
        if self.total is None:
            return math.inf
        bells = self.practice.bells
        if bells.end == "none":
            return self.total
        return self.total + (bells.end_strikes - 1) * END_STRIKE_GAP


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


def build_timeline(practice: Practice) -> Timeline:
    """The whole schedule of a practice."""
    return Timeline(practice)
