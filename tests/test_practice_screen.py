"""Pilot tests of the app, with a fake clock driving time."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import pytest
from textual.screen import Screen
from textual.widget import Widget

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.engine.notes import Note
from companion.engine.pacing import ANIMATE, until_next
from companion.journal import open_journal
from companion.paths import Paths
from companion.ui.screens.grounding import GroundingScreen
from companion.ui.screens.practice import PracticeScreen
from companion.ui.screens.practice_parts import ANCHOR
from companion.ui.widgets.body_figure import BodyFigure
from companion.ui.widgets.breath_guide import BreathGuide
from companion.ui.widgets.noting_panel import NotingPanel
from tests.support import (
    STARTS,
    AppBuilder,
    RecordingJournal,
    RecordingPlayer,
    at,
    every_kind,
    go_to,
    record_notices,
    screen_text,
    whole,
)


@pytest.mark.parametrize(
    ("t", "word"),
    [(10.5, "Breathe in"), (15.0, "Hold"), (19.0, "Breathe out"), (26.2, "Breathe in")],
)
async def test_phase_word_at_chosen_times(
    build_app: AppBuilder, tmp_path: Path, t: float, word: str
) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, t)
        assert screen.sitting.started
        assert screen.sitting.session.state().breath.word == word  # type: ignore[union-attr]
        assert word in screen_text(app)


async def test_settle_shows_no_pacing_words(build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await at(app, clock, pilot, 3.0)
        text = screen_text(app)
        assert "Breathe in" not in text
        assert "Sit comfortably." in text
        assert "Arriving" in text


async def test_pause_freezes_the_clock(build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, 12.0)
        assert screen.sitting.started
        await pilot.press("space")
        before = screen.sitting.session.state()
        clock.advance(20.0)
        screen.tick()
        await pilot.pause()
        assert screen.sitting.session.state() == before
        assert screen._timer is None  # no timer runs while paused
        assert "Paused" in screen_text(app)
        await pilot.press("space")
        clock.advance(1.0)
        screen.tick()
        assert screen.sitting.session.elapsed() == pytest.approx(13.0)


async def test_n_skips_to_the_next_segment(build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, 2.0)
        assert screen.sitting.started
        await pilot.press("n")
        assert screen.sitting.session.state().segment.kind == "breath"
        assert screen.sitting.session.elapsed() == pytest.approx(STARTS["breath"])
        await pilot.press("n")
        assert screen.sitting.session.state().segment.kind == "body_scan"


async def test_noting_keys_count_stamp_and_undo(build_app: AppBuilder, tmp_path: Path) -> None:
    journal = RecordingJournal()
    app, clock = build_app(every_kind(tmp_path), journal=journal)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, STARTS["body_scan"] + 1.0)
        await pilot.press("t")
        await pilot.press("f")
        await pilot.press("t")
        assert [n.label for n in screen.sitting.notes] == ["thinking", "feeling", "thinking"]
        first = screen.sitting.notes[0]
        assert first.segment == 2
        assert first.region == "head"
        assert first.t == pytest.approx(STARTS["body_scan"] + 1.0)
        notes_logged = [c for c in journal.calls if c[0] == "note"]
        assert notes_logged[0] == ("note", first.t, "thinking", "t", 2, "head")
        await pilot.press("backspace")
        assert [n.label for n in screen.sitting.notes] == ["thinking", "feeling"]
        await pilot.pause()
        assert "thinking" in screen_text(app)
        # Outside a scan a note has no region.
        await at(app, clock, pilot, STARTS["noting"] + 2.0)
        await pilot.press("f")
        assert screen.sitting.notes[-1].region is None
        assert screen.sitting.notes[-1].segment == 4


async def test_grounding_pauses_and_any_key_returns(build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, 12.0)
        assert screen.sitting.started
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GroundingScreen)
        assert screen.sitting.session.paused
        assert "feet on the floor" in screen_text(app)
        clock.advance(30.0)
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is cast(Screen[object], screen)
        assert not screen.sitting.session.paused
        assert screen.sitting.session.elapsed() == pytest.approx(12.0)


async def test_hiding_the_breath_guide_keeps_cues(build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, 11.0)
        await pilot.press("b")
        await pilot.pause()
        assert screen.guide_hidden
        # The shape goes; the words stay (issue 14: b hides the shape, never the guidance).
        assert screen.query_one("#breath", BreathGuide).radius == 0
        text = screen_text(app)
        assert "Follow the shape." in text
        assert "Breathe in" in text
        assert "sounds in the room" in text


async def test_noting_panel_is_only_given_notes_that_can_change_it(
    build_app: AppBuilder, tmp_path: Path
) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, 11.0)
        panel = screen.query_one("#noting", NotingPanel)
        calls: list[float] = []
        set_notes = panel.set_notes

        def counting(notes: Sequence[Note], now: float, total: float | None) -> None:
            calls.append(now)
            set_notes(notes, now, total)

        panel.set_notes = counting  # type: ignore[method-assign]
        for i in range(10):  # frames without notes leave the panel alone
            await at(app, clock, pilot, 11.1 + i * 0.1)
        assert calls == []
        await pilot.press("t")
        await pilot.pause()
        assert panel.ack_text == "thinking - noted"  # acknowledged at once
        await at(app, clock, pilot, 13.0)
        assert panel.ack_text  # fading frames still reach it
        await at(app, clock, pilot, 16.0)
        assert panel.ack_text == ""
        calls.clear()
        for i in range(10):
            await at(app, clock, pilot, 16.1 + i * 0.1)
        assert calls == []
        assert panel.counts["thinking"] == 1


async def test_wide_and_narrow_layouts(build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, 11.0)
        noting = screen.query_one("#noting").region
        cue = screen.query_one("#cue").region
        guide = screen.query_one("#breath").region
        assert not screen.has_class("narrow")
        assert noting.x >= max(cue.right, guide.right)  # beside
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        assert screen.has_class("narrow")
        noting = screen.query_one("#noting").region
        cue = screen.query_one("#cue").region
        assert noting.y >= cue.bottom  # below


async def test_tiny_terminal_message_while_timing_goes_on(
    build_app: AppBuilder, tmp_path: Path
) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, 5.0)
        assert screen.sitting.started
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        assert "Make the window a little larger" in " ".join(screen_text(app).split())
        await at(app, clock, pilot, 20.0)
        assert screen.sitting.session.elapsed() == pytest.approx(20.0)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert "Make the window" not in screen_text(app)
        assert screen.sitting.session.elapsed() == pytest.approx(20.0)


# -- the visuals, driven through the app ---------------------------------------------------


async def test_breath_shape_grows_on_the_in_breath_and_shrinks_on_the_out(
    build_app: AppBuilder, tmp_path: Path
) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await whole(app, pilot)
        guide = app.screen.query_one("#breath", BreathGuide)
        start = STARTS["breath"]  # box 4-4-4-4: in 0-4, hold 4-8, out 8-12, hold 12-16
        growing = []
        for offset in (0.5, 1.5, 2.5, 3.5):
            await at(app, clock, pilot, start + offset)
            growing.append(guide.radius)
        held = []
        for offset in (4.5, 6.0, 7.5):
            await at(app, clock, pilot, start + offset)
            held.append(guide.radius)
        shrinking = []
        for offset in (8.5, 9.5, 10.5, 11.5):
            await at(app, clock, pilot, start + offset)
            shrinking.append(guide.radius)
    assert growing == sorted(set(growing)), growing  # strictly larger each second
    assert len(set(held)) == 1 and held[0] >= growing[-1]
    assert shrinking == sorted(set(shrinking), reverse=True), shrinking
    assert shrinking[-1] < growing[-1]


async def test_scan_band_moves_down_the_figure(build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await whole(app, pilot)
        figure = app.screen.query_one("#figure", BodyFigure)
        rows = []
        t = STARTS["body_scan"] + 0.1
        while t < STARTS["phrases"]:
            await at(app, clock, pilot, t)
            # The figure shown at the scan's start gets its size at the next layout, which a
            # loaded machine may not have reached yet; the clock stays, so the state is the same.
            for _ in range(100):
                if figure.band_row is not None:
                    break
                await pilot.pause(0.01)
            assert figure.band_row is not None
            rows.append(figure.band_row)
            t += 0.5
    assert rows == sorted(rows), rows  # never moves back up
    assert rows[-1] - rows[0] >= 16  # from head to feet of a figure at least 16 rows tall


async def test_no_color_keeps_the_words_and_drops_colour(
    build_app: AppBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app, clock = build_app(every_kind(tmp_path))
    assert app.no_color
    async with app.run_test(size=(120, 40)) as pilot:
        await at(app, clock, pilot, STARTS["breath"] + 1.0)
        assert "Breathe in" in screen_text(app)
        assert "Follow the shape." in screen_text(app)
        colours = {
            colour
            for widget in app.screen.walk_children(with_self=True)
            if isinstance(widget, Widget) and widget.display
            for strip in widget.render_lines(widget.size.region)
            for segment in strip
            if segment.style is not None
            for colour in (segment.style.color, segment.style.bgcolor)
            if colour is not None
        }
        triplets = {c.get_truecolor() for c in colours}
        assert triplets and all(r == g == b for r, g, b in triplets), triplets  # only greys


async def test_resizing_mid_practice_keeps_the_phase_word_on_schedule(
    build_app: AppBuilder, tmp_path: Path
) -> None:
    app, clock = build_app(every_kind(tmp_path))
    start = STARTS["breath"]
    steps = [
        ((60, 20), 0.5, "Breathe in"),
        ((200, 60), 4.2, "Hold"),
        ((30, 10), 8.3, "Breathe out"),
        ((120, 40), 12.6, "Hold"),
        ((120, 40), 16.1, "Breathe in"),
    ]
    async with app.run_test(size=(120, 40)) as pilot:
        for size, offset, word in steps:
            await pilot.resize_terminal(*size)
            screen = await at(app, clock, pilot, start + offset)
            await pilot.pause()
            assert screen.sitting.started
            assert screen.sitting.session.elapsed() == pytest.approx(start + offset)
            assert screen.sitting.session.state().breath.word == word  # type: ignore[union-attr]
            text = " ".join(screen_text(app).split())
            if size == (30, 10):
                assert "Make the window a little larger" in text
                assert word not in text
            else:
                assert "Make the window" not in text
                assert word in text


# -- reduce motion and the hidden guide ---------------------------------------------------


@pytest.mark.parametrize("how", ["flag", "setting"])
async def test_reduce_motion_reaches_every_widget(
    build_app: AppBuilder, tmp_path: Path, how: str
) -> None:
    clock = FakeClock()
    app, _ = build_app(
        every_kind(tmp_path),
        clock=clock,
        config=Config(reduce_motion=how == "setting"),
        reduce_motion=how == "flag",
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, STARTS["breath"] + 0.5)
        assert app.animation_level == "none"
        for selector in ("#breath", "#figure", "#phrase", "#noting"):
            assert screen.query_one(selector).reduce_motion, selector  # type: ignore[attr-defined]
        guide = screen.query_one("#breath", BreathGuide)
        first = guide.radius
        await at(app, clock, pilot, STARTS["breath"] + 3.5)
        assert guide.radius == first  # a still outline, no growing shape
        assert "━" in screen_text(app)  # the filling bar
        assert "Breathe in" in screen_text(app)


async def test_b_hides_the_shape_and_keeps_every_word(build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, STARTS["breath"] + 1.0)
        await pilot.press("b")
        await pilot.pause()
        text = screen_text(app)
        assert screen.query_one("#breath", BreathGuide).radius == 0  # no shape
        assert screen.query_one("#anchor").display
        assert ANCHOR.split(",")[0] in text
        assert "Breathe in" in text  # the phase word stays
        assert screen.sitting.started
        assert screen.frame_period(screen.sitting.session.state()) is None  # nothing animates
        # The anchor belongs to breath segments only; a scan still shows its figure.
        await at(app, clock, pilot, STARTS["body_scan"] + 1.0)
        assert not screen.query_one("#anchor").display
        assert screen.query_one("#figure").display


# -- frame pacing ----------------------------------------------------------------------------


def test_frames_sit_on_a_fixed_grid() -> None:
    frame = 1 / 30
    assert until_next(0.0, frame) == pytest.approx(frame)
    # A wake-up 7 ms late waits less for the next frame, so frames do not drift.
    assert until_next(frame + 0.007, frame) == pytest.approx(frame - 0.007)
    # A frame missed entirely is skipped: the next wait is to the frame after.
    assert until_next(2.5 * frame, frame) == pytest.approx(0.5 * frame)
    # A wake-up a hair early counts as on time, so it does not draw the same frame twice.
    assert until_next(3 * frame - 0.001, frame) == pytest.approx(frame + 0.001)


async def test_frames_only_while_the_shape_moves(build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        start = STARTS["breath"]
        for offset, moving in ((1.0, True), (5.2, False), (9.0, True), (13.0, False)):
            screen = await at(app, clock, pilot, start + offset)
            assert screen.sitting.started
            state = screen.sitting.session.state()
            expected = ANIMATE if moving else None
            assert screen.frame_period(state) == expected, (offset, state.breath)
            if not moving:  # a hold wakes for its seconds, not thirty times a second
                assert screen.delay(state) > 0.5


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


# -- the player ---------------------------------------------------------------------------------
class LatePlayer(RecordingPlayer):
    """A mixer that takes its time to open and then fails."""

    def __init__(self) -> None:
        super().__init__()
        self.opened = threading.Event()
        self.waited: list[float | None] = []

    def wait_ready(self, timeout: float | None = None) -> bool:
        self.waited.append(timeout)
        ready = self.opened.wait(timeout)
        self.notice = "No sound device found: practising in silence."
        return ready


# -- undo ---------------------------------------------------------------------------------------
async def test_undo_takes_the_note_out_of_the_journal(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    journal = open_journal(paths)
    app, _ = build_app(every_kind(tmp_path), journal=journal, config_from_file=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t", "f", "backspace")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert [n.label for n in screen.sitting.notes] == ["thinking"]
        assert rows(paths.journal_file, "SELECT label FROM notes") == [("thinking",)]
        await pilot.press("backspace", "backspace")  # one more than there is
        await pilot.pause()
        assert rows(paths.journal_file, "SELECT label FROM notes") == []


async def test_the_practice_waits_for_the_player_and_its_late_notice_is_shown(
    build_app: AppBuilder, tmp_path: Path
) -> None:
    player = LatePlayer()
    app, _ = build_app(
        every_kind(tmp_path), player=player, real_journal=True, config_from_file=True
    )
    told = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert (
            not screen.sitting.started and screen.sitting.chimes is None
        )  # not started before the mixer
        player.opened.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.sitting.started
        assert player.waited == [2.0]
        assert told.count("No sound device found: practising in silence.") == 1


async def test_frames_wake_on_a_loop_timer_that_stops_with_the_screen(
    build_app: AppBuilder, tmp_path: Path
) -> None:
    clock = FakeClock()
    app, _ = build_app(every_kind(tmp_path), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.sitting.started
        screen.tick()
        wake = screen._timer
        assert wake is not None
        handle = wake._handle
        assert not handle.cancelled()
        screen.tick()  # a new frame replaces the pending wake-up
        assert handle.cancelled() and screen._timer is not wake
        last = screen._timer
        assert last is not None
        screen.finish(completed=False)
        await pilot.pause()
        assert last._handle.cancelled()


SIZE = (110, 34)


@pytest.mark.parametrize(
    ("kind", "offset"),
    [
        ("settle", 3.0),
        ("breath", 2.0),  # in-breath, half way
        ("body_scan", 14.0),
        ("phrases", 5.0),
        ("noting", 4.0),
        ("silence", 6.5),
    ],
)
def test_practice_segment(
    snap_compare: Any, build_app: AppBuilder, tmp_path: Path, kind: str, offset: float
) -> None:
    app, clock = build_app(every_kind(tmp_path))
    keys = ("t", "f", "t") if kind in ("noting", "body_scan") else ()
    assert snap_compare(
        app, terminal_size=SIZE, run_before=go_to(app, clock, STARTS[kind] + offset, keys)
    )


def test_practice_narrow(snap_compare: Any, build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path))
    assert snap_compare(
        app, terminal_size=(70, 30), run_before=go_to(app, clock, STARTS["breath"] + 6)
    )


@pytest.mark.parametrize(
    "size", [(120, 40), (100, 30), (80, 24)], ids=["120x40", "100x30", "80x24"]
)
def test_breath_at_sizes(
    snap_compare: Any, build_app: AppBuilder, tmp_path: Path, size: tuple[int, int]
) -> None:
    # The orb, its words and the cue read as one block, centred, at each size.
    app, clock = build_app(every_kind(tmp_path))
    assert snap_compare(app, terminal_size=size, run_before=go_to(app, clock, STARTS["breath"] + 9))


def test_breath_reduce_motion(snap_compare: Any, build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path), config=Config(reduce_motion=True))
    assert snap_compare(app, terminal_size=SIZE, run_before=go_to(app, clock, STARTS["breath"] + 2))


def test_breath_guide_hidden(snap_compare: Any, build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path), config=Config(hide_breath_guide=True))
    assert snap_compare(app, terminal_size=SIZE, run_before=go_to(app, clock, STARTS["breath"] + 2))

