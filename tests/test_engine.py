"""The timing engine: schedules, the state at any moment, pause, skip and rescaling."""

from __future__ import annotations

import itertools
import math

import pytest

from companion.engine.clock import FakeClock
from companion.engine.rescale import rescale
from companion.engine.session import Session
from companion.engine.timeline import END_STRIKE_GAP, START_STRIKE_GAP, build_timeline
from tests.support import BOX, practice_from


def phase_starts(text: str, until: float) -> list[tuple[float, str]]:
    tl = build_timeline(practice_from(text))
    return [(round(e.t, 6), e.text) for e in tl.events(0, until) if e.kind == "phase"]


def test_box_breathing_phases_fall_on_their_seconds() -> None:
    tl = build_timeline(practice_from(BOX))
    words = [tl.state_at(t).breath.word for t in (0, 3.99, 4, 8, 12, 16, 59.9)]  # type: ignore[union-attr]
    assert words == ["Breathe in", "Breathe in", "Hold", "Breathe out", "Hold", "Breathe in", "Breathe out"]
    s = tl.state_at(5)
    assert s.breath is not None
    assert (s.breath.cycle, s.breath.remaining, round(s.breath.progress, 3)) == (1, 3.0, 0.25)
    assert tl.state_at(17).breath.cycle == 2  # type: ignore[union-attr]
    assert len([e for e in tl.events(0, 60) if e.kind == "phase"]) == 15  # 3.75 breaths a minute


def test_the_shape_grows_on_the_in_breath_rests_and_shrinks_on_the_out_breath() -> None:
    tl = build_timeline(practice_from(BOX))

    def size(t: float) -> float:
        state = tl.state_at(t)
        assert state.breath is not None
        return state.breath.size

    inhale = [size(t / 10) for t in range(0, 40)]
    assert inhale == sorted(inhale) and inhale[0] == 0 and inhale[-1] > 0.99
    assert {size(t) for t in (4.5, 6, 7.9)} == {1.0}
    exhale = [size(8 + t / 10) for t in range(0, 40)]
    assert exhale == sorted(exhale, reverse=True) and exhale[-1] < 0.01
    # Eased, not linear: a quarter of the way in, the shape has moved less than a quarter.
    assert size(1.0) < 0.25


def test_top_up_is_a_second_short_inhale() -> None:
    text = 'title = "Sigh"\n[[segment]]\nkind = "breath"\nduration = "5m"\npattern = { in = 2, top_up = 1, out = 6 }\n'
    assert phase_starts(text, 18) == [
        (0, "Breathe in"), (2, "Top up"), (3, "Breathe out"),
        (9, "Breathe in"), (11, "Top up"), (12, "Breathe out"),
    ]
    tl = build_timeline(practice_from(text))
    assert 0.8 < tl.state_at(1.99).breath.size <= 0.85  # type: ignore[union-attr]
    assert tl.state_at(2.99).breath.size > 0.99  # type: ignore[union-attr]


def test_labels_replace_the_phase_words() -> None:
    text = (
        'title = "T"\n[[segment]]\nkind = "breath"\nduration = "1m"\npattern = { in = 5, out = 5 }\n'
        'labels = { in = "Breathe in their difficulty", out = "Breathe out relief" }\n'
    )
    assert phase_starts(text, 10) == [(0, "Breathe in their difficulty"), (5, "Breathe out relief")]


def test_a_ramp_moves_smoothly_from_one_pattern_to_the_other_then_holds() -> None:
    text = (
        'title = "R"\n[[segment]]\nkind = "breath"\nduration = "10m"\npattern = { in = 3, out = 3 }\n'
        'ramp = { to = { in = 5, out = 5 }, over = "3m" }\n'
    )
    tl = build_timeline(practice_from(text))
    cycles = [e for e in tl.events(0, 600) if e.text == "Breathe in"]
    lengths = [b.t - a.t for a, b in itertools.pairwise(cycles)]
    assert lengths[0] == pytest.approx(6.0)
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(lengths))  # only ever slower
    assert lengths[-1] == pytest.approx(10.0)
    ramp_end = next(c.t for c in cycles if c.t >= 180)
    assert all(length == pytest.approx(10.0) for length in lengths[cycles.index(next(c for c in cycles if c.t == ramp_end)):])
    middle = tl.state_at(90).breath
    assert middle is not None and 7.0 < middle.pattern.cycle < 9.0


