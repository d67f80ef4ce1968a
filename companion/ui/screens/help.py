"""The keys for the screen you came from, as the user's config has them."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Center, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from companion.ui.app import companion_app
from companion.ui.bindings import bindings_for, specs_for


class HelpScreen(ModalScreen[None]):
    """A table of keys; escape, q or ? closes it."""

    WHERE = "help"
    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings_for("help"),
        ("q,question_mark", "close", "Close"),
    ]

    def __init__(self, where: str, noting: dict[str, str] | None = None) -> None:
        super().__init__()
        self.where = where
        self.noting = noting or {}

    def compose(self) -> ComposeResult:
        """The table of keys."""
        with Center(), VerticalScroll(id="help-box"):
            yield Static(self._table(), id="help-table")

    def _table(self) -> Table:
        keymap = companion_app(self).keymap
        table = Table(title="Keys", box=None, show_header=False, padding=(0, 2))
        table.add_column(justify="right", style="bold")
        table.add_column()
        for spec in specs_for(self.where):
            key = keymap.get(spec.id) or spec.key_display or spec.key
            table.add_row(key, spec.description)
        if self.noting and self.where == "practice":
            table.add_row("", "")
            table.add_row("", "Noting keys")
            for key, label in self.noting.items():
                table.add_row(key, label)
            table.add_row("backspace", "undo the last note")
        table.add_row("", "")
        for spec in specs_for("app"):  # keys that work on every screen
            table.add_row(keymap.get(spec.id) or spec.key_display or spec.key, spec.description)
        table.add_row("ctrl+q", "quit the app")
        return table

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss(None)
