"""What a running practice answers from outside, and the line-delimited JSON that carries it.

A request is one JSON object on one line: `{"v": 1, "op": "note", "label": "t"}`. The answer
is one line too: `{"v": 1, "ok": true, "result": {...}}`, or
`{"v": 1, "ok": false, "code": "unknown-label", "error": "...", ...}`. Ops: status, note,
pause, resume, end. Keys may be added in later versions; none are renamed or removed, and a
server answers an op it does not know with the code `unknown-op`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

VERSION = 1
OPS = ("status", "note", "pause", "resume", "end")
MAX_LINE = 64 * 1024  # a request or answer longer than this is refused, not buffered


@dataclass(frozen=True)
class StatusSnapshot:
    """A running practice at one moment, as `companion status` shows it."""

    practice_id: str
    title: str
    segment: str  # the current segment's heading
    segment_index: int  # 1-based
    segment_count: int
    phase: str | None  # the breath phase word ("Breathe in"), None outside paced breathing
    phase_left: float | None  # seconds left in the phase
    practice_left: float | None  # seconds left in the practice, None when open-ended
    elapsed: float  # seconds practised so far (pauses not counted)
    paused: bool
    notes: dict[str, int] = field(default_factory=dict)  # label -> notes so far

    @property
    def note_count(self) -> int:
        """All notes taken so far."""
        return sum(self.notes.values())


@dataclass(frozen=True)
class NoteReply:
    """What `note` did: the key and label taken, or nothing when the word matched no label."""

    taken: bool
    key: str = ""
    label: str = ""
    count: int = 0  # notes so far in this practice, this one included
    labels: tuple[tuple[str, str], ...] = ()  # (key, label) valid for the running practice


class Refused(Exception):
    """A target cannot do what was asked; its message is one plain line for the user."""


class RemoteTarget(Protocol):
    """A running practice as seen from outside. Every method runs on the owner's thread."""

    def note(self, key_or_label: str) -> NoteReply:
        """Take a note exactly as if its key had been pressed (see `match_label`)."""

    def pause(self) -> None:
        """Pause (doing nothing if already paused)."""

    def resume(self) -> None:
        """Resume (doing nothing if not paused)."""

    def end(self) -> None:
        """End the practice early, as escape does."""

    def status(self) -> StatusSnapshot:
        """The practice now."""


def match_label(noting: Mapping[str, str], word: str) -> tuple[str, str] | None:
    """(key, label) for a key such as `t` or a label such as `Thinking`, or None."""
    word = word.strip()
    if word in noting:
        return word, noting[word]
    folded = word.casefold()
    for key, label in noting.items():
        if label.casefold() == folded:
            return key, label
    return None


def request(op: str, **fields: Any) -> bytes:
    """One request line."""
    return encode({"v": VERSION, "op": op, **fields})


def encode(message: Mapping[str, Any]) -> bytes:
    """One JSON object as one line of UTF-8."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    """The object on one line; ValueError when it is not a JSON object."""
    data = json.loads(line.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("a message must be a JSON object")
    return data


def snapshot_to_dict(snap: StatusSnapshot) -> dict[str, Any]:
    """The snapshot as plain JSON values."""
    return asdict(snap)


def snapshot_from_dict(data: Mapping[str, Any]) -> StatusSnapshot:
    """Rebuild a snapshot; keys this version does not know are ignored (a newer server)."""
    known = StatusSnapshot.__dataclass_fields__
    values = {k: v for k, v in data.items() if k in known}
    values["notes"] = {str(k): int(v) for k, v in dict(values.get("notes") or {}).items()}
    return StatusSnapshot(**values)


def reply_to_dict(reply: NoteReply) -> dict[str, Any]:
    """A note reply as plain JSON values."""
    data = asdict(reply)
    data["labels"] = [list(pair) for pair in reply.labels]
    return data


def reply_from_dict(data: Mapping[str, Any]) -> NoteReply:
    """Rebuild a note reply."""
    return NoteReply(
        taken=bool(data.get("taken")),
        key=str(data.get("key", "")),
        label=str(data.get("label", "")),
        count=int(data.get("count", 0)),
        labels=tuple((str(k), str(v)) for k, v in data.get("labels", ())),
    )
