"""The first-frame, memory and key-latency baseline: a bare Textual app showing one line.

It imports only Textual, so the gap between it and companion's first frame is the cost of
companion's own imports, file loading and screen building (bench/run.py compares the two).
Pressing t counts on the same line ("t pressed 3"), so the time from a key to the screen in
a Textual app that does nothing else is measured the same way as companion's noting keys.
Quit with q or ctrl+c.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

MARKER = "Hello from a bare Textual app"


class BareApp(App[None]):
    """One line of text, and a count of t presses on it."""

    BINDINGS: ClassVar[list[BindingType]] = [("q", "quit", "Quit"), ("t", "count", "Count")]

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def compose(self) -> ComposeResult:
        """The single line bench/run.py waits for."""
        yield Static(MARKER)

    def action_count(self) -> None:
        """Show one more press."""
        self.presses += 1
        self.query_one(Static).update(f"{MARKER} · t pressed {self.presses}")


if __name__ == "__main__":
    BareApp().run()