def test_the_schedule_does_not_drift_over_a_day() -> None:
    text = 'title = "D"\n[[segment]]\nkind = "breath"\nduration = "12h"\npattern = { in = 5.5, out = 5.5 }\n'
    tl = build_timeline(practice_from(text))
    # Ask at a 30 fps frame far into the practice: the phase boundary is exactly k * 5.5 s.
    t = 3000 * 11.0  # the 3001st breath begins here, 9h10m in
    state = tl.state_at(t)
    assert state.breath is not None
    assert state.breath.phase == "in" and state.breath.progress == 0
    frame = 1 / 30
    late = tl.state_at(t + 5.5 - frame / 2).breath
    assert late is not None and late.phase == "in"
    assert tl.state_at(t + 5.5).breath.phase == "out"  # type: ignore[union-attr]


def test_a_session_over_24_hours_of_fake_frames_lands_on_every_boundary() -> None:
    text = 'title = "O"\n[[segment]]\nkind = "breath"\nduration = "open"\npattern = { in = 4, hold = 7, out = 8 }\n'
    tl = build_timeline(practice_from(text))
    clock = FakeClock()
    session = Session(tl, clock)
    session.start()
    # Advance by whole frames for a simulated day; state depends only on the clock.
    for _ in range(24):
        clock.advance(3600 + 1 / 30)
    elapsed = session.elapsed()
    cycle_start = math.floor(elapsed / 19) * 19
    state = session.state()
    assert state.breath is not None
    assert state.breath.cycle == cycle_start / 19 + 1
    phase_start = {"in": 0.0, "hold": 4.0, "out": 11.0}[state.breath.phase]
    into_phase = state.breath.length - state.breath.remaining
    assert elapsed - cycle_start == pytest.approx(phase_start + into_phase, abs=1e-6)


def test_pause_freezes_and_resume_shifts_the_origin() -> None:
    tl = build_timeline(practice_from(BOX))
    clock = FakeClock()
    session = Session(tl, clock)
    session.start()
    clock.advance(5)
    session.pause()
    clock.advance(100)
    assert session.elapsed() == 5
    assert session.state().breath.word == "Hold"  # type: ignore[union-attr]
    session.resume()
    clock.advance(3)
    assert session.elapsed() == 8
    assert session.state().breath.word == "Breathe out"  # type: ignore[union-attr]
    assert session.practice_time_to_clock(12) == clock.now() + 4


def test_skip_goes_to_the_next_segment_and_stops_at_the_last() -> None:
    text = BOX + '[[segment]]\nkind = "silence"\nduration = "2m"\n'
    clock = FakeClock()
    session = Session(build_timeline(practice_from(text)), clock)
    session.start()
    clock.advance(10)
    assert session.skip()
    assert session.elapsed() == 60
    assert session.state().segment.kind == "silence"
    assert not session.skip()


def test_the_end_freezes_time_and_reports_what_was_practised() -> None:
    clock = FakeClock()
    session = Session(build_timeline(practice_from(BOX)), clock)
    session.start()
    clock.advance(61)
    assert session.finished and session.state().finished
    assert session.end() == 60
    clock.advance(10)
    assert session.elapsed() == 60


def test_bells_start_interval_and_end() -> None:
    text = 'title = "B"\n[bells]\ninterval = "1m"\n[[segment]]\nkind = "silence"\nduration = "3m15s"\n'
    tl = build_timeline(practice_from(text))
    rings = [(s.t, s.sound, s.role) for s in tl.sounds(0, 1000)]
    assert rings == [
        (0, "bowl", "start"), (START_STRIKE_GAP, "bowl", "start"), (2 * START_STRIKE_GAP, "bowl", "start"),
        (60, "bell", "interval"), (120, "bell", "interval"), (180, "bell", "interval"),
        (195, "bowl", "end"), (195 + END_STRIKE_GAP, "bowl", "end"),
    ]
    # An interval bell never lands on (or just before) the end bell.
    tl2 = build_timeline(practice_from(text.replace("3m15s", "3m5s")))
    assert [s.t for s in tl2.sounds(0, 1000) if s.role == "interval"] == [60, 120]


def test_segment_chimes_and_phase_sounds_are_scheduled() -> None:
    text = (
        'title = "C"\n[bells]\nstart = "none"\nend = "none"\n'
        '[[segment]]\nkind = "silence"\nduration = "10s"\n'
        '[[segment]]\nkind = "breath"\nduration = "16s"\nchime = "bell"\nphase_sound = "tick"\n'
        "pattern = { in = 4, out = 4 }\n"
    )
    tl = build_timeline(practice_from(text))
    assert [(s.t, s.sound, s.role) for s in tl.sounds(0, 100)] == [
        (10, "bell", "chime"), (10, "tick", "phase"), (14, "tick", "phase"), (18, "tick", "phase"), (22, "tick", "phase"),
    ]


