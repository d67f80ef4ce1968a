"""Frame pacing: frames only while something moves, waits that end at the next visible change."""

from __future__ import annotations

import pytest

from companion.engine.pacing import (
    ACK_SECONDS,
    ANIMATE,
    REDUCED,
    SLOW,
    frame_period,
    next_wake,
    to_next_second,
    until_next,
)
from companion.engine.timeline import Timeline, build_timeline
from tests.support import practice_from

MIXED = """
title = "Mixed"
[bells]
start = "none"
end = "none"
[[segment]]
kind = "breath"
duration = "16s"
pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }
[[segment]]
kind = "body_scan"
duration = "10s"
regions = ["head", "feet"]
[[segment]]
kind = "phrases"
duration = "10s"
every = "5s"
phrases = ["May I be at ease"]
[[segment]]
kind = "silence"
duration = "10s"
"""


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    return build_timeline(practice_from(MIXED))


def period(timeline: Timeline, t: float, **kw: object) -> float | None:
    options: dict[str, object] = {"reduce_motion": False, "guide_hidden": False, "noted_at": None}
    options.update(kw)
    return frame_period(timeline.state_at(t), **options)  # type: ignore[arg-type]


def test_a_breathing_shape_animates_and_rests_in_its_holds(timeline: Timeline) -> None:
    assert period(timeline, 1.0) == ANIMATE  # in
    assert period(timeline, 5.0) is None  # hold: still
    assert period(timeline, 9.0) == ANIMATE  # out
    assert period(timeline, 13.0) is None  # hold out
    # Reduce motion fills a bar, through the holds too, at a few frames a second.
    assert period(timeline, 5.0, reduce_motion=True) == REDUCED
    # A hidden guide shows no shape at all.
    assert period(timeline, 1.0, guide_hidden=True) is None


def test_scan_phrases_and_silence(timeline: Timeline) -> None:
    assert period(timeline, 18.0) == SLOW
    assert period(timeline, 18.0, reduce_motion=True) == REDUCED
    assert period(timeline, 26.1) == ANIMATE  # a phrase fading in
    assert period(timeline, 28.5) == REDUCED  # standing still between fades
    assert period(timeline, 28.5, reduce_motion=True) is None  # no fades at all
    assert period(timeline, 40.0) is None  # silence shows only its seconds


def test_a_fresh_note_keeps_a_slow_frame_while_its_acknowledgement_fades(
    timeline: Timeline,
) -> None:
    assert period(timeline, 40.0, noted_at=39.0) == REDUCED
    assert period(timeline, 40.0, noted_at=40.0 - ACK_SECONDS) is None
    assert period(timeline, 1.0, noted_at=0.5) == ANIMATE  # a faster frame stays faster


def test_frames_sit_on_a_fixed_grid() -> None:
    assert until_next(0.0, 0.25) == pytest.approx(0.25)
    assert until_next(0.26, 0.25) == pytest.approx(0.24)  # late: the next wait is shorter
    assert until_next(0.249, 0.25) == pytest.approx(0.251)  # a hair early counts as on time


def test_the_time_left_changes_on_its_rounded_up_second() -> None:
    assert to_next_second(0.0, 60.0) == pytest.approx(1.0)
    assert to_next_second(0.3, 60.0) == pytest.approx(0.701)
    assert to_next_second(59.5, 60.0) == pytest.approx(0.501)


def test_the_wait_ends_at_the_next_visible_change(timeline: Timeline) -> None:
    def wake(t: float, **kw: object) -> float:
        options: dict[str, object] = {
            "reduce_motion": False,
            "guide_hidden": False,
            "noted_at": None,
        }
        options.update(kw)
        return next_wake(timeline.state_at(t), t, timeline, **options)  # type: ignore[arg-type]

    assert wake(1.0) == pytest.approx(ANIMATE)  # a moving shape: the next frame
    # A hold wakes for its own seconds (counted from the phase start), not 24 times a second.
    assert wake(5.5) == pytest.approx(0.501)
    # Silence wakes once a second, and at the practice's end.
    assert wake(40.25) == pytest.approx(0.751)
    assert wake(45.5) == pytest.approx(0.5)
    assert wake(44.9999) >= 0.005  # never a busy loop
