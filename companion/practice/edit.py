"""Changing a practice and saving a user copy: what Customize and `companion new` share.

Pure: no widgets. A change is written into the practice's own TOML data and checked by the
real loader, so every problem reads as `companion validate` would print it. A user copy is
written in one step into the user's practices folder, keeping a file it replaces as .bak.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from companion.engine.rescale import RescaleError, rescale
from companion.paths import Paths
from companion.practice.breaths import with_length
from companion.practice.durations import DurationError, format_duration, parse_duration
from companion.practice.errors import PracticeError
from companion.practice.load import MAX_TOTAL_SECONDS, parse_practice
from companion.practice.model import PHASES, Cue, Practice, Ramp, Segment, is_name
from companion.practice.noting import RESERVED_KEYS
from companion.practice.save import practice_to_toml_dict, toml_text, write_text_atomic
from companion.practice.schema import PRACTICE_SCHEMA

MIN_LENGTH = 60.0
SCHEMA_LINE = f"#:schema ./{PRACTICE_SCHEMA}"  # editors complete and check from it


# -- building a candidate from changes -----------------------------------------------------
@dataclass
class FormValues:
    """What the form says, as the texts typed (ids are segment numbers, 0-based)."""

    save_as: str
    length: str
    patterns: dict[int, dict[str, str]] = field(default_factory=dict)  # + "ramp_<key>", "over"
    bells: dict[str, str] = field(default_factory=dict)
    noting: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Candidate:
    """The result of checking the form: a practice and its TOML data, or the problem lines."""

    practice_id: str
    problems: list[str]
    practice: Practice | None = None
    data: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """True when the form can be saved."""
        return not self.problems and self.data is not None


def number_or_text(text: str) -> int | float | str | None:
    """A typed value as TOML would hold it: None when empty, a number when it is one.

    Text that is not a number is passed on as text so the loader names what is wrong.
    """
    value = text.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return float(value)
    except ValueError:
        return value


def _pattern_table(fields: dict[str, str], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in PHASES:
        value = number_or_text(fields.get(prefix + key, ""))
        if value is not None:
            out[key] = value
    return out


def parse_length(text: str, is_open: bool) -> float | None:
    """Seconds for the length field (a bare number is minutes); None keeps an open end.

    Raises ValueError with the line to show.
    """
    value = text.strip().lower()
    if value in ("", "open"):
        if is_open:
            return None
        raise ValueError("Length: write minutes, like 10, or a length such as 7m30s")
    try:
        seconds = float(value) * 60.0
    except ValueError:
        try:
            parsed = parse_duration(value)
        except DurationError:
            raise ValueError(
                f"Length: {text.strip()!r} is not a length; write minutes, like 10, or 7m30s"
            ) from None
        seconds = parsed or 0.0
    if not math.isfinite(seconds) or seconds < MIN_LENGTH:
        raise ValueError("Length: must be at least 1 minute")
    if seconds > MAX_TOTAL_SECONDS:
        raise ValueError("Length: must be at most 12h")
    return seconds


def whole_seconds(practice: Practice, total: float) -> Practice:
    """The rescaled practice in whole seconds that still add up to `total` where it can.

    rescale() leaves fractions (a 10-minute practice fitted to 7 gives 4m12.6s parts);
    a file a person will open should say 4m13s. Cues and ramps stay inside their segment.
    Counted breaths, holds and rounds keep their length; a breath segment's time is
    rounded to whole seconds and then to whole breaths, and the seconds that leaves go to
    the longest segment without breaths.
    """
    scaled = [i for i, s in enumerate(practice.segments) if not s.fixed]
    times = {i: max(1, round(_given(practice.segments[i]))) for i in scaled}
    free = [i for i in scaled if practice.segments[i].written is None]
    segments = [
        _in_whole_seconds(seg, times[i]) if i in times else seg
        for i, seg in enumerate(practice.segments)
    ]
    drift = round(total - sum(s.duration or 0.0 for s in segments))
    if free and drift:
        longest = max(free, key=lambda i: times[i])
        seconds = times[longest] + drift
        if seconds >= 1:
            segments[longest] = _in_whole_seconds(practice.segments[longest], seconds)
    return practice.with_segments(tuple(segments))


def _given(seg: Segment) -> float:
    return seg.written if seg.written is not None else (seg.duration or 0.0)


def _in_whole_seconds(seg: Segment, seconds: float) -> Segment:
    cues = tuple(
        Cue(at=float(min(max(0, round(c.at)), max(0, math.ceil(seconds) - 1))), text=c.text)
        for c in seg.cues
    )
    ramp = seg.ramp
    if ramp is not None:
        ramp = Ramp(to=ramp.to, over=float(min(max(1, round(ramp.over)), math.floor(seconds))))
    return with_length(seg._replace(cues=cues, ramp=ramp), float(seconds))


def build_candidate(
    practice: Practice, values: FormValues, sounds: Collection[str] | None
) -> Candidate:
    """Write the form into the practice's TOML data and check it with the real loader."""
    problems: list[str] = []
    practice_id = values.save_as.strip()
    if not is_name(practice_id):
        problems.append(
            f"Save as: {practice_id!r} cannot be a practice name; use letters, digits, - and _ "
            "(at most 64), like calm or evening-scan"
        )
        practice_id = practice.id
    shown = f"{practice_id}.toml"

    data = copy.deepcopy(practice_to_toml_dict(practice))
    segments = data.get("segment", [])
    for index, fields in values.patterns.items():
        table = segments[index]
        table["pattern"] = _pattern_table(fields)
        ramp_to = _pattern_table(fields, "ramp_")
        over = number_or_text(fields.get("over", ""))
        if not ramp_to and over is None:
            table.pop("ramp", None)
        else:
            ramp: dict[str, Any] = {"to": ramp_to}
            if over is not None:
                ramp["over"] = over
            table["ramp"] = ramp

    bells: dict[str, Any] = {}
    for key, text in values.bells.items():
        value = text if key in ("start", "end", "interval_sound") else number_or_text(text)
        if value is not None:
            bells[key] = value
    data["bells"] = bells

    keys: dict[str, str] = {}
    for key, label in values.noting:
        key, label = key.strip(), label.strip()
        if not key and not label:
            continue  # a row just added and not filled in yet
        if not key:
            problems.append(f"{shown}: noting: the label {label!r} needs a key")
        elif key in keys:
            problems.append(
                f"{shown}: noting.keys.{key}: is used twice; give each label its own key"
            )
        else:
            keys[key] = label
    data["noting"] = {"keys": keys}

    target: float | None = None
    # Only a length the person changed rescales: the shown text is rounded to whole seconds.
    if values.length.strip() != length_field(practice):
        try:
            target = parse_length(values.length, practice.total is None)
        except ValueError as exc:
            problems.append(str(exc))

    try:
        checked = parse_practice(
            data, path=shown, practice_id=practice_id, source="user", sounds=sounds
        )
    except PracticeError as exc:
        return Candidate(practice_id, problems + [str(p) for p in exc.problems])
    if problems:
        return Candidate(practice_id, problems)
    if target is not None:
        try:
            fitted = whole_seconds(rescale(checked, target), target)
        except RescaleError as exc:
            return Candidate(practice_id, [f"Length: {exc}"])
        try:
            checked = parse_practice(
                practice_to_toml_dict(fitted),
                path=shown,
                practice_id=practice_id,
                source="user",
                sounds=sounds,
            )
        except PracticeError as exc:
            return Candidate(practice_id, [str(p) for p in exc.problems])
    return Candidate(practice_id, [], checked, practice_to_toml_dict(checked))


