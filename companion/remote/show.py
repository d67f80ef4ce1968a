"""How `companion status` words a running practice: lines for people, fields for status bars."""

from __future__ import annotations

import math
import string
from typing import Any

from companion.practice.durations import clock_text
from companion.remote.protocol import StatusSnapshot, snapshot_to_dict

STATUS_FORMAT = 1  # the `status --json` document's version; keys are added, never renamed

FIELDS: dict[str, str] = {
    "title": "the practice's title",
    "id": "the practice's id",
    "pid": "the process id of the practice",
    "segment": "the current segment's heading",
    "segment_index": "which segment, from 1",
    "segments": "how many segments",
    "phase": "the breath phase word (empty outside paced breathing)",
    "what": "the phase word, or else the segment heading",
    "phase_left": "whole seconds left in the phase (empty outside paced breathing)",
    "left": "time left in the practice as mm:ss (or 'open')",
    "elapsed": "time practised as mm:ss",
    "notes": "how many notes so far",
    "paused": "'paused' while paused, else empty",
    "state": "'paused' or 'practising'",
}
COUNTDOWN = frozenset({"phase_left", "left", "elapsed"})  # these change every second


def _countdown(seconds: float) -> str:
    return clock_text(math.ceil(seconds - 1e-9))


def fields(snap: StatusSnapshot, pid: int) -> dict[str, str]:
    """Every field a `--format` may name, as text."""
    return {
        "title": snap.title,
        "id": snap.practice_id,
        "pid": str(pid),
        "segment": snap.segment,
        "segment_index": str(snap.segment_index),
        "segments": str(snap.segment_count),
        "phase": snap.phase or "",
        "what": snap.phase or snap.segment,
        "phase_left": "" if snap.phase_left is None else str(math.ceil(snap.phase_left - 1e-9)),
        "left": "open" if snap.practice_left is None else _countdown(snap.practice_left),
        "elapsed": clock_text(snap.elapsed),
        "notes": str(snap.note_count),
        "paused": "paused" if snap.paused else "",
        "state": "paused" if snap.paused else "practising",
    }


def check_format(fmt: str) -> str | None:
    """None when every {field} in `fmt` is known; else a line saying which are."""
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(fmt) if name]
    except ValueError as exc:
        return f"--format {fmt!r}: {exc}; write fields as {{phase}}, and a brace as {{{{"
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        return f"--format: unknown field {{{unknown[0]}}}; fields are " + ", ".join(
            "{" + n + "}" for n in FIELDS
        )
    return None


def line(snap: StatusSnapshot, pid: int, fmt: str | None = None) -> str:
    """One line for a status bar: `--format`, or the phase, title, notes and pause."""
    if fmt is not None:
        return fmt.format(**fields(snap, pid))
    parts = [snap.phase or snap.segment, snap.title]
    if snap.note_count:
        parts.append(_notes_word(snap.note_count))
    if snap.paused:
        parts.append("paused")
    return " · ".join(parts)


def visible(snap: StatusSnapshot, pid: int) -> tuple[Any, ...]:
    """What a status line shows without a countdown: a change here is worth a new line."""
    return (pid, snap.practice_id, snap.segment_index, snap.segment, snap.phase,
            snap.note_count, snap.paused)  # fmt: skip


def document(snap: StatusSnapshot, pid: int, fmt: str | None = None) -> dict[str, Any]:
    """The `status --json` object (also one waybar custom-module line: text, tooltip, class)."""
    data = snapshot_to_dict(snap)
    data["notes"] = snap.note_count
    data["notes_by_label"] = dict(snap.notes)
    text = line(snap, pid, fmt)
    return {
        "format": STATUS_FORMAT,
        "practising": True,
        "pid": pid,
        **data,
        "text": text,
        "tooltip": "\n".join(text_lines(snap, pid)),
        "class": "paused" if snap.paused else "practising",
    }


def idle_document(text: str = "") -> dict[str, Any]:
    """The `status --json` object when nothing is running."""
    return {
        "format": STATUS_FORMAT,
        "practising": False,
        "text": text,
        "tooltip": "",
        "class": "idle",
    }


def text_lines(snap: StatusSnapshot, pid: int) -> list[str]:
    """`companion status` for people: practice, segment, phase, time left, notes."""
    rows = [
        f"{snap.title} ({snap.practice_id}), process {pid}" + (" - paused" if snap.paused else "")
    ]
    rows.append(f"segment  {snap.segment_index} of {snap.segment_count}: {snap.segment}")
    if snap.phase:
        left = "" if snap.phase_left is None else f", {math.ceil(snap.phase_left - 1e-9)}s left"
        rows.append(f"phase    {snap.phase}{left}")
    if snap.practice_left is None:
        rows.append(f"time     {clock_text(snap.elapsed)} so far (open-ended)")
    else:
        rows.append(
            f"time     {_countdown(snap.practice_left)} left, {clock_text(snap.elapsed)} so far"
        )
    if snap.notes:
        by_label = ", ".join(
            f"{label} {n}" for label, n in sorted(snap.notes.items(), key=lambda kv: -kv[1])
        )
        rows.append(f"notes    {snap.note_count}: {by_label}")
    else:
        rows.append("notes    none yet")
    return rows


def _notes_word(count: int) -> str:
    return f"{count} note" + ("" if count == 1 else "s")
