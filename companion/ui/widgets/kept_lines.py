"""Widgets that keep their finished lines between repaints of the screen around them.

Textual asks every widget under a changed region for all of its lines on every update,
and each answer walks the styles, the line cache and the filters again: for the practice
screen's still parts (the screen's background, the body around the visuals, the header
and the cue) that was about a fifth of a moving guide's main-thread time (py-spy, issue
18). Their lines change only when they are refreshed (new words, a selection), restyled
(a theme) or resized, so the lines from the last answer are given again until then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from textual.containers import Vertical
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

if TYPE_CHECKING:
    _Base = Widget
else:
    # A plain mixin at run time: Textual takes a widget's CSS type and default CSS from its
    # first base that is a DOM node, so a Widget here would hide Screen's or Static's.
    _Base = object


class KeptLines(_Base):
    """Mixin: the last lines asked for are kept until a refresh, a restyle or a new crop."""

    _kept_key: tuple[Any, ...] | None = None
    _kept_lines: list[Strip] = []  # noqa: RUF012  # replaced, never changed in place

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in crop: kept ones while nothing that draws them has changed."""
        key = (crop, self.size, tuple(self.app.get_line_filters()))
        if key == self._kept_key:
            return list(self._kept_lines)
        lines = super().render_lines(crop)
        self._kept_key, self._kept_lines = key, list(lines)
        return lines

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        """Forget the kept lines, then refresh as Textual does."""
        self._kept_key = None
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def notify_style_update(self) -> None:
        """A theme or CSS change: the kept lines are stale."""
        self._kept_key = None
        super().notify_style_update()


class KeptStatic(KeptLines, Static):
    """A Static that keeps its lines (see KeptLines)."""


class KeptVertical(KeptLines, Vertical):
    """A Vertical container that keeps its (background) lines (see KeptLines)."""