def length_field(practice: Practice) -> str:
    """The length as the form first shows it: "10m", "5m30s", or "open"."""
    total = practice.total
    return "open" if total is None else format_duration(float(round(total)))


def taken_keys() -> str:
    """The keys a noting key may not use, in words: "space, +, -, ..."."""
    return ", ".join("space" if k == " " else k for k in sorted(RESERVED_KEYS))


# -- the header comment -----------------------------------------------------------------------
def save_header(original: Practice, practice_id: str, replaces_bundled: bool, day: date) -> str:
    """The comment at the top of a file saved by Customize: where it came from and when."""
    lines = [f"Saved from the companion app on {day.isoformat()}."]
    if replaces_bundled and practice_id == original.id:
        lines.append(f"Your own copy of the bundled practice {original.title!r}; it replaces it.")
        lines.append("Delete this file to go back to the original.")
    elif practice_id != original.id:
        lines.append(f"Customised from {original.title!r} ({original.id}).")
    lines.append("Edit it here or with Customize in the app; the app reloads it when saved.")
    return "\n".join(lines)


def app_header(paths: Paths, original: Practice, practice_id: str, day: date) -> str:
    """save_header for this user's folder, after a schema line when the schema is there."""
    header = save_header(original, practice_id, replaces_bundled(paths, practice_id), day)
    if (paths.practices_dir / PRACTICE_SCHEMA).is_file():
        header = f"{SCHEMA_LINE}\n{header}"
    return header


def copy_header(name: str, practice: Practice, replaces_bundled: bool) -> str:
    """The comment at the top of a copy made by `companion new --from` or `companion edit`."""
    lines = [SCHEMA_LINE]
    if replaces_bundled and practice.id == name:
        lines.append(f"{name}: your own copy of the bundled practice {practice.title!r}.")
        lines.append("It replaces the bundled one; delete this file to go back to the original.")
    else:
        lines.append(f"{name}: your own practice, copied from {practice.title!r} ({practice.id}).")
    lines.append("Change anything you like; `companion validate` checks the file.")
    lines.append("Every field is described in docs/practice-format.md.")
    return "\n".join(lines)


# -- saving a user copy -----------------------------------------------------------------------
def user_file(paths: Paths, practice_id: str) -> Path:
    """Where the user's own copy of a practice with this id lives."""
    return paths.practices_dir / f"{practice_id}.toml"


def replaces_bundled(paths: Paths, practice_id: str) -> bool:
    """True when a bundled practice has this id, so a user copy would stand in its place."""
    return (paths.bundled_practices / f"{practice_id}.toml").is_file()


def copy_text(practice: Practice | Mapping[str, Any], header: str) -> str:
    """A practice (or its TOML data) as the text of a file, after its header comment."""
    data = practice_to_toml_dict(practice) if isinstance(practice, Practice) else practice
    return toml_text(data, header)


def save_user_copy(paths: Paths, practice_id: str, text: str) -> Path | None:
    """Write the user's copy in one step, keeping a file it replaces as .bak.

    Returns the .bak's path, or None when there was no file before. Raises OSError, leaving
    any old file exactly as it was.
    """
    return write_text_atomic(user_file(paths, practice_id), text)
