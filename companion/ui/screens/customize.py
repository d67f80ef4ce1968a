"""Customize a practice: a form for the common changes, checked live by the real loader.

The form never judges a value itself where the loader can: every field is written into
the practice's own TOML data and run through `parse_practice`, so the lines shown here are
the ones `companion validate` would print. Save writes a user copy with save.py (atomic,
with a .bak of a file it replaces) and dismisses with the path written; escape dismisses
with None.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from companion.engine.rescale import rescale
from companion.paths import Paths
from companion.practice.durations import DurationError, format_duration, parse_duration
from companion.practice.errors import PracticeError
from companion.practice.load import MAX_TOTAL_SECONDS, parse_practice
from companion.practice.model import Cue, Practice, Ramp, Segment
from companion.practice.noting import RESERVED_KEYS
from companion.practice.save import practice_to_toml_dict, write_practice
from companion.practice.schema import PRACTICE_SCHEMA

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
MIN_LENGTH = 60.0
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


# -- building the candidate (no widgets) ------------------------------------------------------
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
    for key, _, _ in PATTERN_COLUMNS:
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
    """The rescaled practice in whole seconds that still add up to `total`.

    rescale() leaves fractions (a 10-minute practice fitted to 7 gives 4m12.6s parts);
    a file a person will open should say 4m13s. Cues and ramps stay inside their segment.
    """
    durations = [max(1, round(s.duration or 0.0)) for s in practice.segments]
    drift = round(total) - sum(durations)
    if durations:
        longest = max(range(len(durations)), key=lambda i: durations[i])
        durations[longest] = max(1, durations[longest] + drift)
    segments: list[Segment] = []
    for seg, seconds in zip(practice.segments, durations, strict=True):
        length = float(seconds)
        cues = tuple(
            Cue(at=float(min(max(0, round(c.at)), seconds - 1)), text=c.text) for c in seg.cues
        )
        ramp = seg.ramp
        if ramp is not None:
            ramp = Ramp(to=ramp.to, over=float(min(max(1, round(ramp.over)), seconds)))
        segments.append(replace(seg, duration=length, cues=cues, ramp=ramp))
    return practice.with_segments(tuple(segments))


def build_candidate(
    practice: Practice, values: FormValues, sounds: Collection[str] | None
) -> Candidate:
    """Write the form into the practice's TOML data and check it with the real loader."""
    problems: list[str] = []
    practice_id = values.save_as.strip()
    if not SAFE_ID.match(practice_id):
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
        fitted = whole_seconds(rescale(checked, target), target)
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


def save_header(original: Practice, practice_id: str, replaces_bundled: bool, day: date) -> str:
    """The comment at the top of a saved file: where it came from and when."""
    lines = [f"Saved from the companion app on {day.isoformat()}."]
    if replaces_bundled and practice_id == original.id:
        lines.append(f"Your own copy of the bundled practice {original.title!r}; it replaces it.")
        lines.append("Delete this file to go back to the original.")
    elif practice_id != original.id:
        lines.append(f"Customised from {original.title!r} ({original.id}).")
    lines.append("Edit it here or with Customize in the app; the app reloads it when saved.")
    return "\n".join(lines)


def length_field(practice: Practice) -> str:
    """The length as the form first shows it: "10m", "5m30s", or "open"."""
    total = practice.total
    return "open" if total is None else format_duration(float(round(total)))


def taken_keys() -> str:
    """The keys a noting key may not use, in words: "space, +, -, ..."."""
    return ", ".join("space" if k == " " else k for k in sorted(RESERVED_KEYS))


def _field_text(value: float) -> str:
    return f"{value:g}" if value else ""