def test_body_scan_windows_follow_weights_and_the_band_moves_down() -> None:
    text = 'title = "S"\n[[segment]]\nkind = "body_scan"\nduration = "100s"\nregions = ["head", { name = "chest", weight = 3 }, "feet"]\n'
    tl = build_timeline(practice_from(text))
    regions = [(round(e.t, 3), e.text) for e in tl.events(0, 100) if e.kind == "region"]
    # feet default weight is 1.6, head 1.0: shares 1 : 3 : 1.6
    assert [r for _, r in regions] == ["head", "chest", "feet"]
    assert regions[1][0] == pytest.approx(100 * 1 / 5.6, abs=1e-3)
    bands = [tl.state_at(t).scan.band for t in range(0, 100)]  # type: ignore[union-attr]
    assert bands == sorted(bands) and bands[0] < 0.1 and bands[-1] > 0.9
    state = tl.state_at(50).scan
    assert state is not None and state.region == "chest" and state.visited == ("head",)


def test_default_scans_run_head_to_feet_and_up_reverses_them() -> None:
    down = build_timeline(practice_from('title = "S"\n[[segment]]\nkind = "body_scan"\nduration = "10m"\n'))
    up = build_timeline(practice_from('title = "S"\n[[segment]]\nkind = "body_scan"\nduration = "10m"\ndirection = "up"\n'))
    d = [down.state_at(t).scan.band for t in range(0, 600, 3)]  # type: ignore[union-attr]
    u = [up.state_at(t).scan.band for t in range(0, 600, 3)]  # type: ignore[union-attr]
    assert d == sorted(d) and u == sorted(u, reverse=True)
    assert down.state_at(0).scan.region == "head" and up.state_at(0).scan.region == "feet"  # type: ignore[union-attr]


def test_phrases_change_every_interval_and_cycle() -> None:
    text = 'title = "P"\n[[segment]]\nkind = "phrases"\nduration = "1m"\nphrases = ["a", "b", "c"]\nevery = "10s"\n'
    tl = build_timeline(practice_from(text))
    assert [tl.state_at(t).phrase.text for t in (0, 9.9, 10, 25, 31)] == ["a", "a", "b", "c", "a"]  # type: ignore[union-attr]
    assert tl.state_at(15).phrase.progress == pytest.approx(0.5)  # type: ignore[union-attr]


def test_cues_show_from_their_moment_until_the_next() -> None:
    text = 'title = "C"\n[[segment]]\nkind = "silence"\nduration = "1m"\ncues = [{ at = "5s", text = "one" }, { at = "20s", text = "two" }]\n'
    tl = build_timeline(practice_from(text))
    assert [tl.state_at(t).cue for t in (0, 5, 19, 20, 59)] == ["", "one", "one", "two", "two"]


def test_rescaling_keeps_the_breath_pace_and_changes_the_count() -> None:
    text = BOX + '[[segment]]\nkind = "silence"\nduration = "1m"\ncues = [{ at = "30s", text = "half" }]\n'
    p = practice_from(text)
    short = rescale(p, 60)
    assert short.total == pytest.approx(60)
    assert [s.duration for s in short.segments] == [30, 30]
    assert short.segments[0].pattern == p.segments[0].pattern
    assert short.segments[1].cues[0].at == 15
    tl = build_timeline(rescale(p, 20 * 60))
    assert len([e for e in tl.events(0, 600) if e.text == "Breathe in"]) == 38


def test_rescaling_an_open_practice_gives_the_open_part_what_is_left() -> None:
    text = BOX + '[[segment]]\nkind = "silence"\nduration = "open"\n'
    p = rescale(practice_from(text), 300)
    assert [s.duration for s in p.segments] == [60, 240]
    p = rescale(practice_from(text), 60)
    assert [s.duration for s in p.segments] == [45, 15]


def test_an_open_segment_repeats_until_ended() -> None:
    text = 'title = "O"\n[[segment]]\nkind = "body_scan"\nduration = "open"\nregions = ["head", "feet"]\n'
    tl = build_timeline(practice_from(text))
    assert tl.total is None
    names = [e.text for e in tl.events(0, 3 * 78) if e.kind == "region"]
    assert names == ["head", "feet"] * 3  # 30 s per unit of weight: 2.6 units = 78 s a pass
    assert tl.state_at(10_000).finished is False


def test_next_change_finds_the_next_moment_worth_drawing() -> None:
    text = 'title = "Q"\n[bells]\nstart = "none"\n[[segment]]\nkind = "silence"\nduration = "5m"\ncues = [{ at = "2m", text = "x" }]\n'
    tl = build_timeline(practice_from(text))
    assert tl.next_change(0) == 120
    assert tl.next_change(120) == 300
    assert tl.next_change(300 + 10) is None
