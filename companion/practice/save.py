"""Write practices back to TOML, safely: never a half-written file, always a .bak of the old one.

Pure: builds plain dicts and writes files; imports neither textual nor pygame.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli_w

from companion.practice.durations import format_duration
from companion.practice.model import PHASES, Bells, Pattern, Practice, Region, Segment
from companion.practice.noting import DEFAULT_NOTING
from companion.practice.regions import DEFAULT_REGIONS, default_weight


def practice_to_toml_dict(practice: Practice) -> dict[str, Any]:
    """The practice as TOML-ready data that loads back to an equal Practice.

    Defaults are left out so a saved file stays as short as a hand-written one.
    """
    out: dict[str, Any] = {"title": practice.title}
    if practice.summary:
        out["summary"] = practice.summary
    if practice.description:
        out["description"] = practice.description + "\n"
    if practice.tags:
        out["tags"] = list(practice.tags)
    if practice.prepare:
        out["prepare"] = _duration(practice.prepare)
    bells = _bells(practice.bells)
    if bells:
        out["bells"] = bells
    if practice.noting and practice.noting != tuple(DEFAULT_NOTING.items()):
        out["noting"] = {"keys": dict(practice.noting)}
    out["segment"] = [_segment(s) for s in practice.segments]
    return out


def _duration(seconds: float | None) -> str | int | float:
    """Whole seconds as people write them ("4m"); fractions as exact numbers of seconds."""
    if seconds is None:
        return "open"
    if seconds == int(seconds):
        return format_duration(seconds)
    return float(seconds)


def _number(value: float) -> int | float:
    """4.0 -> 4, so the file reads the way a person would write it."""
    return int(value) if value == int(value) else value


def _bells(bells: Bells) -> dict[str, Any]:
    defaults = Bells()
    out: dict[str, Any] = {}
    for key in ("start", "start_strikes", "end", "end_strikes"):
        if getattr(bells, key) != getattr(defaults, key):
            out[key] = getattr(bells, key)
    if bells.interval is not None and bells.interval_to is not None:
        out["interval"] = f"{_range_end(bells.interval)}..{_range_end(bells.interval_to)}"
    elif bells.interval is not None:
        out["interval"] = _duration(bells.interval)
    if bells.interval_sound != defaults.interval_sound:
        out["interval_sound"] = bells.interval_sound
    if bells.interval_from:
        out["interval_from"] = _duration(bells.interval_from)
    if bells.strike_gap is not None:
        out["strike_gap"] = _number(bells.strike_gap)
    if bells.at:
        out["at"] = [_duration(t) for t in bells.at]
    if bells.at_sound != defaults.at_sound:
        out["at_sound"] = bells.at_sound
    return out


def _range_end(seconds: float) -> str:
    """One end of an interval range: "30s", "1m30s", or "12.5s" for a fraction."""
    written = _duration(seconds)
    return written if isinstance(written, str) else f"{written:g}s"


def _pattern(pattern: Pattern) -> dict[str, Any]:
    # In the order the phases happen; the optional ones only when they are there.
    return {
        key: _number(pattern.seconds(key))
        for key in PHASES
        if key in ("in", "out") or pattern.seconds(key)
    }


def _region(region: Region) -> str | dict[str, Any]:
    """A plain name when that says it all; else { name, weight?, prompt? }."""
    if region.weight == default_weight(region.name) and not region.prompt:
        return region.name
    out: dict[str, Any] = {"name": region.name}
    if region.weight != default_weight(region.name):
        out["weight"] = _number(region.weight)
    if region.prompt:
        out["prompt"] = region.prompt
    return out


def _labels(labels: tuple[tuple[str, str], ...]) -> dict[str, str]:
    words = dict(labels)
    return {phase: words[phase] for phase in PHASES if phase in words}


def _length(seg: Segment) -> dict[str, Any]:
    """How the segment's length is written: a duration, `breaths`, `until`/`max`, or `times`."""
    if seg.kind == "rounds":
        return {"times": "open" if seg.times is None else seg.times}
    if seg.breaths is not None:
        return {"breaths": seg.breaths}
    if seg.key_ended:
        return {"until": "key", "max": _duration(seg.duration)}
    written = seg.written if seg.written is not None else seg.duration
    out: dict[str, Any] = {"duration": _duration(written)}
    if seg.kind == "breath" and not seg.whole_breaths:
        out["whole_breaths"] = False
    return out


