"""Checking what a breath segment counts and a hold waits for.

A breath segment's labels (one table, or a list used breath by breath in turn), its phase
sounds (one name, or a table by phase), `breaths` and whole-breath endings; a hold's
`after`, `until` and `max`. Every problem is recorded with its place, as in check.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from companion.practice.breaths import breaths_length, with_length
from companion.practice.check import Checker
from companion.practice.durations import format_duration, type_name
from companion.practice.model import PHASES, Segment

MAX_BREATHS = 10_000
MAX_HOLD_SECONDS = 15 * 60.0  # a held breath this long is a typo, not a practice
MAX_LABEL_TURNS = 50

Labels = tuple[tuple[str, str], ...]


class CountedChecker(Checker):
    """Readers for labels, phase sounds, counted breaths and holds."""

    def label_table(self, value: Mapping[str, Any], where: str) -> Labels:
        """One { in = "...", out = "..." } table of words by phase."""
        self.unknown(value, PHASES, where)
        out: list[tuple[str, str]] = []
        for phase in PHASES:
            if phase in value:
                text = self.text(value, phase, where, one_line=True, limit=80)
                if text.strip():
                    out.append((phase, text.strip()))
        return tuple(out)

    def labels(self, table: Mapping[str, Any], where: str) -> tuple[Labels, tuple[Labels, ...]]:
        """(labels, label turns): a table gives the first, a list of tables the second."""
        place = f"{where}.labels"
        value = table.get("labels")
        if value is None:
            return (), ()
        if isinstance(value, dict):
            return self.label_table(value, place), ()
        if not isinstance(value, list):
            self.add(
                place,
                'must be a table like { in = "...", out = "..." }, or a list of such tables '
                f"used breath by breath in turn (got {type_name(value)})",
            )
            return (), ()
        if not value:
            self.add(
                place,
                "is an empty list; give at least one table of words, like "
                '[{ in = "In through the left", out = "Out through the right" }]',
            )
            return (), ()
        if len(value) > MAX_LABEL_TURNS:
            self.add(place, f"has {len(value)} tables; the most is {MAX_LABEL_TURNS}")
            value = value[:MAX_LABEL_TURNS]
        turns: list[Labels] = []
        for i, item in enumerate(value, 1):
            here = f"{place}[{i}]"
            if not isinstance(item, dict):
                self.add(
                    here,
                    f'must be a table like {{ in = "...", out = "..." }} (got {type_name(item)})',
                )
                continue
            turns.append(self.label_table(item, here))
        return (), tuple(turns)

    def phase_sound(
        self, table: Mapping[str, Any], where: str
    ) -> tuple[str | None, tuple[tuple[str, str], ...]]:
        """(one sound for every phase, or a phase -> sound table)."""
        value = table.get("phase_sound")
        if not isinstance(value, dict):
            if value is not None and not isinstance(value, str):
                self.add(
                    f"{where}.phase_sound",
                    'must be a sound name in quotes, or a table like { in = "tick", out = "tock" } '
                    f"(got {type_name(value)})",
                )
                return None, ()
            return self.sound(table, "phase_sound", where, None), ()
        place = f"{where}.phase_sound"
        self.unknown(value, PHASES, place)
        out: list[tuple[str, str]] = []
        for phase in PHASES:
            if phase in value:
                sound = self.sound(value, phase, place, None)
                out.append((phase, sound or "none"))
        if not value:
            self.add(place, 'is an empty table; name a sound for a phase, like { in = "tick" }')
        return None, tuple(out)

    def breath_length(self, table: Mapping[str, Any], where: str, seg: Segment) -> Segment:
        """The segment's real length: N whole breaths, or its time rounded to whole breaths."""
        whole = True
        if "whole_breaths" in table:
            value = table["whole_breaths"]
            if not isinstance(value, bool):
                self.add(
                    f"{where}.whole_breaths", f"must be true or false (got {type_name(value)})"
                )
            else:
                whole = value
        seg = seg._replace(whole_breaths=whole)
        if "breaths" in table:
            if "whole_breaths" in table:
                self.add(
                    f"{where}.whole_breaths",
                    "only applies to a segment with a `duration`; `breaths` are always whole",
                )
            return self.counted(table, where, seg)
        if seg.pattern is None or seg.duration is None or math.isnan(seg.duration):
            return seg
        if not whole or seg.duration < 1:
            return seg
        return with_length(seg, seg.duration)

    def counted(self, table: Mapping[str, Any], where: str, seg: Segment) -> Segment:
        """A `breaths = N` segment: its length is exactly N breaths."""
        place = f"{where}.breaths"
        value = table["breaths"]
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(
                place,
                f"must be a whole number of breaths, like breaths = 10 (got {type_name(value)})",
            )
            return seg
        if not 1 <= value <= MAX_BREATHS:
            self.add(place, f"must be from 1 to {MAX_BREATHS} (got {value})")
            return seg
        if seg.pattern is None:
            return seg
        seconds = breaths_length(seg.pattern, seg.ramp, value)
        if seg.ramp is not None and seg.ramp.over > seconds:
            self.add(
                f"{where}.ramp.over",
                f"is {format_duration(seg.ramp.over)}, longer than the {value} breaths take "
                f"({format_duration(round(seconds, 1))})",
            )
            return seg
        return seg._replace(breaths=value, duration=seconds)

    def hold(self, table: Mapping[str, Any], where: str, seg: Segment) -> Segment:
        """A held breath: after which breath, and either a fixed time or until the key."""
        after = "out"
        if "after" in table:
            value = table["after"]
            if value not in ("in", "out"):
                shown = repr(value) if isinstance(value, str) else type_name(value)
                self.add(f"{where}.after", f'must be "in" or "out" (got {shown})')
            else:
                after = value
        seg = seg._replace(after=after)
        if "until" not in table:
            if "max" in table:
                self.add(
                    f"{where}.max",
                    'is only used with until = "key"; a fixed hold has a duration instead',
                )
            return self.hold_limit(table, where, seg, "duration")
        value = table["until"]
        if value != "key":
            shown = repr(value) if isinstance(value, str) else type_name(value)
            self.add(
                f"{where}.until",
                f'must be "key": the hold lasts until you press space (got {shown})',
            )
            return seg
        if "max" not in table:
            self.add(
                f"{where}.max",
                'is required with until = "key": the longest the hold may last, like max = "3m"',
            )
            return seg
        seconds = self.duration(table, "max", where)
        if seconds is None or math.isnan(seconds):
            return seg
        return self.hold_limit(table, where, seg._replace(until="key", duration=seconds), "max")

    def hold_limit(self, table: Mapping[str, Any], where: str, seg: Segment, key: str) -> Segment:
        """A hold's length within 1 second and 15 minutes."""
        seconds = seg.duration
        if seconds is None or math.isnan(seconds):
            return seg
        if seconds > MAX_HOLD_SECONDS:
            self.add(
                f"{where}.{key}", f"must be at most 15m for a held breath (got {table[key]!r})"
            )
            return seg._replace(duration=math.nan)
        if key == "max" and seconds < 1:
            self.add(f"{where}.max", f"must be at least 1 second (got {table[key]!r})")
            return seg._replace(duration=math.nan)
        return seg
