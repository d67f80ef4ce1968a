"""Checking one [[segment]]: its kind, length and cues, then the fields of each kind.

A breath segment's pattern, ramp and labels; a body scan's direction and regions; kindness
phrases and their pace. Every problem is recorded with its place, as in check.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from companion.practice.check import MAX_LIST, Checker
from companion.practice.durations import format_duration, type_name
from companion.practice.model import (
    PATTERN_KEYS,
    PHASES,
    SEGMENT_KINDS,
    Cue,
    Pattern,
    Ramp,
    Region,
    Segment,
)
from companion.practice.regions import DEFAULT_REGIONS, KNOWN_REGIONS, default_weight
from companion.practice.suggest import suggest, unknown_key

MAX_TOTAL_SECONDS = 12 * 3600
PHASE_MIN, PHASE_MAX = 0.5, 60.0
MIN_SEGMENT_SECONDS = 1.0
REQUIRED_PHASES = ("in", "out")

COMMON_SEGMENT_KEYS = ("kind", "duration", "title", "cues", "chime")
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "settle": (),
    "breath": ("pattern", "ramp", "labels", "phase_sound"),
    "body_scan": ("direction", "regions", "prompts"),
    "phrases": ("recipient", "phrases", "every"),
    "noting": (),
    "silence": (),
}
REGION_KEYS = ("name", "weight", "prompt")  # a region written as a table
ALL_SEGMENT_KEYS = COMMON_SEGMENT_KEYS + tuple(k for keys in KIND_KEYS.values() for k in keys)


class SegmentChecker(Checker):
    """The readers of check.py, plus the rules of each segment kind."""

    def segment(self, table: Mapping[str, Any], where: str, *, last: bool) -> Segment | None:
        """One [[segment]]: kind, keys, length, title, cues and chime, then its kind's fields."""
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
        own = COMMON_SEGMENT_KEYS + KIND_KEYS[kind]
        for key in table:
            if key in own:
                continue
            if key in ALL_SEGMENT_KEYS:
                users = [k for k, keys in KIND_KEYS.items() if key in keys]
                self.add(
                    f"{where}.{key}",
                    f"is only used by {' and '.join(users)} segments (this one is {kind!r})",
                )
            else:
                self.add(f"{where}.{key}", unknown_key(str(key), own))

        duration: float | None = math.nan
        if "duration" not in table:
            self.add(
                f"{where}.duration", 'is required, like duration = "5m" (or "open" for the last)'
            )
        else:
            duration = self.duration(table, "duration", where, allow_open=True)
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
        return seg

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
        labels: list[tuple[str, str]] = []
        label_table = self.table(table, "labels", where)
        if label_table is not None:
            self.unknown(label_table, PHASES, f"{where}.labels")
            for phase in PHASES:
                if phase in label_table:
                    text = self.text(label_table, phase, f"{where}.labels", one_line=True, limit=80)
                    if text.strip():
                        labels.append((phase, text.strip()))
        phase_sound = self.sound(table, "phase_sound", where, None)
        return replace(
            seg, pattern=pattern, ramp=ramp, labels=tuple(labels), phase_sound=phase_sound
        )

    def body_scan(self, table: Mapping[str, Any], where: str, seg: Segment) -> Segment:
        """A body scan's direction, regions and prompts."""
        direction = "down"
        if "direction" in table:
            value = table["direction"]
            if value not in ("down", "up"):
                shown = repr(value) if isinstance(value, str) else type_name(value)
                self.add(f"{where}.direction", f'must be "down" or "up" (got {shown})')
            else:
                direction = value
        regions: list[Region] = []
        raw = table.get("regions")
        if raw is None:
            regions = [Region(name, default_weight(name)) for name in DEFAULT_REGIONS]
        elif not isinstance(raw, list):
            self.add(
                f"{where}.regions",
                f'must be a list of region names, like ["head", "feet"] (got {type_name(raw)})',
            )
        elif not raw:
            self.add(f"{where}.regions", "must name at least one region")
        else:
            if len(raw) > 60:
                self.add(f"{where}.regions", f"has {len(raw)} regions; the most is 60")
                raw = raw[:60]
            for i, item in enumerate(raw, 1):
                region = self.region(item, f"{where}.regions[{i}]")
                if region is not None:
                    regions.append(region)
        prompts = self.texts(table, "prompts", where)
        return replace(seg, direction=direction, regions=tuple(regions), prompts=tuple(prompts))

    def region(self, item: object, where: str) -> Region | None:
        """One body region, by name or as { name, weight, prompt }."""
        weight: float | None = None
        prompt = ""
        if isinstance(item, dict):
            self.unknown(item, REGION_KEYS, where)
            name = item.get("name")
            prompt = self.region_prompt(item, where)
            if "weight" in item:
                w = item["weight"]
                if isinstance(w, bool) or not isinstance(w, int | float) or not 0.1 <= w <= 10:
                    self.add(
                        f"{where}.weight", f"must be a number from 0.1 to 10 (got {type_name(w)})"
                    )
                    return None
                weight = float(w)
        else:
            name = item
        if not isinstance(name, str):
            self.add(where, f"must be a region name in quotes (got {type_name(name)})")
            return None
        key = name.strip().lower()
        if key not in KNOWN_REGIONS:
            self.add(
                where,
                f"unknown body region {name!r}{suggest(key, KNOWN_REGIONS)} "
                f"(regions: {', '.join(KNOWN_REGIONS)})",
            )
            return None
        return Region(key, weight if weight is not None else default_weight(key), prompt)

    # -- a region's own prompt (issue 14) ----------------------------------------------------
    def region_prompt(self, item: Mapping[str, Any], where: str) -> str:
        """A region's own prompt ("" when it has none): text, not blank, within the limit."""
        if "prompt" not in item:
            return ""
        prompt = self.text(item, "prompt", where)
        if isinstance(item["prompt"], str) and not prompt.strip():
            self.add(
                f"{where}.prompt",
                "must not be empty; leave prompt out to use the scan's prompts",
            )
        return prompt.strip()

    def phrases(self, table: Mapping[str, Any], where: str, seg: Segment) -> Segment:
        """Kindness phrases, who they are for and how often they change."""
        recipient = self.text(table, "recipient", where, one_line=True, limit=120)
        phrases = self.texts(table, "phrases", where)
        if "phrases" not in table:
            self.add(f"{where}.phrases", 'is required, like phrases = ["May I be at ease"]')
        elif not phrases and isinstance(table.get("phrases"), list) and not table["phrases"]:
            self.add(f"{where}.phrases", "must hold at least one phrase")
        every = 10.0
        if "every" in table:
            value = self.duration(table, "every", where)
            if value is not None and not math.isnan(value):
                if not 2 <= value <= 600:
                    self.add(
                        f"{where}.every", f"must be between 2s and 10m (got {table['every']!r})"
                    )
                else:
                    every = value
        return replace(seg, recipient=recipient.strip(), phrases=tuple(phrases), every=every)
