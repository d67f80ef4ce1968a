"""The engine for the second round of fields: whole breaths, counts, rounds, holds, bells, prepare."""

from __future__ import annotations

import math

import pytest

from companion.engine.clock import FakeClock
from companion.engine.rescale import RescaleError, rescale
from companion.engine.session import Session
from companion.engine.timeline import build_timeline
from companion.outline import outline, outline_text
from tests.support import practice_from

FOUR_SEVEN_EIGHT = """
title = "4-7-8"
[[segment]]
kind = "settle"
duration = "1m"
[[segment]]
kind = "breath"
breaths = 4
pattern = { in = 4, hold = 7, out = 8 }
[[segment]]
kind = "silence"
duration = "2m"
"""

RETENTION = """
title = "Retention"
[bells]
start_strikes = 1
[[segment]]
kind = "rounds"
times = 3
  [[segment.part]]
  kind = "breath"
  breaths = 30
  pattern = { in = 1.5, out = 1.5 }
  [[segment.part]]
  kind = "hold"
  until = "key"
  max = "3m"
  [[segment.part]]
  kind = "breath"
  breaths = 1
  pattern = { in = 2, hold = 15, out = 3 }
"""


def last_phase_end(text: str) -> tuple[float, float]:
    """(where the last breath phase ends, where the segment ends) of a one-segment practice."""
    tl = build_timeline(practice_from(text))
    end = tl.spans[0].end
    phases = [e for e in tl.events(0, end) if e.kind == "phase"]
    state = tl.state_at(end - 1e-6).breath
    assert state is not None
    return phases[-1].t + state.length, end


def test_a_timed_breath_segment_ends_exactly_as_its_last_breath_does() -> None:
    text = 'title = "T"\n[[segment]]\nkind = "breath"\nduration = "5m"\npattern = { in = 4, hold = 7, out = 8 }\n'
    breath_end, segment_end = last_phase_end(text)
    assert breath_end == pytest.approx(segment_end) and segment_end == 304
    tl = build_timeline(practice_from(text))
    assert tl.state_at(303.9).breath.phase == "out"  # type: ignore[union-attr]


def test_a_ramped_segment_ends_on_a_whole_breath_and_a_full_ramp_reaches_its_target() -> None:
    text = (
        'title = "T"\n[[segment]]\nkind = "breath"\nduration = "3m"\npattern = { in = 3, out = 3 }\n'
        'ramp = { to = { in = 5, out = 5 }, over = "3m" }\n'
    )
    breath_end, segment_end = last_phase_end(text)
    assert breath_end == pytest.approx(segment_end)
    assert abs(segment_end - 180) < 10  # the nearest whole breath to 3m
    tl = build_timeline(practice_from(text))
    last = tl.state_at(segment_end - 0.5).breath
    assert last is not None and last.pattern.cycle == pytest.approx(10.0)  # the target, reached
    text = text.replace('duration = "3m"', 'duration = "3m"\nwhole_breaths = false')
    assert build_timeline(practice_from(text)).total == 180


def test_counted_breaths_keep_their_count_when_the_practice_is_stretched() -> None:
    p = practice_from(FOUR_SEVEN_EIGHT)
    long = rescale(p, 600)
    assert long.total == pytest.approx(600)
    assert long.segments[1].duration == 76 and long.segments[1].breaths == 4
    tl = build_timeline(long)
    assert len([e for e in tl.events(0, 600) if e.text == "Breathe in"]) == 4
    short = rescale(p, 120)
    assert short.segments[1].duration == 76 and short.total == pytest.approx(120)


def test_a_practice_that_cannot_fit_says_so() -> None:
    with pytest.raises(RescaleError, match=r"has 1m16s of counted breaths.*cannot fit in 1m"):
        rescale(practice_from(FOUR_SEVEN_EIGHT), 60)
    only = 'title = "Only"\n[[segment]]\nkind = "breath"\nbreaths = 4\npattern = { in = 4, out = 4 }\n'
    with pytest.raises(RescaleError, match="made only of counted breaths"):
        rescale(practice_from(only), 600)
    with pytest.raises(RescaleError, match="repeat until you end them"):
        rescale(practice_from(RETENTION.replace("times = 3", 'times = "open"')), 600)


