"""Reading what a Textual app shows, through public API only, and hosting one widget."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.theme import Theme
from textual.widget import Widget

from companion.engine.state import State


def screen_text(app: App[Any]) -> str:
    """The visible text of the app's screen, one line per row (from its public SVG screenshot)."""
    runs = [
        (float(x), float(length), int(line), html.unescape(text).replace("\xa0", " "))
        for x, length, line, text in _TEXT.findall(app.export_screenshot())
        if text != "\n"  # a line break Rich keeps as text when a row fills the width
    ]
    # Mid-resize the screen may still be drawn at its old size: take whichever is larger.
    width = max([app.size.width, *(round(x / (n / len(t))) + cell_len(t) for x, n, _, t in runs)])
    height = max([app.size.height, *(line + 1 for _, _, line, _ in runs)])
    rows = [[" "] * width for _ in range(height)]
    for x, length, line, text in runs:
        col = round(x / (length / len(text)))
        for char in text:
            rows[line][col] = char
            for extra in range(col + 1, col + cell_len(char)):
                rows[line][extra] = ""  # the second cell of a wide character
            col += cell_len(char)
    mine = "\n".join("".join(row) for row in rows)
    return mine


# One run of text in Rich's SVG export: its x, its length, its row and the text itself.
_TEXT = re.compile(
    r'<text class="[^"]*" x="([0-9.]+)" y="[0-9.]+" textLength="([0-9.]+)" '
    r'clip-path="url\(#[^)]*-line-([0-9]+)\)">([^<]*)</text>'
)


def record_toasts(app: App[Any]) -> list[tuple[str, str]]:
    """Keep (message, severity) of every notice the app shows (still shown as usual)."""
    told: list[tuple[str, str]] = []
    notify = app.notify

    def recording(message: Any, *args: Any, **kwargs: Any) -> None:
        told.append((str(message), str(kwargs.get("severity", "information"))))
        notify(message, *args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return told


def record_notices(app: Any) -> list[str]:
    """Keep every notice the app shows (still shown as usual) in the returned list."""
    told: list[str] = []
    notify = app.notify

    def recording(message: Any, *args: Any, **kwargs: Any) -> None:
        told.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording
    return told


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
