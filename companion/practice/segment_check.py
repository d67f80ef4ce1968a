"""Checking one [[segment]]: its kind, length and cues, then the fields of each kind.

A breath segment's pattern, ramp and labels; a body scan's direction and regions; kindness
phrases and their pace. Every problem is recorded with its place, as in check.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from companion.practice.check import MAX_LIST
from companion.practice.durations import format_duration, type_name
from companion.practice.model import (
    PATTERN_KEYS,
    SEGMENT_KINDS,
    Cue,
    Pattern,
    Ramp,
    Segment,
)
from companion.practice.scan_check import ScanChecker
from companion.practice.suggest import suggest, unknown_key

MAX_TOTAL_SECONDS = 12 * 3600
PHASE_MIN, PHASE_MAX = 0.25, 60.0
MIN_SEGMENT_SECONDS = 1.0
REQUIRED_PHASES = ("in", "out")
MAX_ROUNDS = 1000
MAX_PARTS = 20
# Keys every segment has that rounds leave to their parts.
ROUNDS_UNUSED = {
    "duration": "is not used by rounds: their length comes from the parts and `times`; remove it",
    "title": "is not used by rounds; give each part its title",
    "cues": "is not used by rounds; put the cues in the parts",
    "chime": "is not used by rounds; give the first part a chime to mark each round",
}

COMMON_SEGMENT_KEYS = ("kind", "duration", "title", "cues", "chime")
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "settle": (),
    "breath": ("pattern", "ramp", "labels", "phase_sound", "breaths", "whole_breaths"),
    "body_scan": ("direction", "regions", "prompts"),
    "phrases": ("recipient", "phrases", "every"),
    "noting": (),
    "silence": (),
    "hold": ("after", "until", "max"),
    "rounds": ("times", "part"),
}
ALL_SEGMENT_KEYS = COMMON_SEGMENT_KEYS + tuple(k for keys in KIND_KEYS.values() for k in keys)


class SegmentChecker(ScanChecker):
    """The readers of check.py, plus the rules of each segment kind."""

    def segment(
        self, table: Mapping[str, Any], where: str, *, last: bool, in_rounds: bool = False
    ) -> Segment | None:
        """One [[segment]]: kind, keys, length, title, cues and chime, then its kind's fields."""
        kind = self.kind(table, where, in_rounds)
        if kind is None:
            return None
        own = COMMON_SEGMENT_KEYS + KIND_KEYS[kind]
        for key in table:
            if key in own:
                if kind == "rounds" and key in ROUNDS_UNUSED:
                    self.add(f"{where}.{key}", ROUNDS_UNUSED[key])
                continue
            if key in ALL_SEGMENT_KEYS:
                users = [k for k, keys in KIND_KEYS.items() if key in keys]
                self.add(
                    f"{where}.{key}",
                    f"is only used by {' and '.join(users)} segments (this one is {kind!r})",
                )
            else:
                self.add(f"{where}.{key}", unknown_key(str(key), own))

        duration = self.length(table, where, kind, last=last and not in_rounds)
        finite = duration if duration is not None and not math.isnan(duration) else None

        title = self.text(table, "title", where, one_line=True, limit=120)
        cues = self.cues(table, where, finite)
        chime = self.sound(table, "chime", where, None)
        seg = Segment(
            kind=kind,
            duration=duration,
            title=title.strip(),
            cues=tuple(cues),
            chime=chime,
        )
        if kind == "breath":
            seg = self.breath(table, where, seg, finite)
        elif kind == "body_scan":
            seg = self.body_scan(table, where, seg)
        elif kind == "phrases":
            seg = self.phrases(table, where, seg)
        elif kind == "hold":
            seg = self.hold(table, where, seg)
        elif kind == "rounds":
            seg = self.rounds(table, where, seg, last=last and not in_rounds)
        return seg

    def kind(self, table: Mapping[str, Any], where: str, in_rounds: bool) -> str | None:
        """The segment's kind, or None after recording why it is missing or wrong."""
        kind = table.get("kind")
        if kind is None:
            self.add(f"{where}.kind", "is required; one of " + ", ".join(SEGMENT_KINDS))
            return None
        if not isinstance(kind, str):
            self.add(
                f"{where}.kind",
                f'must be a kind in quotes, like kind = "breath" (got {type_name(kind)}); '
                f"kinds: {', '.join(SEGMENT_KINDS)}",
            )
            return None
        if kind not in SEGMENT_KINDS:
            hint = suggest(kind, SEGMENT_KINDS)
            self.add(
                f"{where}.kind",
                f"unknown kind {kind!r}{hint} (kinds: {', '.join(SEGMENT_KINDS)})",
            )
            return None
        if kind == "rounds" and in_rounds:
            self.add(
                f"{where}.kind", "rounds cannot be nested inside rounds; list the parts instead"
            )
            return None
        return kind

    def length(
        self, table: Mapping[str, Any], where: str, kind: str, *, last: bool
    ) -> float | None:
        """The written `duration` in seconds (None for open, NaN when missing or wrong).

        Counted breaths, key-ended holds and rounds have no `duration` of their own: their
        readers work out the length.
        """
        if kind == "rounds":
            return math.nan
        if "duration" not in table:
            if kind == "breath" and "breaths" in table:
                return math.nan
            if kind == "hold":
                if "until" not in table:
                    self.add(
                        f"{where}.duration",
                        'is required, like duration = "15s", or until = "key" with max = "3m" '
                        "for a hold that lasts until you press space",
                    )
                return math.nan
            self.add(
                f"{where}.duration", 'is required, like duration = "5m" (or "open" for the last)'
            )
            return math.nan
        if kind == "breath" and "breaths" in table:
            self.add(
                f"{where}.breaths",
                "give either `breaths` or `duration`, not both: `breaths` counts whole breaths, "
                "`duration` is a time",
            )
            return math.nan
        if kind == "hold" and "until" in table:
            self.add(
                f"{where}.duration",
                'give either `duration` (a fixed hold) or until = "key" with `max`, not both',
            )
            return math.nan
        duration = self.duration(table, "duration", where, allow_open=True)
        if duration is None and kind == "hold":
            self.add(
                f"{where}.duration",
                "a hold cannot be open; for a hold that lasts until you press space, write "
                'until = "key" with max = "3m" instead of duration',
            )
            return math.nan
        if duration is None and not last:
            self.add(f"{where}.duration", '"open" is only allowed for the last segment')
        elif duration is not None and not math.isnan(duration):
            if duration < MIN_SEGMENT_SECONDS:
                self.add(
                    f"{where}.duration",
                    f"must be at least 1 second (got {table['duration']!r})",
                )
            elif duration > MAX_TOTAL_SECONDS:
                # Absurd lengths (1e30) are shown as written, not as a 30-digit hour count.
                shown = (
                    format_duration(duration)
                    if duration < 1000 * 3600
                    else f"{table['duration']!r}"
                )
                self.add(f"{where}.duration", f"must be at most 12h (got {shown})")
        return duration

    def cues(self, table: Mapping[str, Any], where: str, duration: float | None) -> list[Cue]:
        """A segment's cues in time order, each inside the segment."""
        raw = table.get("cues", [])
        place = f"{where}.cues"
        if not isinstance(raw, list):
            self.add(
                place, f'must be a list like [{{ at = "0s", text = "..." }}] (got {type_name(raw)})'
            )
            return []
        if len(raw) > MAX_LIST:
            self.add(place, f"has {len(raw)} cues; the most is {MAX_LIST}")
            raw = raw[:MAX_LIST]
        out: list[Cue] = []
        for i, item in enumerate(raw, 1):
            here = f"{place}[{i}]"
            if not isinstance(item, dict):
                self.add(
                    here,
                    f'must be a table like {{ at = "30s", text = "..." }} (got {type_name(item)})',
                )
                continue
            self.unknown(item, ("at", "text"), here)
            at: float | None = 0.0
            if "at" in item:
                at = self.duration(item, "at", here)
            text = self.text(
                item, "text", here, required=True, example='it, like { at = "30s", text = "..." }'
            )
            if at is None or math.isnan(at) or not text:
                continue
            if duration is not None and at >= duration:
                self.add(
                    f"{here}.at",
                    f"is at {format_duration(at)}, after the segment ends ({format_duration(duration)})",
                )
                continue
            out.append(Cue(at=at, text=text.strip()))
        out.sort(key=lambda c: c.at)
        return out

    def phase_seconds(
        self, table: Mapping[str, Any], key: str, where: str, *, required: bool
    ) -> float:
        """Seconds for one breath phase, within the allowed range."""
        place = f"{where}.{key}"
        if key not in table:
            if required:
                self.add(
                    place, f"is required (seconds for the {'in' if key == 'in' else 'out'}-breath)"
                )
            return 0.0
        value = table[key]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.add(place, f"must be a number of seconds (got {type_name(value)})")
            return 0.0
        if required and value <= 0:
            self.add(place, f"must be a positive number of seconds (got {value:g})")
            return 0.0
        if value < 0:
            self.add(place, f"must be 0 or a positive number of seconds (got {value:g})")
            return 0.0
        if value == 0:
            return 0.0
        if not PHASE_MIN <= value <= PHASE_MAX:
            zero = "" if required else "0 or "
            self.add(
                place,
                f"must be {zero}between {PHASE_MIN:g} and {PHASE_MAX:g} seconds (got {value:g})",
            )
            return 0.0
        return float(value)

    def pattern(self, value: object, where: str) -> Pattern | None:
        """A breath pattern table, or None after recording its problems."""
        if not isinstance(value, dict):
            self.add(
                where,
                f"must be a table like {{ in = 4, hold = 4, out = 4, hold_out = 4 }} (got {type_name(value)})",
            )
            return None
        before = len(self.problems)
        self.unknown(value, PATTERN_KEYS, where)
        # The phases every breath needs are checked first, so their problems come first.
        order = sorted(PATTERN_KEYS, key=lambda key: key not in REQUIRED_PHASES)
        seconds = {
            key: self.phase_seconds(value, key, where, required=key in REQUIRED_PHASES)
            for key in order
        }
        if len(self.problems) > before:
            return None
        return Pattern.from_keys(seconds)

    def breath(
        self, table: Mapping[str, Any], where: str, seg: Segment, duration: float | None
    ) -> Segment:
        """A breath segment's pattern, ramp, labels and phase sound."""
        if "pattern" not in table:
            self.add(
                f"{where}.pattern",
                "is required for a breath segment, like pattern = { in = 4, out = 6 }",
            )
            return seg
        pattern = self.pattern(table["pattern"], f"{where}.pattern")
        ramp: Ramp | None = None
        ramp_table = self.table(table, "ramp", where)
        if ramp_table is not None:
            here = f"{where}.ramp"
            self.unknown(ramp_table, ("to", "over"), here)
            to = None
            if "to" not in ramp_table:
                self.add(
                    f"{here}.to", "is required: the pattern to arrive at, like { in = 5, out = 5 }"
                )
            else:
                to = self.pattern(ramp_table["to"], f"{here}.to")
            over: float | None = math.nan
            if "over" not in ramp_table:
                self.add(f"{here}.over", 'is required: how long the change takes, like "3m"')
            else:
                over = self.duration(ramp_table, "over", here)
                if over is not None and not math.isnan(over):
                    if over <= 0:
                        self.add(f"{here}.over", "must be longer than 0 seconds")
                    elif duration is not None and over > duration:
                        self.add(
                            f"{here}.over",
                            f"is {format_duration(over)}, longer than the segment ({format_duration(duration)})",
                        )
            if to is not None and over is not None and not math.isnan(over) and over > 0:
                ramp = Ramp(to=to, over=over)
        labels, turns = self.labels(table, where)
        sound, sounds = self.phase_sound(table, where)
        seg = seg._replace(
            pattern=pattern,
            ramp=ramp,
            labels=labels,
            label_turns=turns,
            phase_sound=sound,
            phase_sounds=sounds,
        )
        return self.breath_length(table, where, seg)

    def rounds(self, table: Mapping[str, Any], where: str, seg: Segment, *, last: bool) -> Segment:
        """Rounds: the [[segment.part]] tables, repeated `times` times or until ended."""
        times: int | None = 1
        if "times" not in table:
            self.add(
                f"{where}.times", 'is required, like times = 3 (or "open" for the last segment)'
            )
        else:
            value = table["times"]
            if value == "open":
                times = None
                if not last:
                    self.add(f"{where}.times", '"open" is only allowed for the last segment')
            elif isinstance(value, bool) or not isinstance(value, int):
                self.add(
                    f"{where}.times",
                    f'must be a whole number of rounds, like times = 3, or "open" (got {type_name(value)})',
                )
            elif not 1 <= value <= MAX_ROUNDS:
                self.add(f"{where}.times", f"must be from 1 to {MAX_ROUNDS} (got {value})")
            else:
                times = value
        raw = table.get("part")
        place = f"{where}.part"
        if raw is None:
            self.add(place, "rounds need at least one part; add [[segment.part]] tables below")
            return seg._replace(times=times, duration=math.nan)
        if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
            self.add(
                place,
                "must be a list of [[segment.part]] tables; start each part with a "
                "[[segment.part]] line",
            )
            return seg._replace(times=times, duration=math.nan)
        if not raw:
            self.add(place, "rounds need at least one part; add [[segment.part]] tables below")
            return seg._replace(times=times, duration=math.nan)
        if len(raw) > MAX_PARTS:
            self.add(place, f"has {len(raw)} parts; the most is {MAX_PARTS}")
            raw = raw[:MAX_PARTS]
        parts: list[Segment] = []
        for i, item in enumerate(raw, 1):
            part = self.segment(item, f"{place}[{i}]", last=False, in_rounds=True)
            if part is not None:
                parts.append(part)
        lengths = [p.duration for p in parts]
        if len(parts) < len(raw) or any(d is None or math.isnan(d) for d in lengths):
            return seg._replace(times=times, parts=tuple(parts), duration=math.nan)
        one = sum(d for d in lengths if d is not None)
        duration = None if times is None else one * times
        if duration is not None and duration > MAX_TOTAL_SECONDS:
            self.add(
                f"{where}.times",
                f"{times} rounds of {format_duration(round(one))} come to "
                f"{format_duration(round(duration))}; a practice may be at most 12h",
            )
        return seg._replace(times=times, parts=tuple(parts), duration=duration)