def test_rounds_repeat_their_parts_with_round_numbers() -> None:
    tl = build_timeline(practice_from(RETENTION))
    one_round = 90 + 180 + 20
    assert tl.total == 3 * one_round
    assert len(tl.spans) == 9
    state = tl.state_at(one_round + 100)
    assert (state.segment.kind, state.round, state.rounds) == ("hold", 2, 3)
    assert state.hold is not None and state.hold.held == pytest.approx(10) and state.hold.until_key
    starts = [e for e in tl.events(0, tl.end) if e.kind == "segment"]
    assert [e.detail for e in starts][:3] == ["1m30s, round 1 of 3", "up to 3m00s, round 1 of 3", "20s, round 1 of 3"]


def test_open_rounds_go_on_at_the_same_cost_at_any_hour() -> None:
    tl = build_timeline(practice_from(RETENTION.replace("times = 3", 'times = "open"')))
    assert tl.total is None
    t = 10 * 3600 + 95.0  # ten hours in: 124 rounds of 290 s, then 5 s into round 125's hold
    state = tl.state_at(t)
    assert state.round == 125 and state.rounds is None and state.segment.kind == "hold"
    assert tl.next_segment_start(t) == pytest.approx(124 * 290 + 270)
    phases = [e for e in tl.events(124 * 290, 124 * 290 + 10) if e.kind == "phase"]
    assert phases[0].t == pytest.approx(124 * 290) and phases[0].text == "Breathe in"


def test_a_hold_ended_by_the_key_shifts_the_rest_like_a_pause() -> None:
    tl = build_timeline(practice_from(RETENTION))
    clock = FakeClock()
    session = Session(tl, clock)
    session.start()
    clock.advance(90 + 42)  # 42 s into the first hold
    assert session.state().hold is not None
    assert session.release_hold() == pytest.approx(42)
    assert session.elapsed() == pytest.approx(270)  # at once in the recovery breath
    assert session.state().segment.title == "" and session.state().breath.phase == "in"  # type: ignore[union-attr]
    # Everything after the hold now happens 138 s sooner on the clock: known at the press.
    assert session.practice_time_to_clock(290) == pytest.approx(clock.now() + 20)
    clock.advance(20)
    assert session.practised() == pytest.approx(90 + 42 + 20)
    assert flat(session.holds()) == pytest.approx([90, 42])
    assert session.release_hold() is None  # not in a hold: the key does nothing


def test_a_hold_never_released_lasts_its_max_and_pausing_stops_its_count() -> None:
    tl = build_timeline(practice_from(RETENTION))
    clock = FakeClock()
    session = Session(tl, clock)
    session.start()
    clock.advance(90 + 30)
    session.pause()
    clock.advance(500)  # a long pause mid-hold
    assert session.state().hold.held == pytest.approx(30)  # type: ignore[union-attr]
    session.resume()
    clock.advance(150)  # the hold runs out at its max
    assert session.state().segment.kind == "breath"
    assert flat(session.holds()) == pytest.approx([90, 180])
    assert session.practised() == pytest.approx(270)


def test_skip_in_a_key_hold_is_the_key() -> None:
    clock = FakeClock()
    session = Session(build_timeline(practice_from(RETENTION)), clock)
    session.start()
    clock.advance(100)
    assert session.skip()
    assert flat(session.holds()) == pytest.approx([90, 10]) and session.elapsed() == pytest.approx(270)


def test_prepare_counts_down_before_the_start_bell_and_is_not_practice_time() -> None:
    p = practice_from('title = "P"\nprepare = "10s"\n[[segment]]\nkind = "silence"\nduration = "1m"\n')
    tl = build_timeline(p)
    clock = FakeClock()
    session = Session(tl, clock)
    session.start()
    assert session.preparing and session.until_start() == 10 and session.elapsed() == 0
    clock.advance(4)
    assert session.until_start() == 6 and session.state().t == 0
    assert session.practice_time_to_clock(0) == clock.now() + 6  # the start bell's moment
    clock.advance(6)
    assert not session.preparing and session.elapsed() == 0
    clock.advance(60)
    assert session.finished and session.practised() == 60
    assert rescale(p, 120).prepare == 10  # a length never changes the preparation


