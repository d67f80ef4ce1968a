"""The home screen's timer: minutes and an interval chosen with a few keys, then Enter sits.

Left and right (or - and +) change the minutes; i steps through the interval bells; Enter
starts a quiet sitting built by companion.practice.timer, journalled as `timer` like any
practice; Escape goes back.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Center, Middle
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from companion.practice.timer import TimerChoice, describe, timer_practice
from companion.ui.bindings import bindings_for

MINUTES = (1, 3, 5, 10, 15, 20, 25, 30, 40, 45, 60, 90)
INTERVALS: tuple[float | None, ...] = (None, 60.0, 120.0, 300.0, 600.0, 900.0)
PREPARE = 10.0  # seconds to settle before the start bell


class TimerScreen(ModalScreen[None]):
    """Choose the minutes and the interval bells, then sit."""

    WHERE = "timer"
    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("timer"))
    DEFAULT_CSS = """
    TimerScreen { align: center middle; }
    #timer-box { width: 46; height: auto; border: round $primary; padding: 1 2; }
    """

    def __init__(self, minutes: float = 10, interval: float | None = None) -> None:
        super().__init__()
        self.minutes_index = min(range(len(MINUTES)), key=lambda i: abs(MINUTES[i] - minutes))
        self.interval_index = INTERVALS.index(interval) if interval in INTERVALS else 0

    @property
    def choice(self) -> TimerChoice:
        """What Enter would start, the interval left out where it would not fit."""
        minutes = float(MINUTES[self.minutes_index])
        interval = INTERVALS[self.interval_index]
        if interval is not None and interval >= minutes * 60:
            interval = None
        return TimerChoice(minutes=minutes, interval=interval, prepare=PREPARE)

    def compose(self) -> ComposeResult:
        """The choice, and the keys that change it."""
        with Middle(), Center():
            yield Static(self._text(), id="timer-box")
        yield Footer()

    def _text(self) -> str:
        return (
            "Timer\n\n"
            f"{describe(self.choice)}\n"
            f"{PREPARE:g} s to settle, then the bell.\n\n"
            "← → minutes   i interval   enter sit"
        )

    def _show(self) -> None:
        self.query_one("#timer-box", Static).update(self._text())

    def action_minutes(self, step: int) -> None:
        """Fewer or more minutes."""
        self.minutes_index = max(0, min(len(MINUTES) - 1, self.minutes_index + step))
        self._show()

    def action_interval(self) -> None:
        """The next interval: none, 1, 2, 5, 10 or 15 minutes."""
        self.interval_index = (self.interval_index + 1) % len(INTERVALS)
        self._show()

    def action_sit(self) -> None:
        """Start the timer as a practice."""
        from companion.ui.app import companion_app

        practice = timer_practice(self.choice)
        app = companion_app(self)
        self.dismiss(None)
        app.start_practice(practice)

    def action_close(self) -> None:
        """Back to the home screen."""
        self.dismiss(None)
