"""A practice as plain, frozen data. Built by the loader, read by the engine and the UI.

Each record is a NamedTuple: immutable, compared by value, changed by making a new one with
`._replace(field=value)`. (They were frozen dataclasses, which Python 3.11 builds by compiling
each generated method from source at import: the eight of them took about 6 ms before the
first frame of `companion run`, against under 1 ms as NamedTuples; issue 18.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

SEGMENT_KINDS: tuple[str, ...] = (
    "settle",
    "breath",
    "body_scan",
    "phrases",
    "noting",
    "silence",
    "hold",
    "rounds",
)
# The breath phases in the order they happen. Each name is also its key in a file's
# `pattern = { ... }` and `labels = { ... }` tables.
PHASES: tuple[str, ...] = ("in", "top_up", "hold", "out", "hold_out")
# The same keys in the order they are listed to people (4-4-4-4 order, the rare top-up last).
PATTERN_KEYS: tuple[str, ...] = ("in", "hold", "out", "hold_out", "top_up")
# The one mapping between a pattern's keys in a file and the fields of Pattern.
PATTERN_FIELDS: dict[str, str] = {
    "in": "inhale",
    "hold": "hold",
    "out": "exhale",
    "hold_out": "hold_out",
    "top_up": "top_up",
}
OPEN_SCAN_SECONDS_PER_WEIGHT = 30.0

# Practice ids and sound names become file names: letters, digits, - and _, at most 64.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def is_name(text: str) -> bool:
    """True when text can be a practice id or a sound name."""
    return NAME.fullmatch(text) is not None


class Pattern(NamedTuple):
    """One breath cycle in seconds: in, an optional top-up, hold, out, hold after out."""

    inhale: float
    exhale: float
    hold: float = 0.0
    hold_out: float = 0.0
    top_up: float = 0.0

    @property
    def cycle(self) -> float:
        """Length of one full breath."""
        return self.inhale + self.top_up + self.hold + self.exhale + self.hold_out

    @property
    def per_minute(self) -> float:
        """Breaths a minute at this pattern."""
        return 60.0 / self.cycle

    @classmethod
    def from_keys(cls, seconds: Mapping[str, float]) -> Pattern:
        """A pattern from a file's keys ("in", "out", ...) -> seconds; missing phases are 0."""
        return cls(**{PATTERN_FIELDS[key]: float(value) for key, value in seconds.items()})

    def seconds(self, key: str) -> float:
        """Seconds of one phase, by its key in a file ("in", "top_up", "hold", ...)."""
        value: float = getattr(self, PATTERN_FIELDS[key])
        return value

    def as_keys(self) -> dict[str, float]:
        """Every phase as a file's key -> seconds, in PATTERN_KEYS order (zeros included)."""
        return {key: self.seconds(key) for key in PATTERN_KEYS}

    def phases(self) -> list[tuple[str, float]]:
        """The non-empty phases in order, as (name, seconds)."""
        return [(name, self.seconds(name)) for name in PHASES if self.seconds(name) > 0]

    def short(self) -> str:
        """4-4-4-4 style, with the top-up written as +1."""

        def n(x: float) -> str:
            return f"{x:g}"

        first = n(self.inhale) + (f"+{n(self.top_up)}" if self.top_up else "")
        return f"{first}-{n(self.hold)}-{n(self.exhale)}-{n(self.hold_out)}"

    def lerp(self, other: Pattern, f: float) -> Pattern:
        """The pattern a fraction f of the way to other."""

        def mix(a: float, b: float) -> float:
            return a + (b - a) * f

        return Pattern(
            inhale=mix(self.inhale, other.inhale),
            exhale=mix(self.exhale, other.exhale),
            hold=mix(self.hold, other.hold),
            hold_out=mix(self.hold_out, other.hold_out),
            top_up=mix(self.top_up, other.top_up),
        )


class Ramp(NamedTuple):
    """Move smoothly from the segment's pattern to `to` over `over` seconds, then stay."""

    to: Pattern
    over: float


class Cue(NamedTuple):
    """Guidance text shown from `at` seconds into its segment."""

    at: float
    text: str


class Region(NamedTuple):
    """A body region visited by a scan; weight sets its share of the scan's time."""

    name: str
    weight: float = 1.0
    # The region's own prompt, shown while it is visited ("" uses the scan's `prompts`).
    prompt: str = ""


class Bells(NamedTuple):
    """The bells that open, punctuate and close a practice."""

    start: str = "bowl"
    start_strikes: int = 3
    end: str = "bowl"
    end_strikes: int = 2
    interval: float | None = None
    interval_sound: str = "bell"
    # When set, each interval gap is drawn at random between `interval` and this, per run.
    interval_to: float | None = None
    interval_from: float = 0.0
    strike_gap: float | None = None  # None: the start's 4 s and the end's 3 s
    at: tuple[float, ...] = ()
    at_sound: str = "bell"