def test_bells_at_chosen_times_from_a_later_point_and_with_their_own_gap() -> None:
    text = (
        'title = "B"\n[bells]\nstrike_gap = 6\nat = ["5m", "2m30s"]\ninterval = "4m"\n'
        'interval_from = "1m"\n[[segment]]\nkind = "silence"\nduration = "15m"\n'
    )
    tl = build_timeline(practice_from(text))
    rings = [(s.t, s.role) for s in tl.sounds(0, 2000)]
    assert rings == [
        (0, "start"), (6, "start"), (12, "start"),
        (150, "at"), (300, "interval"), (300, "at"), (540, "interval"), (780, "interval"),
        (900, "end"), (906, "end"),
    ]  # fmt: skip


def test_random_intervals_are_drawn_once_per_run_from_its_seed() -> None:
    text = 'title = "R"\n[bells]\ninterval = "30s..90s"\n[[segment]]\nkind = "silence"\nduration = "20m"\n'
    p = practice_from(text)
    one = build_timeline(p, seed=7)
    times = one.drawn_intervals()
    gaps = [b - a for a, b in zip([0.0, *times], times, strict=False)]
    assert all(30 <= g <= 90 for g in gaps) and len(set(gaps)) > 3
    assert [s.t for s in one.sounds(0, 2000) if s.role == "interval"] == times
    assert build_timeline(p, seed=7).drawn_intervals() == times  # the same run, the same bells
    assert one.drawn_intervals() == times  # asking again changes nothing
    assert build_timeline(p, seed=8).drawn_intervals() != times
    assert all(t <= 1200 - 10 for t in times)


def test_alternating_labels_and_phase_sounds_by_phase() -> None:
    text = (
        'title = "N"\n[bells]\nstart = "none"\nend = "none"\n[[segment]]\nkind = "breath"\nbreaths = 4\n'
        'pattern = { in = 4, out = 4 }\nphase_sound = { in = "tick", out = "bell" }\n'
        'labels = [{ in = "In left", out = "Out right" }, { in = "In right", out = "Out left" }]\n'
    )
    tl = build_timeline(practice_from(text))
    words = [e.text for e in tl.events(0, 32) if e.kind == "phase"]
    assert words == ["In left", "Out right", "In right", "Out left"] * 2
    assert [s.sound for s in tl.sounds(0, 32)] == ["tick", "bell"] * 4
    assert tl.state_at(9).breath.word == "In right"  # type: ignore[union-attr]


def test_show_lists_rounds_holds_prepare_and_longest_total() -> None:
    p = practice_from('prepare = "10s"\n' + RETENTION)
    data = outline(p)
    assert data["prepare"] == 10 and data["total"] == 870 and data["key_holds"]
    holds = [s for s in data["segments"] if s["kind"] == "hold"]
    assert [(h["round"], h["rounds"], h["until"], h["max"]) for h in holds] == [(r, 3, "key", 180) for r in (1, 2, 3)]
    text = outline_text(data)
    assert "Length: up to 14m30s" in text and "Preparation: 10s" in text
    assert "held after the out-breath, up to 3m (until space)" in text
    assert "(round 2 of 3)" in text


def test_show_fixes_top_up_ramps_fractional_lengths_and_names_every_bell() -> None:
    text = (
        'title = "S"\n[bells]\nat = ["1m"]\ninterval = "30s..90s"\n[[segment]]\nkind = "breath"\n'
        'duration = "10m"\nwhole_breaths = false\npattern = { in = 2, out = 6 }\n'
        'ramp = { to = { in = 2, top_up = 1, out = 6 }, over = "2m" }\n'
        '[[segment]]\nkind = "silence"\nduration = 71.6\n'
    )
    data = outline(practice_from(text))
    shown = outline_text(data)
    assert "easing to 2+1-0-6-0 over 2m" in shown
    assert "Length: 11m11.6s" in shown
    roles = {b["role"] for b in data["bells"]["times"]}
    assert {"start", "end", "at", "interval"} <= roles
    assert data["bells"]["interval_range"] == [30, 90] and data["bells"]["interval"] is None
    assert not math.isnan(data["total"])


def flat(holds: list[tuple[float, float]]) -> list[float]:
    """(start, seconds) pairs as one list, for pytest.approx (which compares tuples exactly)."""
    return [x for pair in holds for x in pair]
