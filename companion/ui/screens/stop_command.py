"""Asked when a practice ends before the command `run --until` waits for: stop it too?"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.screen import ModalScreen
from textual.widgets import Static


class StopCommandScreen(ModalScreen[bool]):
    """y stops the command, n (or escape) lets it run on; dismissed with the choice."""

    WHERE = "stop-command"
    DEFAULT_CSS = """
    StopCommandScreen { align: center middle; }
    #stop-command-text { width: auto; max-width: 90%; padding: 1 4; background: $panel; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "choose(True)", "Stop it", id="stop-command-yes"),
        Binding("n,escape", "choose(False)", "Let it run", id="stop-command-no"),
    ]

    def __init__(self, command: str, log: Path) -> None:
        super().__init__()
        self.command = command
        self.log_file = log

    def compose(self) -> ComposeResult:
        """The question, centred."""
        text = Text()
        text.append(f"`{self.command}` is still running.\n\n", style="bold")
        text.append(f"Its output goes to {self.log_file}\n\n")
        text.append("Stop it too?   y  stop it    n  let it run")
        with Middle(), Center():
            yield Static(text, id="stop-command-text")

    def action_choose(self, stop: bool) -> None:
        """Answer and close."""
        self.dismiss(stop)
