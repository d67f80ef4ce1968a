"""The optional check-in: one question, five words, before and after a practice.

Dismisses with the scale value (1..5) of the word chosen, or None when escape skips it.
The words are shown, never the numbers: it is a way of noticing, not a grade.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.color import Color
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from companion.journal.checkin import QUESTIONS, SCALE
from companion.ui.bindings import bindings_for

MIDDLE = SCALE[len(SCALE) // 2][0]  # the highlight starts on the neutral word
NARROW = 64  # below this width the words stand in a column
DIM = 0.75  # how much of the screen below is hidden behind the question
HINT = "← → to choose, enter to keep, esc to skip"


class ScaleWord(Static):
    """One word of the scale; a click chooses it."""

    def __init__(self, value: int, word: str) -> None:
        super().__init__(word, id=f"checkin-{value}", classes="checkin-word")
        self.value = value


class CheckInScreen(ModalScreen[int | None]):
    """Asks how you are arriving, or how you are now, on a scale of words."""

    WHERE = "checkin"
    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("checkin"))

    DEFAULT_CSS = """
    CheckInScreen {
        align: center middle;
    }
    #checkin-box {
        width: auto;
        max-width: 100%;
        height: auto;
        border: round $primary 60%;
        background: $surface;
        padding: 1 3;
    }
    #checkin-question {
        width: 100%;
        text-align: center;
        margin-bottom: 1;
    }
    #checkin-scale {
        width: auto;
        height: auto;
    }
    .checkin-word {
        width: auto;
        padding: 0 2;
        color: $text-muted;
    }
    .checkin-word.-chosen {
        color: $text;
        background: $primary 30%;
        text-style: bold;
    }
    #checkin-hint {
        width: 100%;
        text-align: center;
        margin-top: 1;
        color: $text-muted;
    }
    CheckInScreen.narrow #checkin-scale {
        layout: vertical;
    }
    CheckInScreen.narrow .checkin-word {
        width: 100%;
        text-align: center;
    }
    """

    def __init__(self, when: str) -> None:
        super().__init__()
        self.when = when
        self.value = MIDDLE

    def compose(self) -> ComposeResult:
        """The question, the words in a row, and how to answer."""
        with Vertical(id="checkin-box"):
            yield Static(QUESTIONS[self.when], id="checkin-question")
            with Horizontal(id="checkin-scale"):
                for value, word in SCALE:
                    yield ScaleWord(value, word)
            yield Static(HINT, id="checkin-hint")

    def on_mount(self) -> None:
        """Show the starting word over a dimmed view of the screen below."""
        # Inline, because the app's `Screen { background }` outranks any DEFAULT_CSS here.
        background = self.app.get_css_variables().get("background", "black")
        self.styles.background = Color.parse(background).with_alpha(DIM)
        self._show()

    def on_resize(self, event: events.Resize) -> None:
        """A column of words when a row would not fit."""
        self.set_class(event.size.width < NARROW, "narrow")

    def _show(self) -> None:
        for word in self.query(ScaleWord):
            word.set_class(word.value == self.value, "-chosen")

    def on_key(self, event: events.Key) -> None:
        """1 to 5 choose a word at once (the numbers are never shown)."""
        values = {str(value) for value, _ in SCALE}
        if event.character in values:
            event.stop()
            self.dismiss(int(event.character))

    def on_click(self, event: events.Click) -> None:
        """A click on a word chooses it."""
        if isinstance(event.widget, ScaleWord):
            self.dismiss(event.widget.value)

    def action_move(self, step: int) -> None:
        """The word before or after (the ends do not wrap round)."""
        values = [value for value, _ in SCALE]
        index = values.index(self.value) + step
        self.value = values[min(max(index, 0), len(values) - 1)]
        self._show()

    def action_keep(self) -> None:
        """Keep the highlighted word."""
        self.dismiss(self.value)

    def action_skip(self) -> None:
        """No answer this time; nothing is recorded."""
        self.dismiss(None)
