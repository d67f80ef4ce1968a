"""The fields of the Customize form that take more than a line to lay out.

Breath patterns (a grid, one column per phase), bells with their sounds, and a noting row.
Their ids are the ones CustomizeScreen.values() reads back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from companion.practice.durations import format_duration
from companion.practice.model import Bells, Segment

# (TOML key, column heading, width): the order of Pattern.short(), in+top-up, hold, out, hold after.
PATTERN_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("in", "in", 7),
    ("top_up", "top-up", 8),
    ("hold", "hold", 7),
    ("out", "out", 7),
    ("hold_out", "hold after", 11),
)
PHASE_WORDS = {
    "in": "seconds breathing in",
    "top_up": "seconds of a second, short in-breath (0 for none)",
    "hold": "seconds holding after the in-breath (0 for none)",
    "out": "seconds breathing out",
    "hold_out": "seconds resting after the out-breath (0 for none)",
}


def _field_text(value: float) -> str:
    return f"{value:g}" if value else ""


def breath_fields(index: int, seg: Segment) -> ComposeResult:
    """A breath segment's pattern and ramp, one column per phase, and how long the ramp takes."""
    assert seg.pattern is not None
    pattern = seg.pattern
    to = seg.ramp.to if seg.ramp is not None else None
    yield Static(f"Segment {index + 1}: {seg.heading}", classes="cz-section")
    with Horizontal(classes="breath-grid cz-row"):
        with Vertical():
            yield Label(" ", classes="cz-label head")
            yield Label("Pattern", classes="cz-label")
            yield Label("Ramp to", classes="cz-label")
        for key, heading, width in PATTERN_COLUMNS:
            with Vertical():
                yield Label(heading, classes=f"head w{width}")
                yield Input(
                    _field_text(pattern.seconds(key)),
                    id=f"seg-{index}-{key}",
                    classes=f"w{width}",
                    compact=True,
                    tooltip=f"Pattern: {PHASE_WORDS[key]}",
                )
                yield Input(
                    _field_text(to.seconds(key) if to is not None else 0.0),
                    id=f"seg-{index}-ramp_{key}",
                    classes=f"w{width}",
                    compact=True,
                    tooltip=f"Ramp to: {PHASE_WORDS[key]}",
                )
        with Vertical():
            yield Label("over", classes="head w8")
            yield Label(" ", classes="w8")
            over = format_duration(seg.ramp.over) if seg.ramp is not None else ""
            yield Input(
                over,
                id=f"seg-{index}-over",
                classes="w8",
                compact=True,
                placeholder="3m",
                tooltip="How long the change to the ramp's pattern takes, like 3m",
            )
    yield Static(
        "Seconds for each phase; empty or 0 skips it. Leave the ramp empty for a steady pace.",
        classes="cz-hint",
    )


def sound_options(sounds: frozenset[str], *current: str) -> list[tuple[str, str]]:
    """The installed sounds, "none" first, and any the file names that are not installed."""
    names = ["none", *sorted(sounds - {"none"})]
    for name in current:
        if name not in names:
            names.append(name)  # keep what the file says, even if it is not installed
    return [(name, name) for name in names]


def bell_fields(bells: Bells, sounds: frozenset[str]) -> ComposeResult:
    """The start and end bells with their strikes, and the interval bell."""
    options = sound_options(sounds, bells.start, bells.end, bells.interval_sound)
    yield Static("Bells", classes="cz-section")
    for key, words, sound, strikes in (
        ("start", "Start", bells.start, bells.start_strikes),
        ("end", "End", bells.end, bells.end_strikes),
    ):
        with Horizontal(classes="cz-row"):
            yield Label(words, classes="cz-label")
            yield Select(options, value=sound, allow_blank=False, id=key, compact=True)
            yield Label("strikes", classes="cz-small-label")
            yield Input(
                str(strikes),
                id=f"{key}-strikes",
                compact=True,
                tooltip="How many times it rings, 1 to 5",
            )
    with Horizontal(classes="cz-row"):
        yield Label("Interval", classes="cz-label")
        interval = "" if bells.interval is None else format_duration(bells.interval)
        yield Input(
            interval,
            id="interval",
            compact=True,
            placeholder="none",
            tooltip="A bell every so often, like 5m; empty for none",
        )
        yield Label("sound", classes="cz-small-label")
        yield Select(
            options,
            value=bells.interval_sound,
            allow_blank=False,
            id="interval-sound",
            compact=True,
        )
    yield Static("Interval: like 5m, or empty for no interval bells.", classes="cz-hint")


def noting_row(n: int, key: str, label: str) -> Horizontal:
    """Row n of the noting keys: the key, its word, and a button to remove it."""
    return Horizontal(
        Input(
            key,
            id=f"note-key-{n}",
            classes="key",
            compact=True,
            max_length=1,
            tooltip="The key that notes this",
        ),
        Input(
            label,
            id=f"note-label-{n}",
            classes="note-label",
            compact=True,
            max_length=24,
            tooltip="The word noted, like thinking",
        ),
        Button("Remove", id=f"note-remove-{n}", classes="remove", compact=True),
        classes="noting-row",
        id=f"note-row-{n}",
    )
