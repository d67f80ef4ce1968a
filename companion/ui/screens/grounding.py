"""The grounding pause: a quiet screen with an anchor that has nothing to do with the breath."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import ModalScreen
from textual.widgets import Static

GROUNDING = """\
The practice is paused.

Feel your feet on the floor.
Feel the weight of your body on the seat.
Listen for the sounds in the room, near and far.

Nothing else to do. Stay as long as you like.

Any key carries on."""


class GroundingScreen(ModalScreen[None]):
    """Shown over a paused practice; any key returns."""

    WHERE = "grounding"

    def compose(self) -> ComposeResult:
        """The anchor, centred."""
        with Middle(), Center():
            yield Static(GROUNDING, id="grounding-text")

    def on_key(self, event: events.Key) -> None:
        """Any key goes back to the practice."""
        event.stop()
        event.prevent_default()
        self.dismiss(None)
