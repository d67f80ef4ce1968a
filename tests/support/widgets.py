"""Tiny apps and practices for testing the practice widgets on their own."""

from __future__ import annotations

import tomllib
from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.theme import Theme
from textual.widget import Widget

from companion.engine.state import State
from companion.engine.timeline import Timeline, build_timeline
from companion.practice.load import parse_practice

BOX = """
title = "Box"
[[segment]]
kind = "settle"
duration = "20s"
[[segment]]
kind = "breath"
duration = "2m"
pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }
"""

RAMP = """
title = "Ramp"
[[segment]]
kind = "breath"
duration = "2m"
pattern = { in = 4, out = 4 }
ramp = { to = { in = 5, out = 6 }, over = "1m" }
"""

TONGLEN = """
title = "Tonglen"
[[segment]]
kind = "breath"
duration = "1m"
pattern = { in = 5, out = 5 }
labels = { in = "Breathe in what is heavy", out = "Breathe out relief" }
"""

SCAN_DOWN = """
title = "Scan"
[[segment]]
kind = "body_scan"
duration = "5m"
prompts = ["Notice whatever is here.", "Let the attention rest here, softly and kindly."]
"""

SCAN_UP = """
title = "Scan up"
[[segment]]
kind = "body_scan"
duration = "5m"
direction = "up"
"""

PHRASES = """
title = "Kindness"
[[segment]]
kind = "phrases"
duration = "2m"
recipient = "yourself"
every = "10s"
phrases = ["May I be safe", "May I be happy", "May I live with ease"]
"""


def timeline(text: str) -> Timeline:
    """The timeline of a practice written inline."""
    practice = parse_practice(tomllib.loads(text), path="t.toml", practice_id="t")
    return build_timeline(practice)


CALM = Theme(
    name="widget-test-calm",
    primary="#5fa8b8",
    accent="#7cc4c4",
    background="#141c22",
    surface="#1a242b",
    foreground="#c9d4d8",
    dark=True,
)


class WidgetApp(App[None]):
    """Hosts one widget full screen and feeds it a state once mounted."""

    def __init__(self, widget: Widget, feed: Callable[[Widget], None] | None = None) -> None:
        super().__init__()
        self.widget = widget
        self.feed = feed
        # A calm teal theme like the app's, so snapshots show the intended look.
        self.register_theme(CALM)
        self.theme = CALM.name

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_mount(self) -> None:
        # Feed after the first layout so the widget knows its size.
        if self.feed is not None:
            feed = self.feed
            self.call_after_refresh(lambda: feed(self.widget))


def state_feed(state: State) -> Callable[[Widget], None]:
    """A feed that passes one state to a widget's update_from."""

    def feed(widget: Widget) -> None:
        widget.update_from(state)  # type: ignore[attr-defined]

    return feed
