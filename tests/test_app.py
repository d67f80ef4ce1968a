"""Pilot tests of the app, with a fake clock driving time."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from app_support import (
    STARTS,
    TOTAL,
    RecordingJournal,
    RecordingPlayer,
    every_kind,
    screen_text,
    write_practice,
)

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.engine.notes import Note
from companion.engine.pacing import ANIMATE, until_next
from companion.paths import Paths
from companion.ui.app import CompanionApp, make_app
from companion.ui.screens.grounding import GroundingScreen
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.practice import ANCHOR, PracticeScreen
from companion.ui.screens.settings import SettingsScreen
from companion.ui.screens.summary import SummaryScreen
from companion.ui.widgets.body_figure import BodyFigure
from companion.ui.widgets.breath_guide import BreathGuide
from companion.ui.widgets.noting_panel import NotingPanel


def build(
    paths: Paths, tmp_path: Path, config: Config | None = None, journal: object = None
) -> tuple[CompanionApp, FakeClock]:
    clock = FakeClock()
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=clock,
        player=RecordingPlayer(),
        journal=journal if journal is not None else RecordingJournal(),
        config=config or Config(),
    )
    return app, clock


async def whole(app: CompanionApp, pilot: object) -> None:
    """Wait for the practice screen's visuals, mounted after its first frame (issue 18)."""
    for _ in range(100):
        if app.screen.query("#breath"):
            return
        await pilot.pause(0.01)  # type: ignore[attr-defined]
    raise AssertionError("the practice screen was never built whole")


async def at(app: CompanionApp, clock: FakeClock, pilot: object, t: float) -> PracticeScreen:
    """Move the fake clock to practice time t (from a start at the clock's origin) and draw."""
    screen = app.screen
    assert isinstance(screen, PracticeScreen) and screen.sitting.started
    target = (screen.sitting.session.origin or 0.0) + t
    clock.set(max(clock.now(), target))
    screen.tick()
    await pilot.pause()  # type: ignore[attr-defined]
    return screen


@pytest.mark.parametrize(
    ("t", "word"),
    [(10.5, "Breathe in"), (15.0, "Hold"), (19.0, "Breathe out"), (26.2, "Breathe in")],
)
async def test_phase_word_at_chosen_times(
    paths: Paths, tmp_path: Path, t: float, word: str
) -> None:
    app, clock = build(paths, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, t)
        assert screen.sitting.started
        assert screen.sitting.session.state().breath.word == word  # type: ignore[union-attr]
        assert word in screen_text(app)


async def test_settle_shows_no_pacing_words(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await at(app, clock, pilot, 3.0)
        text = screen_text(app)
        assert "Breathe in" not in text
        assert "Sit comfortably." in text
        assert "Arriving" in text


async def test_pause_freezes_the_clock(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path)
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


async def test_n_skips_to_the_next_segment(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, 2.0)
        assert screen.sitting.started
        await pilot.press("n")
        assert screen.sitting.session.state().segment.kind == "breath"
        assert screen.sitting.session.elapsed() == pytest.approx(STARTS["breath"])
        await pilot.press("n")
        assert screen.sitting.session.state().segment.kind == "body_scan"


async def test_noting_keys_count_stamp_and_undo(paths: Paths, tmp_path: Path) -> None:
    journal = RecordingJournal()
    app, clock = build(paths, tmp_path, journal=journal)
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


async def test_escape_reaches_the_summary_with_the_notes(paths: Paths, tmp_path: Path) -> None:
    journal = RecordingJournal()
    app, clock = build(paths, tmp_path, journal=journal)
    async with app.run_test(size=(120, 40)) as pilot:
        await at(app, clock, pilot, STARTS["body_scan"] + 3.0)
        await pilot.press("t", "t", "f")
        await pilot.press("escape")
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert len(summary.notes) == 3 and not summary.completed
        text = screen_text(app)
        assert "Ended early" in text
        assert "thinking" in text and "feeling" in text
        assert ("end", pytest.approx(45.0), False) in journal.calls
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_end_of_the_timeline_opens_the_summary(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await at(app, clock, pilot, TOTAL + 0.5)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.completed
        assert "Completed" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)


async def test_grounding_pauses_and_any_key_returns(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path)
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
        assert app.screen is screen
        assert not screen.sitting.session.paused
        assert screen.sitting.session.elapsed() == pytest.approx(12.0)


async def test_hiding_the_breath_guide_keeps_cues(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, 11.0)
        await pilot.press("b")
        await pilot.pause()
        assert screen.guide_hidden
        assert not screen.query_one("#breath").display
        text = screen_text(app)
        assert "Follow the shape." in text
        assert "sounds in the room" in text


async def test_noting_panel_is_only_given_notes_that_can_change_it(
    paths: Paths, tmp_path: Path
) -> None:
    app, clock = build(paths, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, 11.0)
        panel = screen.query_one("#noting", NotingPanel)
        calls: list[float] = []
        set_notes = panel.set_notes

        def counting(notes: list[Note], now: float, total: float | None) -> None:
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


async def test_wide_and_narrow_layouts(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path)
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


async def test_tiny_terminal_message_while_timing_goes_on(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path)
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


async def test_keys_remapped_by_id(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path, config=Config(keys={"pause": "z"}))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, 12.0)
        assert screen.sitting.started
        await pilot.press("space")
        assert not screen.sitting.session.paused
        await pilot.press("z")
        assert screen.sitting.session.paused


