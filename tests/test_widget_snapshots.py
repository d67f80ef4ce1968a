"""SVG snapshots of the practice widgets at fixed moments (review the SVGs before committing)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from companion.engine.notes import Note
from companion.practice.noting import DEFAULT_NOTING
from companion.ui.widgets.body_figure import BodyFigure
from companion.ui.widgets.body_map import BodyMap
from companion.ui.widgets.breath_guide import BreathGuide
from companion.ui.widgets.noting_panel import NotingPanel
from companion.ui.widgets.phrase_view import PhraseView
from tests.support import BOX_AFTER_SETTLE, PHRASES, SCAN_DOWN, WidgetApp, state_feed, timeline_of

NOTES = [
    Note(5, "t", "thinking", 0),
    Note(30, "f", "feeling", 0),
    Note(31, "t", "thinking", 0),
    Note(70, "h", "hearing", 0),
    Note(118, "t", "thinking", 0),
]


def test_breath_guide_mid_inhale(snap_compare: Any) -> None:
    app = WidgetApp(BreathGuide(), state_feed(timeline_of(BOX_AFTER_SETTLE).state_at(22.0)))
    assert snap_compare(app, terminal_size=(80, 30))


def test_breath_guide_reduce_motion(snap_compare: Any) -> None:
    app = WidgetApp(BreathGuide(reduce_motion=True), state_feed(timeline_of(BOX_AFTER_SETTLE).state_at(22.0)))
    assert snap_compare(app, terminal_size=(80, 30))


def test_body_figure_mid_scan(snap_compare: Any) -> None:
    app = WidgetApp(BodyFigure(), state_feed(timeline_of(SCAN_DOWN).state_at(100.0)))
    assert snap_compare(app, terminal_size=(80, 30))


def test_phrase_view(snap_compare: Any) -> None:
    app = WidgetApp(PhraseView(), state_feed(timeline_of(PHRASES).state_at(15.0)))
    assert snap_compare(app, terminal_size=(60, 12))


def test_noting_panel_with_notes(snap_compare: Any) -> None:
    app = WidgetApp(NotingPanel(DEFAULT_NOTING), lambda w: w.set_notes(NOTES, 119.5, 300.0))  # type: ignore[attr-defined]
    assert snap_compare(app, terminal_size=(30, 20))


def test_body_map(snap_compare: Any) -> None:
    counts = {
        "head": Counter(thinking=1),
        "hands": Counter(thinking=3, feeling=1),
        "belly": Counter(feeling=1),
        "feet": Counter(hearing=2),
    }
    app = WidgetApp(BodyMap(counts), lambda w: w.redraw())  # type: ignore[attr-defined]
    assert snap_compare(app, terminal_size=(70, 24))
