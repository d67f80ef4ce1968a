"""Customize a practice: a form for the common changes, checked live by the real loader.

The form never judges a value itself where the loader can: every field is written into
the practice's own TOML data and run through `parse_practice`, so the lines shown here are
the ones `companion validate` would print (practice/edit.py builds and checks it). Save
writes a user copy (atomic, with a .bak of a file it replaces) and dismisses with the path
written; escape dismisses with None.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from companion.paths import Paths
from companion.practice.durations import format_duration
from companion.practice.edit import (
    Candidate,
    FormValues,
    app_header,
    build_candidate,
    copy_text,
    length_field,
    replaces_bundled,
    save_user_copy,
    taken_keys,
    user_file,
)
from companion.practice.model import Practice, is_name
from companion.ui.screens.customize_fields import (
    PATTERN_COLUMNS,
    bell_fields,
    breath_fields,
    noting_row,
)


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
                        yield from breath_fields(index, seg)
                yield from bell_fields(self.practice.bells, self.sounds)
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
        return noting_row(self._rows, key, label)

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
        if not is_name(self._text("#save-as").strip()):
            hint.update("")
            return
        path = user_file(self.paths, candidate.practice_id)
        # The file name only: the full path is in the notice after saving, and a long
        # path would wrap over three lines at 80 columns.
        if path.exists():
            words = f"Replaces your {path.name} (the old one is kept as {path.name}.bak)."
        elif replaces_bundled(self.paths, candidate.practice_id):
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
        path = user_file(self.paths, candidate.practice_id)
        header = app_header(self.paths, self.practice, candidate.practice_id, self.today())
        try:
            backup = save_user_copy(
                self.paths, candidate.practice_id, copy_text(candidate.data, header)
            )
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
