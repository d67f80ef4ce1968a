"""The summary: how long, whether it completed, and what the notes say."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from companion.engine.notes import counts_by_label, counts_by_region, is_noticing, noticing_words
from companion.journal.checkin import word_for
from companion.practice.durations import clock_text
from companion.sitting import Outcome
from companion.ui.app import companion_app
from companion.ui.bindings import bindings_for
from companion.ui.widgets.body_map import BodyMap
from companion.ui.widgets.note_strip import NoteStrip

WIDE = 80  # at or above this width the body map sits beside the story


class SummaryScreen(Screen[None]):
    """What happened in one practice; a for again, h for home, q to quit."""

    WHERE = "summary"
    # Here, not in app.tcss, so a start parses them only when a summary shows (issue 18).
    # Each selector names the screen: Textual scopes only the last one of a comma list.
    # `#summary-map > .section` stays in app.tcss, the only place it can outrank `.section`.
    DEFAULT_CSS = """
    SummaryScreen #summary {
        layout: horizontal;
        padding: 1 1;
    }
    SummaryScreen #summary-body {
        width: 1fr;
        height: 1fr;
        padding: 0 1 0 2;
    }
    SummaryScreen #summary-map {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
    }
    SummaryScreen.narrow #summary {
        layout: vertical;
    }
    SummaryScreen.narrow #summary-body, SummaryScreen.narrow #summary-map {
        width: 1fr;
    }
    SummaryScreen.narrow #summary-body {
        height: auto;
    }
    SummaryScreen.narrow #summary-map {
        /* What the words leave, but never so little that the figure cannot be read. */
        min-height: 12;
    }
    SummaryScreen #strip {
        height: 3;
    }
    SummaryScreen #bodymap {
        /* The figure scales with the height it is given. */
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("summary"))

    def __init__(self, outcome: Outcome, note: str = "") -> None:
        super().__init__()
        self.outcome = outcome
        self.note = note  # e.g. how the command `run --until` waited for ended
        self.reflection = outcome.reflection
        self.checkin = outcome.checkin
        self.practice = outcome.practice
        self.notes = list(outcome.notes)
        self.practised = outcome.practised
        self.completed = outcome.completed

    def compose(self) -> ComposeResult:
        """Totals, counts and the note strip; the body map beside them (below when narrow)."""
        with VerticalScroll(id="summary"):
            with VerticalScroll(id="summary-body"):
                yield Static(self._story(), id="story")
                if self.notes:
                    yield Static("When the notes came", classes="section")
                    yield NoteStrip(self.notes, self._span(), id="strip")
            regions = counts_by_region(self.notes)
            if regions:
                with Vertical(id="summary-map"):
                    yield Static("Where in the body", classes="section")
                    yield BodyMap(regions, id="bodymap")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        """Side by side when there is room, so the body map can use the full height."""
        self.set_class(event.size.width < WIDE, "narrow")

    def _span(self) -> float:
        """The strip covers the time practised (the whole plan when completed)."""
        return max(self.practised, 1.0)

    def _story(self) -> Text:
        planned = self.outcome.planned
        text = Text()
        text.append(f"{self.practice.title}\n\n", style="bold")
        done = "Completed" if self.completed else "Ended early"
        planned_text = "open" if planned is None else clock_text(planned)
        text.append(f"{done}: practised {clock_text(self.practised)} of {planned_text}.\n")
        if not self.completed:
            text.append("That still counts.\n")
        if self.note:
            text.append(f"{self.note}\n")
        before, after = self.checkin
        if before is not None and after is not None:
            text.append(f"Check-in: {word_for(before)} → {word_for(after)}\n")
        if self.outcome.holds:
            held = "  ".join(clock_text(h) for h in self.outcome.holds)
            text.append(f"Breath held: {held}\n")
        text.append("\n")
        counts = counts_by_label(self.notes)
        if counts:
            text.append(f"Notes: {len(self.notes)}\n", style="bold")
            width = max(len(label) for label in counts)
            for label, n in counts.most_common():
                if not is_noticing(label):
                    text.append(f"  {label:<{width}}  {n:>3}  {'▪' * min(n, 40)}\n")
            noticed = [(label, n) for label, n in counts.most_common() if is_noticing(label)]
            for label, n in noticed:
                text.append(f"  {label:<{width}}  {noticing_words(n)}\n")
            if noticed:
                text.append(
                    "Each time you noticed the critic, you saw a thought as a thought. "
                    "That is the practice, not a tally.\n",
                    style="italic",
                )
        else:
            text.append("No notes taken.\n")
        if self.reflection:
            text.append("\nTo reflect on\n", style="bold")
            text.append(f"{self.reflection.strip()}\n", style="italic")
        return text

    def action_again(self) -> None:
        """The same practice once more."""
        companion_app(self).start_practice(self.practice)

    def action_home(self) -> None:
        """Back to the home screen."""
        companion_app(self).go_home()

    def action_quit(self) -> None:
        """Leave the app."""
        self.app.exit(0)
