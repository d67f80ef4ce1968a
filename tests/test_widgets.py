"""The practice widgets: drawing functions, and the widgets fed states from real timelines."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from companion.engine.notes import Note
from companion.practice.noting import DEFAULT_NOTING
from companion.ui.widgets.body_figure import BodyFigure
from companion.ui.widgets.body_map import BodyMap, region_levels
from companion.ui.widgets.braille import circle_cells, core_mask, dot_count, raster, ring_cells
from companion.ui.widgets.breath_guide import RADIUS_STEP, BreathGuide, orb_radius, orb_rows
from companion.ui.widgets.figure import band_row, figure_rows, figure_width, region_rows
from companion.ui.widgets.note_strip import NoteStrip, density_glyph, strip_cells
from companion.ui.widgets.noting_panel import NotingPanel, ack_opacity
from companion.ui.widgets.phrase_view import PhraseView, fade_level, recipient_line
from companion.ui.widgets.progress_line import ProgressLine, progress_cells
from tests.support import (
    BOX_AFTER_SETTLE,
    PHRASES,
    RAMP,
    SCAN_DOWN,
    SCAN_UP,
    TONGLEN,
    WidgetApp,
    timeline_of,
)

# -- pure drawing -------------------------------------------------------------------------


def test_circle_cells_fill_the_block_and_grow_with_radius() -> None:
    small, big = circle_cells(4, 20, 8), circle_cells(12, 20, 8)
    assert len(small) == 8 and all(len(r) == 20 for r in small)
    assert 0 < dot_count(small) < dot_count(big)
    # A disc of radius r dots has about pi r^2 dots.
    assert abs(dot_count(big) - 3.1416 * 144) < 0.1 * 3.1416 * 144


def test_circle_is_symmetric() -> None:
    rows = circle_cells(9, 12, 6)
    assert rows[0] != " " * 12 or rows[-1] == " " * 12
    assert dot_count(rows[:3]) == dot_count(rows[3:])


def test_ring_is_thinner_than_disc() -> None:
    assert 0 < dot_count(ring_cells(10, 20, 8)) < dot_count(circle_cells(10, 20, 8)) / 3


def test_orb_radius_never_vanishes_and_moves_in_quarter_dots() -> None:
    assert orb_radius(0.0, 40) == 8
    assert orb_radius(1.0, 40) == 40
    assert orb_radius(0.37, 40) * 4 == int(orb_radius(0.37, 40) * 4)
    # Fine enough that a mid-breath change of one frame (size +1.3%) still moves the edge.
    assert orb_radius(0.5, 40) != orb_radius(0.513, 40)


@pytest.mark.parametrize("rows", [4, 8, 16, 30, 60])
def test_figure_scales_with_rows(rows: int) -> None:
    art = figure_rows(rows)
    assert len(art) == rows
    assert {len(r) for r in art} == {figure_width(rows)}
    assert dot_count(art[:1]) > 0 and dot_count(art[-1:]) > 0  # crown and soles are drawn


def test_figure_has_a_gap_between_the_legs_and_is_symmetric() -> None:
    art = figure_rows(32)
    knee = art[int(0.7 * 32)]
    middle = len(knee) // 2
    assert knee[middle] == " " or knee[middle - 1] == " "
    left, right = dot_count([r[:middle] for r in art]), dot_count([r[middle:] for r in art])
    assert abs(left - right) <= 0.05 * left


def test_region_rows_and_band_row() -> None:
    assert region_rows("head", 20) == range(0, 2)
    assert region_rows("feet", 20)[-1] == 19
    assert region_rows("whole body", 20) == range(20)
    assert region_rows("nowhere", 20) == range(0)
    assert band_row(0.0, 20) == 0 and band_row(1.0, 20) == 19 and band_row(0.5, 21) == 10


def test_strip_cells_and_glyphs() -> None:
    notes = [Note(0, "t", "thinking", 0), Note(1, "t", "thinking", 0), Note(99, "f", "feeling", 0)]
    cells = strip_cells(notes, 100.0, 10)
    assert cells[0] == (2, "thinking") and cells[9] == (1, "feeling")
    assert sum(c for c, _ in cells) == 3
    assert density_glyph(0) == " " and density_glyph(1) != density_glyph(2)


def test_fades_are_quantised() -> None:
    assert fade_level(0.0) == 0.0 and fade_level(0.5) == 1.0 and fade_level(1.0) == 0.0
    assert len({fade_level(i / 1000) for i in range(1001)}) <= 9
    assert fade_level(0.0, reduce_motion=True) == 1.0
    assert ack_opacity(0.5) == 1.0 and ack_opacity(3.0) == 0.0 and 0 < ack_opacity(2.5) < 1
    assert recipient_line("yourself") == "for yourself"
    assert recipient_line("for a friend") == "for a friend"


def test_progress_cells() -> None:
    assert progress_cells(50, [25, 75], 100, 20) == (10, frozenset({5, 15}))
    assert progress_cells(200, [], 100, 20)[0] == 20


def test_region_levels_relative_to_busiest() -> None:
    levels = region_levels({"hands": Counter(thinking=6), "feet": Counter(hearing=1)})
    assert levels == {"hands": 3, "feet": 1}


# -- widgets in a tiny app ----------------------------------------------------------------


async def test_breath_orb_grows_in_rests_on_hold_shrinks_out() -> None:
    tl = timeline_of(BOX_AFTER_SETTLE)
    guide = BreathGuide()
    async with WidgetApp(guide).run_test(size=(80, 30)) as pilot:
        await pilot.pause()

        def radius_at(t: float) -> float:
            guide.update_from(tl.state_at(t))
            return guide.radius

        start = 20.0  # the box segment follows a 20 s settle
        inhale = [radius_at(start + 0.1 + i * 0.38) for i in range(11)]
        assert inhale == sorted(inhale) and inhale[-1] > inhale[0]
        hold = {radius_at(start + 4.1 + i * 0.35) for i in range(11)}
        assert len(hold) == 1
        exhale = [radius_at(start + 8.1 + i * 0.38) for i in range(11)]
        assert exhale == sorted(exhale, reverse=True) and exhale[0] > exhale[-1]
        assert guide.text_lines  # something was drawn


async def test_phase_words_seconds_and_cycle() -> None:
    tl = timeline_of(BOX_AFTER_SETTLE)
    guide = BreathGuide()
    async with WidgetApp(guide).run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        expected = {
            21.0: "Breathe in",
            25.0: "Hold",
            29.5: "Breathe out",
            33.0: "Hold",
            37.0: "Breathe in",
        }
        for t, word in expected.items():
            guide.update_from(tl.state_at(t))
            text = "\n".join(guide.text_lines)
            assert word in text, (t, text)
        guide.update_from(tl.state_at(36.2))
        assert "4 · breath 2" in "\n".join(guide.text_lines)
        assert tl.state_at(5.0).breath is None  # settling is unpaced: nothing to draw


async def test_ramp_shows_pattern_and_labels_replace_words() -> None:
    guide = BreathGuide()
    async with WidgetApp(guide).run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        guide.update_from(timeline_of(RAMP).state_at(0.5))
        assert "pattern 4-0-4-0" in "\n".join(guide.text_lines)
        guide.update_from(timeline_of(TONGLEN).state_at(6.0))
        assert "Breathe out relief" in "\n".join(guide.text_lines)


async def test_unchanged_state_does_not_repaint() -> None:
    tl = timeline_of(BOX_AFTER_SETTLE)
    guide = BreathGuide()
    async with WidgetApp(guide).run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        guide.update_from(tl.state_at(25.0))  # a hold: nothing moves
        before, signature = guide.repaints, guide.frame_signature
        for i in range(20):
            guide.update_from(tl.state_at(25.01 + i * 0.01))
        assert guide.repaints == before and guide.frame_signature == signature


async def test_reduce_motion_keeps_a_still_outline_and_fills_a_bar() -> None:
    tl = timeline_of(BOX_AFTER_SETTLE)
    guide = BreathGuide(reduce_motion=True)
    async with WidgetApp(guide).run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        radii, bars = set(), []
        for i in range(8):
            guide.update_from(tl.state_at(20.2 + i * 0.5))
            radii.add(guide.radius)
            bars.append("\n".join(guide.text_lines).count("━"))
        assert len(radii) == 1
        assert bars == sorted(bars) and bars[-1] > bars[0]
        guide.reduce_motion = False
        assert guide.radius != next(iter(radii)) or guide.frame_signature is not None


@pytest.mark.parametrize("size", [(1, 1), (5, 2), (12, 4), (30, 8), (250, 70)])
async def test_widgets_survive_any_size(size: tuple[int, int]) -> None:
    box, scan, phrases = timeline_of(BOX_AFTER_SETTLE), timeline_of(SCAN_DOWN), timeline_of(PHRASES)
    notes = [Note(3, "t", "thinking", 0)]
    for widget, feed in (
        (BreathGuide(), lambda w: w.update_from(box.state_at(22))),
        (BreathGuide(reduce_motion=True), lambda w: w.update_from(box.state_at(22))),
        (BodyFigure(), lambda w: w.update_from(scan.state_at(100))),
        (PhraseView(), lambda w: w.update_from(phrases.state_at(5))),
        (NotingPanel(DEFAULT_NOTING), lambda w: w.set_notes(notes, 4, 60)),
        (ProgressLine([20], 60), lambda w: w.set_time(30)),
        (NoteStrip(notes, 60), lambda w: w.redraw()),
        (BodyMap({"hands": Counter(thinking=2)}), lambda w: w.redraw()),
    ):
        async with WidgetApp(widget, feed).run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert len(widget.text_lines) <= size[1]


@pytest.mark.parametrize(("text", "down"), [(SCAN_DOWN, True), (SCAN_UP, False)])
async def test_scan_band_moves_monotonically(text: str, down: bool) -> None:
    tl = timeline_of(text)
    figure = BodyFigure()
    async with WidgetApp(figure).run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        rows = []
        for i in range(50):
            figure.update_from(tl.state_at(i * 300 / 50))
            rows.append(figure.band_row)
        assert all(r is not None for r in rows)
        assert rows == sorted(rows, reverse=not down)  # type: ignore[type-var]
        assert abs(rows[-1] - rows[0]) > 15  # type: ignore[operator]
        assert "Feet" in "\n".join(figure.text_lines) or "Head" in "\n".join(figure.text_lines)


async def test_scan_figure_is_tall_and_names_the_region() -> None:
    tl = timeline_of(SCAN_DOWN)
    figure = BodyFigure()
    async with WidgetApp(figure).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        figure.update_from(tl.state_at(100))
        text = "\n".join(figure.text_lines)
        assert "Hands" in text and "softly and" in text
        assert len(figure.text_lines) >= 16
        before = figure.repaints
        figure.update_from(tl.state_at(100.01))
        assert figure.repaints == before
        await pilot.resize_terminal(30, 40)  # narrow: the words go below the figure
        await pilot.pause()
        assert "Hands" in "\n".join(figure.text_lines[-6:])


async def test_phrase_changes_at_every_boundary_and_fades() -> None:
    tl = timeline_of(PHRASES)
    view = PhraseView()
    async with WidgetApp(view).run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        seen = []
        for t in (5.0, 15.0, 25.0, 35.0):
            view.update_from(tl.state_at(t))
            seen.append(next(line.strip() for line in view.text_lines if "May" in line))
            assert view.phrase_opacity == 1.0
        assert seen == ["May I be safe", "May I be happy", "May I live with ease", "May I be safe"]
        assert "for yourself" in "\n".join(view.text_lines)
        view.update_from(tl.state_at(10.3))
        assert 0 < view.phrase_opacity < 1
        repaints = view.repaints
        for i in range(100):  # a whole phrase's time: only the fade steps repaint
            view.update_from(tl.state_at(10 + i * 0.1))
        assert view.repaints - repaints <= 17


async def test_noting_panel_counts_and_acknowledges() -> None:
    panel = NotingPanel(DEFAULT_NOTING)
    async with WidgetApp(panel).run_test(size=(30, 20)) as pilot:
        await pilot.pause()
        notes = [
            Note(5, "t", "thinking", 0),
            Note(9, "f", "feeling", 0),
            Note(10, "t", "thinking", 0),
        ]
        panel.set_notes(notes, 10.5, 60.0)
        assert panel.counts["thinking"] == 2 and panel.counts["feeling"] == 1
        assert panel.counts["hearing"] == 0
        assert panel.ack_text == "thinking - noted"
        assert "thinking - noted" in "\n".join(panel.text_lines)
        panel.set_notes(notes, 14.0, 60.0)
        assert panel.ack_text == ""
        before = panel.repaints
        panel.set_notes(notes, 15.0, 60.0)
        assert panel.repaints == before
        await pilot.resize_terminal(100, 5)  # wide and short: the legend flows across
        await pilot.pause()
        assert any("t thinking 2" in line for line in panel.text_lines)


async def test_noting_panel_skips_frames_that_change_nothing() -> None:
    panel = NotingPanel(DEFAULT_NOTING)
    async with WidgetApp(panel).run_test(size=(30, 20)) as pilot:
        await pilot.pause()
        rebuilt: list[float] = []
        redraw = panel.redraw

        def counting() -> None:
            rebuilt.append(panel._now)
            redraw()

        panel.redraw = counting  # type: ignore[method-assign]
        notes = [Note(5, "t", "thinking", 0)]
        panel.set_notes(notes, 5.5, 60.0)
        panel.set_notes(notes, 5.6, 60.0)  # same notes, the acknowledgement fully shown
        assert len(rebuilt) == 1
        panel.set_notes(notes, 7.3, 60.0)  # the fade's first step
        panel.set_notes(notes, 7.4, 60.0)
        assert len(rebuilt) == 2
        notes.append(Note(7.5, "f", "feeling", 0))
        panel.set_notes(notes, 7.5, 60.0)  # a new note
        assert len(rebuilt) == 3 and panel.counts["feeling"] == 1
        panel.set_notes(notes[:1], 7.6, 60.0)  # taken back
        assert len(rebuilt) == 4 and panel.counts["feeling"] == 0


async def test_progress_line_repaints_only_when_cells_change() -> None:
    line = ProgressLine([20.0, 140.0], 160.0)
    async with WidgetApp(line).run_test(size=(80, 3)) as pilot:
        await pilot.pause()
        line.set_time(80.0)
        text = line.text_lines[0]
        assert text.count("┃") == 2 and text.startswith("━") and text.endswith("─")
        before = line.repaints
        line.set_time(80.5)  # 0.5 s is less than one cell (2 s)
        assert line.repaints == before
        line.set_time(83.0)
        assert line.repaints == before + 1
        open_line = ProgressLine([], None)
        await pilot.app.mount(open_line)
        open_line.set_time(75)
        assert "1:15 elapsed" in open_line.text_lines[0]


async def test_body_map_lists_regions_head_to_feet() -> None:
    counts = {"feet": Counter(hearing=2), "hands": Counter(thinking=3, feeling=1)}
    body = BodyMap(counts)
    app = WidgetApp(body, lambda w: w.redraw())  # type: ignore[attr-defined]
    async with app.run_test(size=(70, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        text = "\n".join(body.text_lines)
        assert text.index("hands: thinking 3, feeling 1") < text.index("feet: hearing 2")
        assert body.levels == {"hands": 3, "feet": 2}


@pytest.mark.parametrize("size", [(33, 12), (38, 20), (45, 30), (20, 20), (90, 30)])
async def test_body_map_never_cuts_a_label_short(size: tuple[int, int]) -> None:
    # At these sizes the legend beside the figure had too little room after "shoulders: ",
    # and "thinking 2," was cut to "thinking"; now it goes below the figure, or under the
    # region's name, and every label shows whole.
    counts = {"shoulders": Counter(thinking=2, feeling=1), "feet": Counter(hearing=1)}
    body = BodyMap(counts)
    app = WidgetApp(body, lambda w: w.redraw())  # type: ignore[attr-defined]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        text = "\n".join(body.text_lines)
        for label in ("thinking 2", "feeling 1", "hearing 1"):
            assert label in text, (label, text)


SIZES = [(120, 30), (86, 29), (41, 13), (7, 3), (2, 1), (1, 1)]



def _disc_by_dots(radius: float, width: int, height: int) -> tuple[str, ...]:
    cx, cy, r2 = width, height * 2, radius * radius
    return raster(lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r2, width, height)



def _core_by_cells(
    radius: float, width: int, height: int, fraction: float
) -> tuple[tuple[bool, ...], ...]:
    cx, cy, limit = width, height * 2, (radius * fraction) ** 2
    return tuple(
        tuple((x * 2 + 1 - cx) ** 2 + (y * 4 + 2 - cy) ** 2 <= limit for x in range(width))
        for y in range(height)
    )



@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_disc_from_spans_matches_testing_every_dot(width: int, height: int) -> None:
    # Quarter-dot radii (the orb's), odd ones, and radii past the block's edges.
    radii = [k * RADIUS_STEP for k in range(0, 4 * (width + 4))] + [0.1, 1 / 3, 2.71, 9.99]
    for radius in radii:
        assert circle_cells(radius, width, height) == _disc_by_dots(radius, width, height), radius
        for fraction in (0.6, 0.33, 1.0):
            assert core_mask(radius, width, height, fraction) == _core_by_cells(
                radius, width, height, fraction
            ), (radius, fraction)


def test_orb_rows_cover_the_disc_with_rim_and_core_runs() -> None:
    for radius in (2.0, 7.25, 14.5, 28.0):
        rows = orb_rows(radius, 86, 29)
        cells = circle_cells(radius, 86, 29)
        mask = core_mask(radius, 86, 29, 0.6)
        for row, text, inner in zip(rows, cells, mask, strict=True):
            assert "".join(r[0] for r in row) == text
            at = 0
            for chunk, component, _ in row:
                want = {
                    "breath-guide--core" if inner[x] else "breath-guide--orb"
                    for x in range(at, at + len(chunk))
                }
                assert want == {component}
                at += len(chunk)


def test_every_orb_size_is_cheap_to_draw_the_first_time() -> None:
    # Drawing each of a breath's ~140 sizes used to take 9-10 ms each at 120x40 and held up
    # key presses in the first in-breath; from spans it is well under a millisecond.
    orb_rows.cache_clear()
    circle_cells.cache_clear()
    started = time.perf_counter()
    for k in range(140):
        orb_rows(6.0 + k * RADIUS_STEP, 86, 29)
    assert time.perf_counter() - started < 0.7  # about 0.05 s on an idle machine