class Segment(NamedTuple):
    """One part of a practice. `duration` is None for an open segment."""

    kind: str
    duration: float | None
    title: str = ""
    cues: tuple[Cue, ...] = ()
    chime: str | None = None
    # breath
    pattern: Pattern | None = None
    ramp: Ramp | None = None
    labels: tuple[tuple[str, str], ...] = ()
    phase_sound: str | None = None
    # A list of label tables used breath by breath in turn (labels is then empty).
    label_turns: tuple[tuple[tuple[str, str], ...], ...] = ()
    # phase -> sound when `phase_sound` is a table ("none" rings nothing for that phase).
    phase_sounds: tuple[tuple[str, str], ...] = ()
    breaths: int | None = None  # exactly this many breaths; `duration` is then their length
    whole_breaths: bool = True
    # The time the file gives when `duration` was rounded to whole breaths (saved back as is).
    written: float | None = None
    # hold: after the out-breath (default) or the in-breath; until "key" lasts at most duration
    after: str = "out"
    until: str = ""
    # rounds: the parts, repeated `times` times (None: until ended)
    parts: tuple[Segment, ...] = ()
    times: int | None = None
    # body_scan
    direction: str = "down"
    regions: tuple[Region, ...] = ()
    prompts: tuple[str, ...] = ()
    # phrases
    recipient: str = ""
    phrases: tuple[str, ...] = ()
    every: float = 10.0

    @property
    def is_open(self) -> bool:
        """True when the segment runs until the person ends it."""
        return self.duration is None

    def label_for(self, phase: str, cycle: int = 1) -> str | None:
        """The file's own words for a breath phase in breath `cycle` (1-based), if any."""
        labels = self.labels
        if self.label_turns:
            labels = self.label_turns[(max(1, cycle) - 1) % len(self.label_turns)]
        for name, text in labels:
            if name == phase:
                return text
        return None

    def sound_for(self, phase: str) -> str | None:
        """The sound that rings as a breath phase begins, if any."""
        if self.phase_sounds:
            sound = dict(self.phase_sounds).get(phase)
            return None if sound in (None, "none") else sound
        return self.phase_sound

    @property
    def key_ended(self) -> bool:
        """True for a hold that lasts until the continue key (at most `duration`)."""
        return self.kind == "hold" and self.until == "key"

    @property
    def fixed(self) -> bool:
        """True when rescaling keeps this segment's length (counted breaths, holds, rounds)."""
        return self.breaths is not None or self.kind in ("hold", "rounds")

    @property
    def heading(self) -> str:
        """The title, or a plain name for the kind."""
        return self.title or KIND_NAMES.get(self.kind, self.kind)


KIND_NAMES: dict[str, str] = {
    "settle": "Settling",
    "breath": "Paced breathing",
    "body_scan": "Body scan",
    "phrases": "Kindness phrases",
    "noting": "Noting",
    "silence": "Silence",
    "hold": "Hold",
    "rounds": "Rounds",
}


class SoundChoice(NamedTuple):
    """A practice's `[sound]` table: its soundscape and its eyes-closed sounds (None: default)."""

    background: str | None = None  # a soundscape name; "off" for none; None: the setting's
    background_volume: float | None = None  # 0..1; None: the setting's
    eyes_closed: bool | None = None  # start in eyes-closed mode; None: the setting's
    breath_in: str | None = None  # eyes-closed sounds; None: the gentle defaults
    breath_out: str | None = None
    region: str | None = None
    phrase: str | None = None
    segment: str | None = None


class Practice(NamedTuple):
    """A whole practice: what it is called, how it rings, and its segments in order."""

    id: str
    title: str
    segments: tuple[Segment, ...]
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    bells: Bells = Bells()
    noting: tuple[tuple[str, str], ...] = ()
    path: Path | None = None
    source: str = "file"  # bundled | user | file
    prepare: float = 0.0  # a quiet countdown before the start bell; not practice time
    sound: SoundChoice = SoundChoice()  # the [sound] table

    @property
    def total(self) -> float | None:
        """Planned seconds, or None when the last segment is open."""
        if any(s.is_open for s in self.segments):
            return None
        return sum(s.duration or 0.0 for s in self.segments)

    @property
    def finite_total(self) -> float:
        """Seconds of the segments that have a length."""
        return sum(s.duration or 0.0 for s in self.segments)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The segment kinds in order of first appearance."""
        seen: list[str] = []
        for s in self.segments:
            for kind in (s.kind, *(p.kind for p in s.parts)):
                if kind not in seen:
                    seen.append(kind)
        return tuple(seen)

    @property
    def noting_map(self) -> dict[str, str]:
        """Key -> label for this practice."""
        return dict(self.noting)

    def with_segments(self, segments: tuple[Segment, ...]) -> Practice:
        """A copy with other segments (used by rescaling)."""
        return self._replace(segments=segments)


def open_scan_cycle(seg: Segment) -> float:
    """How long one pass over the regions takes in an open body scan."""
    return sum(r.weight for r in seg.regions) * OPEN_SCAN_SECONDS_PER_WEIGHT
