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
from companion.practice.sound_check import read_sound_table
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
TOP_KEYS = (
    "title",
    "summary",
    "description",
    "tags",
    "prepare",
    "bells",
    "noting",
    "segment",
    "sound",
)
BELL_KEYS = (
    "start",
    "start_strikes",
    "end",
    "end_strikes",
    "interval",
    "interval_sound",
    "strike_gap",
    "at",
    "at_sound",
    "interval_from",
)
MAX_PREPARE = 600.0
MAX_AT_BELLS = 200


def load_practice(
    path: Path,
    *,
    source: str = "file",
    sounds: Collection[str] | None = None,
    practice_id: str | None = None,
    display: str | None = None,
    soundscapes: Collection[str] | None = None,
    data: Mapping[str, Any] | None = None,
) -> Practice:
    """Load and check one practice file. The id is the file name's stem.

    `data`: the file's TOML as already parsed (the library's cache); checked all the same.
    """
    shown = display or str(path)
    if data is None:
        data = read_toml(path, shown)
    return parse_practice(
        data,
        path=shown,
        practice_id=practice_id or path.stem,
        source=source,
        sounds=sounds,
        file_path=path,
        soundscapes=soundscapes,
    )


def parse_practice(
    data: Mapping[str, Any],
    *,
    path: str,
    practice_id: str,
    source: str = "file",
    sounds: Collection[str] | None = None,
    file_path: Path | None = None,
    soundscapes: Collection[str] | None = None,
) -> Practice:
    """Turn parsed TOML into a Practice, or raise PracticeError listing every problem.

    `soundscapes` are the names `[sound] background` may take (None: any well-formed name).
    """
    checker = PracticeChecker(path, sounds)
    # The library's sound names carry the soundscapes' (companion.sound.files.SoundNames).
    checker.soundscapes = (
        soundscapes if soundscapes is not None else getattr(sounds, "soundscapes", None)
    )
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

    soundscapes: Collection[str] | None = None

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
        prepare = self.prepare(data)
        bells = self.bells(data)
        noting = self.noting(data)
        segments = self.segments(data)
        sound = read_sound_table(self, data, self.soundscapes)
        self.bells_inside(bells, segments)
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
            prepare=prepare,
            sound=sound,
        )

    def prepare(self, data: Mapping[str, Any]) -> float:
        """The quiet countdown before the start bell, 0 to 10 minutes."""
        if "prepare" not in data:
            return 0.0
        seconds = self.duration(data, "prepare", "")
        if seconds is None or math.isnan(seconds):
            return 0.0
        if seconds > MAX_PREPARE:
            self.add("prepare", f"must be at most 10m (got {data['prepare']!r})")
            return 0.0
        return seconds

    def bells(self, data: Mapping[str, Any]) -> Bells:
        """The [bells] table, defaults for what it leaves out."""
        table = self.table(data, "bells", "")
        if table is None:
            return Bells()
        self.unknown(table, BELL_KEYS, "bells")
        defaults = Bells()
        interval, interval_to = self.interval(table)
        strike_gap: float | None = None
        if "strike_gap" in table:
            gap = self.duration(table, "strike_gap", "bells")
            if gap is not None and not math.isnan(gap):
                if not 1 <= gap <= 30:
                    self.add(
                        "bells.strike_gap",
                        f"must be from 1 to 30 seconds (got {table['strike_gap']!r})",
                    )
                else:
                    strike_gap = gap
        interval_from = 0.0
        if "interval_from" in table:
            start = self.duration(table, "interval_from", "bells")
            if start is not None and not math.isnan(start):
                interval_from = start
            if interval is None and "interval" not in table:
                self.add(
                    "bells.interval_from",
                    'counts interval bells from a point, so it needs an interval, like interval = "5m"',
                )
        return Bells(
            start=self.sound(table, "start", "bells", defaults.start) or "none",
            start_strikes=self.strikes(table, "start_strikes", defaults.start_strikes),
            end=self.sound(table, "end", "bells", defaults.end) or "none",
            end_strikes=self.strikes(table, "end_strikes", defaults.end_strikes),
            interval=interval,
            interval_sound=self.sound(table, "interval_sound", "bells", defaults.interval_sound)
            or "none",
            interval_to=interval_to,
            interval_from=interval_from,
            strike_gap=strike_gap,
            at=self.at_times(table),
            at_sound=self.sound(table, "at_sound", "bells", defaults.at_sound) or "none",
        )

    def interval(self, table: Mapping[str, Any]) -> tuple[float | None, float | None]:
        """The interval in seconds, or a range "30s..90s" as (shortest, longest)."""
        value = table.get("interval")
        if value is None:
            return None, None
        if isinstance(value, str) and ".." in value:
            low_text, _, high_text = value.partition("..")
            low = self.duration({"interval": low_text}, "interval", "bells")
            high = self.duration({"interval": high_text}, "interval", "bells")
            if low is None or high is None or math.isnan(low) or math.isnan(high):
                return None, None
            if low < 10:
                self.add("bells.interval", f"each gap must be at least 10 seconds (got {value!r})")
                return None, None
            if high <= low:
                self.add(
                    "bells.interval",
                    f'a range goes from the shortest gap to the longest, like "30s..90s" (got {value!r})',
                )
                return None, None
            return low, high
        seconds = self.duration(table, "interval", "bells")
        if seconds is None or math.isnan(seconds):
            return None, None
        if seconds < 10:
            self.add("bells.interval", f"must be at least 10 seconds (got {value!r})")
            return None, None
        return seconds, None

    def at_times(self, table: Mapping[str, Any]) -> tuple[float, ...]:
        """The `at` bells: times from the start, in order."""
        if "at" not in table:
            return ()
        raw = table["at"]
        if not isinstance(raw, list):
            self.add(
                "bells.at", f'must be a list of times, like ["5m", "12m30s"] (got {type_name(raw)})'
            )
            return ()
        if len(raw) > MAX_AT_BELLS:
            self.add("bells.at", f"has {len(raw)} times; the most is {MAX_AT_BELLS}")
            raw = raw[:MAX_AT_BELLS]
        out: list[float] = []
        for i, item in enumerate(raw, 1):
            seconds = self.duration({f"at[{i}]": item}, f"at[{i}]", "bells")
            if seconds is not None and not math.isnan(seconds):
                out.append(seconds)
        return tuple(out)

    def bells_inside(self, bells: Bells, segments: list[Segment]) -> None:
        """Bells at chosen times, and where interval bells count from, fall inside the practice."""
        lengths = [s.duration for s in segments]
        if any(d is not None and math.isnan(d) for d in lengths) or None in lengths:
            return  # open, or a segment already has a problem: nothing sure to compare with
        total = sum(d for d in lengths if d is not None)
        for i, at in enumerate(bells.at, 1):
            if at >= total:
                self.add(
                    f"bells.at[{i}]",
                    f"is at {format_duration(at)}, after the practice ends "
                    f"({format_duration(round(total, 1))})",
                )
        if bells.interval is not None and bells.interval_from >= total:
            self.add(
                "bells.interval_from",
                f"is at {format_duration(bells.interval_from)}, after the practice ends "
                f"({format_duration(round(total, 1))})",
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