# -- the screen -------------------------------------------------------------------------------
class CustomizeScreen(ModalScreen[Path | None]):
    """Change a practice's length, breath, bells and noting keys, and save a user copy."""

    WHERE = "customize"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="customize-save"),
        Binding("escape", "cancel", "Cancel", key_display="esc", id="customize-cancel"),
    ]

    DEFAULT_CSS = """
    CustomizeScreen {
        align: center middle;
    }
    #customize-box {
        width: 100%;
        max-width: 92;
        height: 1fr;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    #customize-title {
        height: 1;
        text-style: bold;
    }
    #customize-form {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    #customize-form .cz-section {
        margin-top: 1;
        text-style: bold;
        color: $primary;
    }
    #customize-form .cz-row {
        height: auto;
    }
    #customize-form .cz-label {
        width: 12;
    }
    #customize-form .cz-small-label {
        width: auto;
        padding: 0 1 0 2;
    }
    #customize-form .cz-hint {
        color: $text-muted;
        margin-bottom: 1;
    }
    /* Fields sit in a darker well so empty ones can be seen; focus is plain to spot. */
    #customize-form Input {
        width: 10;
        background: $panel;
        &:focus {
            background: $primary 35%;
        }
    }
    #customize-form Select {
        width: 20;
    }
    #customize-form #save-as {
        width: 30;
    }
    #customize-form #start-strikes, #customize-form #end-strikes {
        width: 5;
    }
    #customize-form .breath-grid {
        height: auto;
        margin-bottom: 1;
    }
    #customize-form .breath-grid > Vertical {
        width: auto;
        height: auto;
    }
    #customize-form .breath-grid Input, #customize-form .breath-grid Label {
        margin-right: 1;
    }
    #customize-form .head {
        color: $text-muted;
    }
    #customize-form .w7 { width: 7; }
    #customize-form .w8 { width: 8; }
    #customize-form .w11 { width: 11; }
    #customize-form .noting-row {
        height: 1;
    }
    #customize-form .noting-row .key {
        width: 5;
        margin-right: 1;
    }
    #customize-form .noting-row .note-label {
        width: 26;
        margin-right: 2;
    }
    #customize-form #noting-rows {
        height: auto;
    }
    #note-add {
        margin: 1 0;
    }
    #customize-problems {
        height: auto;
        max-height: 6;
        overflow-y: auto;
        border-top: hkey $panel;
    }
    #customize-problems.bad {
        color: $warning;
    }
    #customize-problems.good {
        color: $success;
    }
    #customize-buttons {
        height: 1;
        align-horizontal: right;
    }
    #customize-buttons Button {
        margin-left: 2;
    }
    """

    def __init__(
        self,
        practice: Practice,
        paths: Paths,
        sounds: Collection[str],
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.practice = practice
        self.paths = paths
        self.sounds = frozenset(sounds)
        self.today = today
        self.candidate: Candidate | None = None
        self._rows = 0  # noting rows made so far; gives each a unique id

    # -- compose --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """Title, the scrolling form, the live check and the buttons."""
        with Vertical(id="customize-box"):
            yield Static(Text(f"Customize: {self.practice.title}"), id="customize-title")
            with VerticalScroll(id="customize-form"):
                yield from self._save_as()
                yield from self._length()
                for index, seg in enumerate(self.practice.segments):
                    if seg.kind == "breath" and seg.pattern is not None:
                        yield from self._breath(index, seg)
                yield from self._bells()
                yield from self._noting()
            yield Static(id="customize-problems")
            with Horizontal(id="customize-buttons"):
                yield Button("Save", id="customize-save", variant="primary", compact=True)
                yield Button("Cancel", id="customize-cancel", compact=True)
        yield Footer()

    def _save_as(self) -> ComposeResult:
        with Horizontal(classes="cz-row"):
            yield Label("Save as", classes="cz-label")
            yield Input(
                self.practice.id,
                id="save-as",
                compact=True,
                max_length=64,
                tooltip="The practice's id and file name: letters, digits, - and _",
            )
        yield Static(id="save-hint", classes="cz-hint")

    def _length(self) -> ComposeResult:
        with Horizontal(classes="cz-row"):
            yield Label("Length", classes="cz-label")
            yield Input(
                length_field(self.practice),
                id="length",
                compact=True,
                tooltip="Minutes (10), or a length like 7m30s",
            )
            yield Label("minutes, or like 7m30s", classes="cz-small-label head")
        yield Static(
            "Every part stretches or shrinks in proportion; breath patterns keep their pace.",
            classes="cz-hint",
        )

    def _breath(self, index: int, seg: Segment) -> ComposeResult:
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
                    now = {
                        "in": pattern.inhale,
                        "top_up": pattern.top_up,
                        "hold": pattern.hold,
                        "out": pattern.exhale,
                        "hold_out": pattern.hold_out,
                    }[key]
                    yield Input(
                        _field_text(now),
                        id=f"seg-{index}-{key}",
                        classes=f"w{width}",
                        compact=True,
                        tooltip=f"Pattern: {PHASE_WORDS[key]}",
                    )
                    later = 0.0
                    if to is not None:
                        later = {
                            "in": to.inhale,
                            "top_up": to.top_up,
                            "hold": to.hold,
                            "out": to.exhale,
                            "hold_out": to.hold_out,
                        }[key]
                    yield Input(
                        _field_text(later),
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

    def _sound_options(self, *current: str) -> list[tuple[str, str]]:
        names = ["none", *sorted(self.sounds - {"none"})]
        for name in current:
            if name not in names:
                names.append(name)  # keep what the file says, even if it is not installed
        return [(name, name) for name in names]

    def _bells(self) -> ComposeResult:
        bells = self.practice.bells
        options = self._sound_options(bells.start, bells.end, bells.interval_sound)
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

    def _noting(self) -> ComposeResult:
        yield Static("Noting keys", classes="cz-section")
        yield Static(
            f"A key and the word it notes. The session uses {taken_keys()}.", classes="cz-hint"
        )
        with Vertical(id="noting-rows"):
            for key, label in self.practice.noting:
                yield self._noting_row(key, label)
        yield Button("Add a key", id="note-add", compact=True)

    def _noting_row(self, key: str, label: str) -> Horizontal:
        self._rows += 1
        n = self._rows
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

    # -- reading the form -------------------------------------------------------------------
    def _text(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def values(self) -> FormValues:
        """What the form says now."""
        patterns: dict[int, dict[str, str]] = {}
        for index, seg in enumerate(self.practice.segments):
            if seg.kind != "breath" or seg.pattern is None:
                continue
            fields = {}
            for key, _, _ in PATTERN_COLUMNS:
                fields[key] = self._text(f"#seg-{index}-{key}")
                fields[f"ramp_{key}"] = self._text(f"#seg-{index}-ramp_{key}")
            fields["over"] = self._text(f"#seg-{index}-over")
            patterns[index] = fields
        bells = {
            "start": str(self.query_one("#start", Select).value),
            "start_strikes": self._text("#start-strikes"),
            "end": str(self.query_one("#end", Select).value),
            "end_strikes": self._text("#end-strikes"),
            "interval": self._text("#interval"),
            "interval_sound": str(self.query_one("#interval-sound", Select).value),
        }
        noting = [
            (row.query_one(".key", Input).value, row.query_one(".note-label", Input).value)
            for row in self.query(".noting-row")
        ]
        return FormValues(
            save_as=self._text("#save-as"),
            length=self._text("#length"),
            patterns=patterns,
            bells=bells,
            noting=noting,
        )

    def target(self, practice_id: str) -> Path:
        """Where a practice with this id is saved."""
        return self.paths.practices_dir / f"{practice_id}.toml"

    def recheck(self) -> Candidate:
        """Check the form with the loader and show the result; Save is enabled only when clean."""
        candidate = build_candidate(self.practice, self.values(), self.sounds)
        self.candidate = candidate
        box = self.query_one("#customize-problems", Static)
        if candidate.ok and candidate.practice is not None:
            total = candidate.practice.total
            length = "open" if total is None else format_duration(float(round(total)))
            box.update(Text(f"Ready to save: {length}. Ctrl+S saves, escape cancels."))
            box.set_classes("good")
        else:
            box.update(Text("\n".join(candidate.problems)))
            box.set_classes("bad")
        self.query_one("#customize-save", Button).disabled = not candidate.ok
        self._hint(candidate)
        return candidate

    def _hint(self, candidate: Candidate) -> None:
        hint = self.query_one("#save-hint", Static)
        if not SAFE_ID.match(self._text("#save-as").strip()):
            hint.update("")
            return
        path = self.target(candidate.practice_id)
        bundled = self.paths.bundled_practices / path.name
        # The file name only: the full path is in the notice after saving, and a long
        # path would wrap over three lines at 80 columns.
        if path.exists():
            words = f"Replaces your {path.name} (the old one is kept as {path.name}.bak)."
        elif bundled.is_file():
            words = f"Saves {path.name} in your practices folder, in place of the bundled one."
        else:
            words = f"Saves a new practice, {path.name}, in your practices folder."
        hint.update(Text(words))

    # -- events and actions -----------------------------------------------------------------
    def on_mount(self) -> None:
        """Check the untouched form (so Save starts in the right state) and focus the first field."""
        self.recheck()
        self.query_one("#save-as", Input).focus()

    def on_input_changed(self, _: Input.Changed) -> None:
        """Every keystroke re-checks; the loader is fast enough for that."""
        if self.is_mounted:
            self.recheck()

    def on_select_changed(self, _: Select.Changed) -> None:
        """A new sound re-checks."""
        if self.is_mounted:
            self.recheck()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves on to the next field, as in a paper form."""
        event.stop()
        self.focus_next()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        """Save, cancel, add or remove a noting key."""
        event.stop()
        button = event.button.id or ""
        if button == "customize-save":
            self.action_save()
        elif button == "customize-cancel":
            self.action_cancel()
        elif button == "note-add":
            row = self._noting_row("", "")
            await self.query_one("#noting-rows", Vertical).mount(row)
            row.query_one(".key", Input).focus()
            row.scroll_visible()
            self.recheck()
        elif button.startswith("note-remove-"):
            row_id = "note-row-" + button[len("note-remove-") :]
            await self.query_one(f"#{row_id}").remove()
            self.recheck()

    def action_save(self) -> None:
        """Write the user copy and close; does nothing while the form has problems."""
        candidate = self.recheck()
        if not candidate.ok or candidate.data is None:
            self.app.bell()
            return
        path = self.target(candidate.practice_id)
        bundled = (self.paths.bundled_practices / path.name).is_file()
        header = save_header(self.practice, candidate.practice_id, bundled, self.today())
        if (self.paths.practices_dir / PRACTICE_SCHEMA).is_file():
            header = f"#:schema ./{PRACTICE_SCHEMA}\n{header}"  # editors complete from it
        try:
            backup = write_practice(path, candidate.data, header)
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            box = self.query_one("#customize-problems", Static)
            box.update(Text(f"{path}: cannot be written ({reason}); see `companion paths`."))
            box.set_classes("bad")
            return
        kept = f"; the old version is kept as {backup.name}" if backup is not None else ""
        self.app.notify(f"Saved {path}{kept}.", title="Customize", markup=False)
        self.dismiss(path)

    def action_cancel(self) -> None:
        """Close without writing anything."""
        self.dismiss(None)
