"""Read a practice file and check every rule, reporting every problem with its place.

The loader's contract: `parse_practice` returns a Practice or raises PracticeError, whatever
data it is given; `load_practice` adds the same promise for whatever bytes are on disk.
Reading the TOML is syntax.py, the readers check.py, each segment segment_check.py; this
file checks the practice as a whole: its title, bells, noting keys and list of segments.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from companion.practice.durations import format_duration, type_name
from companion.practice.errors import PracticeError, Problem
from companion.practice.model import PATTERN_KEYS, Bells, Practice, Segment, open_scan_cycle
from companion.practice.noting import DEFAULT_NOTING, MAX_LABEL, RESERVED_KEYS
from companion.practice.segment_check import (
    ALL_SEGMENT_KEYS,
    COMMON_SEGMENT_KEYS,
    KIND_KEYS,
    MAX_TOTAL_SECONDS,
    SegmentChecker,
)
from companion.practice.suggest import suggest, unknown_key
from companion.practice.syntax import MAX_FILE_BYTES, NESTED_TOO_DEEP, parse_toml_bytes, read_toml

# Names other modules (and people's scripts) import from here.
__all__ = [
    "ALL_SEGMENT_KEYS",
    "BELL_KEYS",
    "COMMON_SEGMENT_KEYS",
    "KIND_KEYS",
    "MAX_FILE_BYTES",
    "MAX_SEGMENTS",
    "MAX_TOTAL_SECONDS",
    "PATTERN_KEYS",
    "TOP_KEYS",
    "load_practice",
    "open_scan_cycle",
    "parse_practice",
    "parse_toml_bytes",
    "read_toml",
    "suggest",
    "unknown_key",
]

MAX_SEGMENTS = 200
TOP_KEYS = ("title", "summary", "description", "tags", "bells", "noting", "segment")
BELL_KEYS = ("start", "start_strikes", "end", "end_strikes", "interval", "interval_sound")


def load_practice(
    path: Path,
    *,
    source: str = "file",
    sounds: Collection[str] | None = None,
    practice_id: str | None = None,
    display: str | None = None,
) -> Practice:
    """Load and check one practice file. The id is the file name's stem."""
    shown = display or str(path)
    data = read_toml(path, shown)
    return parse_practice(
        data,
        path=shown,
        practice_id=practice_id or path.stem,
        source=source,
        sounds=sounds,
        file_path=path,
    )


def parse_practice(
    data: Mapping[str, Any],
    *,
    path: str,
    practice_id: str,
    source: str = "file",
    sounds: Collection[str] | None = None,
    file_path: Path | None = None,
) -> Practice:
    """Turn parsed TOML into a Practice, or raise PracticeError listing every problem."""
    checker = PracticeChecker(path, sounds)
    try:
        practice = checker.practice(data, practice_id, source, file_path)
    except RecursionError:
        checker.add("", NESTED_TOO_DEEP)
        practice = None
    if checker.problems or practice is None:
        raise PracticeError(checker.problems or [Problem(path, "is not a practice")])
    return practice