def _segment(seg: Segment) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": seg.kind, **_length(seg)}
    if seg.title:
        out["title"] = seg.title
    if seg.chime:
        out["chime"] = seg.chime
    if seg.kind == "hold" and seg.after != "out":
        out["after"] = seg.after
    if seg.kind == "breath" and seg.pattern is not None:
        out["pattern"] = _pattern(seg.pattern)
        if seg.ramp is not None:
            out["ramp"] = {"to": _pattern(seg.ramp.to), "over": _duration(seg.ramp.over)}
        if seg.label_turns:
            out["labels"] = [_labels(turn) for turn in seg.label_turns]
        elif seg.labels:
            out["labels"] = _labels(seg.labels)
        if seg.phase_sounds:
            out["phase_sound"] = dict(seg.phase_sounds)
        elif seg.phase_sound:
            out["phase_sound"] = seg.phase_sound
    elif seg.kind == "body_scan":
        out["direction"] = seg.direction
        names = tuple(r.name for r in seg.regions)
        default = names == DEFAULT_REGIONS and all(
            r.weight == default_weight(r.name) and not r.prompt for r in seg.regions
        )
        if not default:
            out["regions"] = [_region(r) for r in seg.regions]
        if seg.prompts:
            out["prompts"] = list(seg.prompts)
    elif seg.kind == "phrases":
        if seg.recipient:
            out["recipient"] = seg.recipient
        out["phrases"] = list(seg.phrases)
        if seg.every != 10.0:
            out["every"] = _duration(seg.every)
    if seg.cues:
        out["cues"] = [{"at": _duration(c.at), "text": c.text} for c in seg.cues]
    if seg.kind == "rounds":
        out["part"] = [_segment(part) for part in seg.parts]
    return out


def toml_text(data: Mapping[str, Any], header_comment: str = "") -> str:
    """TOML text for the data, after a comment header (each line gets its "# ").

    Laid out the way practice files are written by hand: small tables such as `pattern`
    inline on one line, cues one per line. tomli-w writes every key and value, so quoting
    and escaping are always right.
    """
    lines = []
    for line in header_comment.splitlines():
        if line.startswith("#"):
            lines.append(line)  # already a comment, e.g. a "#:schema" directive
        else:
            lines.append(f"# {line}".rstrip())
    head = "\n".join(lines)
    body = _document(data)
    return f"{head}\n\n{body}" if head else body


MAX_LINE = 100


def _key(key: str) -> str:
    # tomli-w knows when a key needs quotes; take just the key from its "key = 0" line.
    return tomli_w.dumps({key: 0})[: -len(" = 0\n")]


def toml_value(value: Any) -> str:
    """A value on one line: tables inline, short lists inline."""
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return tomli_w.dumps({"v": value})[len("v = ") : -1]


def _assignment(key: str, value: Any) -> str:
    """`key = value`, spreading a long list over one line per item."""
    if isinstance(value, str) and "\n" in value:
        return tomli_w.dumps({key: value}, multiline_strings=True).rstrip("\n")
    line = f"{_key(key)} = {toml_value(value)}"
    if (
        isinstance(value, list)
        and value
        and (len(line) > MAX_LINE or any(isinstance(v, Mapping) for v in value))
    ):
        items = "".join(f"  {toml_value(v)},\n" for v in value)
        return f"{_key(key)} = [\n{items}]"
    return line


def _table_lines(table: Mapping[str, Any]) -> list[str]:
    return [_assignment(k, v) for k, v in table.items()]


def _document(data: Mapping[str, Any]) -> str:
    top = {k: v for k, v in data.items() if k not in ("bells", "noting", "segment")}
    blocks = ["\n".join(_table_lines(top))] if top else []
    for name in ("bells", "noting"):
        table = data.get(name)
        if isinstance(table, Mapping):
            blocks.append("\n".join([f"[{name}]", *_table_lines(table)]))
    segments = data.get("segment")
    if isinstance(segments, list):
        for seg in segments:
            own = {k: v for k, v in seg.items() if k != "part"}
            blocks.append("\n".join(["[[segment]]", *_table_lines(own)]))
            for part in seg.get("part", []):
                lines = ["[[segment.part]]", *_table_lines(part)]
                blocks.append("\n".join("  " + line for line in lines))
    text = "\n\n".join(blocks) + "\n"
    # The layout is ours; make sure it still means exactly what tomli-w would have written.
    if tomllib.loads(text) != tomllib.loads(tomli_w.dumps(dict(data))):
        return tomli_w.dumps(dict(data), multiline_strings=True)  # pragma: no cover
    return text


def write_practice(
    path: Path, practice_or_dict: Practice | Mapping[str, Any], header_comment: str = ""
) -> Path | None:
    """Save a practice atomically; an existing file is first copied to PATH.bak.

    Returns the backup's path, or None when there was nothing to back up. On any failure
    the original file is left exactly as it was and the error (OSError) propagates.
    """
    if isinstance(practice_or_dict, Practice):
        data: Mapping[str, Any] = practice_to_toml_dict(practice_or_dict)
    else:
        data = practice_or_dict
    return write_text_atomic(path, toml_text(data, header_comment))


def write_text_atomic(path: Path, text: str) -> Path | None:
    """Replace a file's text in one step (temp file, fsync, rename), keeping a .bak first."""
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    backup: Path | None = None
    if path.exists():
        backup = path.with_name(path.name + ".bak")
        shutil.copy2(path, backup)
    # The temporary file sits in the same folder so the rename never crosses filesystems,
    # which is what makes it atomic.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if backup is not None:
            shutil.copymode(backup, tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_folder(folder)
    return backup


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every platform lets a folder be opened.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