async def test_unknown_binding_id_gives_a_notice(paths: Paths, tmp_path: Path) -> None:
    app, _clock = build(paths, tmp_path, config=Config(keys={"snooze": "z", "pause": "nope-key"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("snooze" in m and "nope-key" in m for m in messages)


async def test_broken_config_gives_defaults_and_stays_unchanged(
    paths: Paths, tmp_path: Path
) -> None:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    broken = "[settings]\nvolume = 0.3\nmuted = maybe\n"
    paths.config_file.write_text(broken)
    clock = FakeClock()
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=clock,
        player=RecordingPlayer(),
        journal=RecordingJournal(),
    )
    assert app.config.volume == 0.8  # defaults
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(str(paths.config_file) in m and ":3" in m for m in messages)
        await pilot.press("m")  # a setting change is kept in memory only
        await pilot.pause()
        assert app.config.muted
    assert paths.config_file.read_text() == broken


async def test_volume_and_mute_are_remembered(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await at(app, clock, pilot, 2.0)
        await pilot.press("minus", "m")
        await pilot.pause()
        assert app.player.volume == pytest.approx(0.7)
        assert app.player.muted
    text = paths.config_file.read_text()
    assert "volume = 0.7" in text and "muted = true" in text


async def test_home_lists_filters_and_starts(paths: Paths, tmp_path: Path) -> None:
    write_practice(paths.practices_dir, "zz-test-calm")
    clock = FakeClock()
    app = make_app(paths=paths, clock=clock, player=RecordingPlayer(), journal=RecordingJournal())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert "Every kind" in screen_text(app)
        await pilot.press("slash", *"zz-test", "enter")
        await pilot.pause()
        selected = home.selected()
        assert selected is not None and selected.id == "zz-test-calm"
        assert "One of each segment kind" in screen_text(app)
        await pilot.press("l")  # 3 minutes
        await pilot.pause()
        assert "Length: 3m" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        practice_screen = app.screen
        assert isinstance(practice_screen, PracticeScreen)
        assert practice_screen.timeline.total == pytest.approx(180.0)
        assert app.state.last_practice == "zz-test-calm"


async def test_home_quick_session_is_one_key(paths: Paths, tmp_path: Path) -> None:
    write_practice(paths.practices_dir, "zz-test-calm")
    app = make_app(
        paths=paths,
        clock=FakeClock(),
        player=RecordingPlayer(),
        journal=RecordingJournal(),
        config=Config(last_practice="zz-test-calm"),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Quick session (space): Every kind" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        assert app.screen.practice.id == "zz-test-calm"


async def test_home_quick_session_without_history_is_the_breathing_space(
    paths: Paths, tmp_path: Path
) -> None:
    app = make_app(
        paths=paths, clock=FakeClock(), player=RecordingPlayer(), journal=RecordingJournal()
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Quick session (space): Three-minute breathing space, 3m" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert screen.practice.id == "breathing-space-3"
        assert screen.timeline.total == pytest.approx(180.0)  # its own length
        assert app.state.last_practice == "breathing-space-3"


async def test_home_shows_broken_files_with_their_errors(paths: Paths, tmp_path: Path) -> None:
    write_practice(paths.practices_dir, "zz-broken", 'title = "Oops"\n[[segment]]\nkind = "nap"\n')
    app = make_app(
        paths=paths, clock=FakeClock(), player=RecordingPlayer(), journal=RecordingJournal()
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"zz-broken", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "zz-broken (broken)" in text
        assert "cannot be used yet" in text


async def test_help_lists_current_keys(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path, config=Config(keys={"next-segment": "x"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await at(app, clock, pilot, 2.0)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Grounding" in text and "thinking" in text
        assert "x  Next" in " ".join(text.split()) or "x Next" in " ".join(text.split())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)


# -- the visuals, driven through the app ---------------------------------------------------


async def test_breath_shape_grows_on_the_in_breath_and_shrinks_on_the_out(
    paths: Paths, tmp_path: Path
) -> None:
    app, clock = build(paths, tmp_path)
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


async def test_scan_band_moves_down_the_figure(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await whole(app, pilot)
        figure = app.screen.query_one("#figure", BodyFigure)
        rows = []
        t = STARTS["body_scan"] + 0.1
        while t < STARTS["phrases"]:
            await at(app, clock, pilot, t)
            assert figure.band_row is not None
            rows.append(figure.band_row)
            t += 0.5
    assert rows == sorted(rows), rows  # never moves back up
    assert rows[-1] - rows[0] >= 16  # from head to feet of a figure at least 16 rows tall


async def test_no_color_keeps_the_words_and_drops_colour(
    paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app, clock = build(paths, tmp_path)
    assert app.no_color
    async with app.run_test(size=(120, 40)) as pilot:
        await at(app, clock, pilot, STARTS["breath"] + 1.0)
        assert "Breathe in" in screen_text(app)
        assert "Follow the shape." in screen_text(app)
        colours = {
            colour
            for strip in app.screen._compositor.render_strips()
            for segment in strip
            if segment.style is not None
            for colour in (segment.style.color, segment.style.bgcolor)
            if colour is not None
        }
        triplets = {c.get_truecolor() for c in colours}
        assert triplets and all(r == g == b for r, g, b in triplets), triplets  # only greys


async def test_settings_change_is_saved(paths: Paths, tmp_path: Path) -> None:
    app = make_app(
        paths=paths, clock=FakeClock(), player=RecordingPlayer(), journal=RecordingJournal()
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.click("#reduce_motion")
        await pilot.pause()
        assert app.config.reduce_motion and app.reduce_motion
        assert app.animation_level == "none"
    saved = tomllib.loads(paths.config_file.read_text())
    assert saved["settings"]["reduce_motion"] is True


async def test_settings_with_a_broken_config_are_not_saved_and_the_user_is_told(
    paths: Paths, tmp_path: Path
) -> None:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    broken = "[settings]\nreduce_motion = sometimes\n"
    paths.config_file.write_text(broken)
    app = make_app(
        paths=paths, clock=FakeClock(), player=RecordingPlayer(), journal=RecordingJournal()
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        await pilot.click("#hide_breath_guide")
        await pilot.pause()
        assert app.config.hide_breath_guide  # kept for this session
        messages = [n.message for n in app._notifications]
        assert any("kept for this session only" in m for m in messages), messages
    assert paths.config_file.read_text() == broken


async def test_resizing_mid_practice_keeps_the_phase_word_on_schedule(
    paths: Paths, tmp_path: Path
) -> None:
    app, clock = build(paths, tmp_path)
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
async def test_reduce_motion_reaches_every_widget(paths: Paths, tmp_path: Path, how: str) -> None:
    clock = FakeClock()
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=clock,
        player=RecordingPlayer(),
        journal=RecordingJournal(),
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


@pytest.mark.parametrize("kind", ["settle", "breath"])
async def test_b_shows_a_breath_free_anchor_in_place_of_the_guide(
    paths: Paths, tmp_path: Path, kind: str
) -> None:
    app, clock = build(paths, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, STARTS[kind] + 1.0)
        await pilot.press("b")
        await pilot.pause()
        text = screen_text(app)
        assert not screen.query_one("#breath").display
        assert screen.query_one("#anchor").display
        assert ANCHOR.split(",")[0] in text
        assert "Breathe" not in text  # no breath words of any kind
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


async def test_frames_only_while_the_shape_moves(paths: Paths, tmp_path: Path) -> None:
    app, clock = build(paths, tmp_path)
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


def test_the_preview_reflows_a_hand_wrapped_description() -> None:
    from companion.ui.screens.home import reflow

    text = "Breathe in for four,\nhold for four.\n\nIf you feel light-headed,\n  stop.\n"
    assert reflow(text) == "Breathe in for four, hold for four.\n\nIf you feel light-headed, stop."