class PracticeChecker(SegmentChecker):
    """The whole practice: top-level keys, bells, noting keys and the list of segments."""

    # -- the practice ---------------------------------------------------------------------
    def practice(
        self, data: Mapping[str, Any], practice_id: str, source: str, file_path: Path | None
    ) -> Practice | None:
        """The whole file: top-level keys, title, texts, tags, bells, noting and segments."""
        if not isinstance(data, Mapping):
            self.add("", "is not a TOML table")
            return None
        if not data:
            self.add(
                "",
                'holds no settings; a practice needs a line such as title = "..." '
                "and at least one [[segment]]",
            )
            return None
        self.unknown(data, TOP_KEYS, "")
        title = self.text(data, "title", "", required=True, one_line=True, limit=120)
        summary = self.text(data, "summary", "", one_line=True, limit=300)
        description = self.text(data, "description", "")
        tags = self.texts(data, "tags", "", limit=20)
        bells = self.bells(data)
        noting = self.noting(data)
        segments = self.segments(data)
        if self.problems:
            return None
        return Practice(
            id=practice_id,
            title=title.strip(),
            summary=summary.strip(),
            description=description.strip(),
            tags=tuple(tags),
            bells=bells,
            noting=noting,
            segments=tuple(segments),
            path=file_path,
            source=source,
        )

    def bells(self, data: Mapping[str, Any]) -> Bells:
        """The [bells] table, defaults for what it leaves out."""
        table = self.table(data, "bells", "")
        if table is None:
            return Bells()
        self.unknown(table, BELL_KEYS, "bells")
        defaults = Bells()
        interval: float | None = None
        if "interval" in table:
            interval = self.duration(table, "interval", "bells")
            if interval is not None and not math.isnan(interval) and interval < 10:
                self.add(
                    "bells.interval", f"must be at least 10 seconds (got {table['interval']!r})"
                )
        return Bells(
            start=self.sound(table, "start", "bells", defaults.start) or "none",
            start_strikes=self.strikes(table, "start_strikes", defaults.start_strikes),
            end=self.sound(table, "end", "bells", defaults.end) or "none",
            end_strikes=self.strikes(table, "end_strikes", defaults.end_strikes),
            interval=None if interval is None or math.isnan(interval) else interval,
            interval_sound=self.sound(table, "interval_sound", "bells", defaults.interval_sound)
            or "none",
        )

    def strikes(self, table: Mapping[str, Any], key: str, default: int) -> int:
        """A number of strikes from 1 to 5."""
        if key not in table:
            return default
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            self.add(f"bells.{key}", f"must be a whole number from 1 to 5 (got {type_name(value)})")
            return default
        return value

    def noting(self, data: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        """The noting keys, or the default ones when the file gives none."""
        table = self.table(data, "noting", "")
        if table is None:
            return tuple(DEFAULT_NOTING.items())
        self.unknown(table, ("keys",), "noting")
        keys = self.table(table, "keys", "noting")
        if keys is None:
            if "keys" not in table:
                self.add("noting.keys", 'is required in [noting]; e.g. keys = { t = "thinking" }')
            return tuple(DEFAULT_NOTING.items())
        out: list[tuple[str, str]] = []
        if not keys:
            self.add("noting.keys", "must name at least one key")
        for key, label in keys.items():
            place = f"noting.keys.{key}"
            if len(key) != 1 or not key.isprintable() or key.isspace():
                self.add(place, "a noting key must be a single printable character")
                continue
            if key in RESERVED_KEYS:
                self.add(place, f"{key!r} controls the session; choose another key")
                continue
            if not isinstance(label, str) or not label.strip():
                self.add(
                    place, f'must be a label in quotes, like "thinking" (got {type_name(label)})'
                )
                continue
            if len(label) > MAX_LABEL:
                self.add(place, f"labels may be at most {MAX_LABEL} characters (got {len(label)})")
                continue
            out.append((key, label.strip()))
        return tuple(out)

    def segments(self, data: Mapping[str, Any]) -> list[Segment]:
        """Every [[segment]], and their total within the 12-hour limit."""
        raw = data.get("segment")
        if raw is None:
            self.add("segment", "a practice needs at least one [[segment]]")
            return []
        if not isinstance(raw, list):
            self.add(
                "segment",
                f"must be a list of [[segment]] tables (got {type_name(raw)}); "
                "start each segment with a [[segment]] line",
            )
            return []
        if not all(isinstance(s, dict) for s in raw):
            self.add(
                "segment",
                "must be a list of [[segment]] tables (some items are not tables); "
                "start each segment with a [[segment]] line",
            )
            return []
        if not raw:
            self.add("segment", "a practice needs at least one [[segment]]")
            return []
        if len(raw) > MAX_SEGMENTS:
            self.add("segment", f"has {len(raw)} segments; the most is {MAX_SEGMENTS}")
            raw = raw[:MAX_SEGMENTS]
        out: list[Segment] = []
        for i, table in enumerate(raw, 1):
            seg = self.segment(table, f"segment[{i}]", last=i == len(raw))
            if seg is not None:
                out.append(seg)
        total = sum(s.duration for s in out if s.duration is not None)
        # A single segment over the limit has its own message; the sum would only repeat it.
        single_over = any(s.duration is not None and s.duration > MAX_TOTAL_SECONDS for s in out)
        if total > MAX_TOTAL_SECONDS and not single_over:
            self.add(
                "segment",
                f"the segments add up to {format_duration(total)}; a practice may be at most 12h",
            )
        return out
