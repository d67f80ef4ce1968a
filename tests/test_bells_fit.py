"""Bells belong to the practice: no opening strike after the end or on top of the end bell,
in the chimes (the TUI's sound), the plain runner and `show`, which all read the timeline."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from companion.cli import main
from companion.commands import Context
from companion.engine.clock import FakeClock
from companion.engine.session import Session
from companion.engine.timeline import build_timeline
from companion.paths import Paths
from companion.plain import run_plain
from companion.sound.chimes import Chimes
from companion.sound.player import RecordingPlayer
from tests.support import practice_from

SHORT = """
title = "Short"
[bells]
start = "bowl"
start_strikes = 3
end = "bell"
end_strikes = 2
[[segment]]
kind = "silence"
duration = "{length}"
"""


def _cli(paths: Paths, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), ctx=Context(paths, out=out, err=io.StringIO()))
    return code, out.getvalue()


def test_a_three_second_practice_rings_one_opening_strike_then_the_end() -> None:
    timeline = build_timeline(practice_from(SHORT.format(length="3s")))
    sounds = [(s.t, s.role) for s in timeline.sounds(0.0, 100.0)]
    assert sounds == [(0.0, "start"), (3.0, "end"), (6.0, "end")]


def test_the_plain_runner_prints_no_start_strike_after_the_end() -> None:
    timeline = build_timeline(practice_from(SHORT.format(length="3s")))
    clock = FakeClock()
    out = io.StringIO()
    rung: list[tuple[float, str]] = []
    start = clock.now()
    run_plain(
        timeline, clock, clock.sleep, out, play=lambda s, r: rung.append((clock.now() - start, r))
    )
    lines = out.getvalue().splitlines()
    assert not any("(start), 2 of" in line for line in lines), lines
    complete = lines.index("[00:03] The practice is complete")
    assert all("(start)" not in line for line in lines[complete:])
    assert [r for _, r in rung if r == "start"] == ["start"]


def test_the_chimes_ring_no_start_strike_after_the_end() -> None:
    clock = FakeClock()
    timeline = build_timeline(practice_from(SHORT.format(length="3s")))
    session = Session(timeline, clock)
    player = RecordingPlayer(clock)
    chimes = Chimes(timeline, session, player, clock)
    session.start()
    start = clock.now()
    while clock.now() - start < 10.0:
        chimes.play_due(clock.now() - start)
        clock.advance(0.5)
    assert [(p.role, round(p.time - start, 1)) for p in player.played] == [
        ("start", 0.0),
        ("end", 3.0),
        ("end", 6.0),
    ]


@pytest.mark.parametrize(
    ("length", "kept"),
    [("3s", [0.0]), ("8s", [0.0, 4.0]), ("11s", [0.0, 4.0]), ("12s", [0.0, 4.0, 8.0])],
)
def test_strikes_within_the_clearance_of_the_end_bell_are_dropped(
    length: str, kept: list[float]
) -> None:
    timeline = build_timeline(practice_from(SHORT.format(length=length)))
    assert timeline.start_strikes() == kept


def test_without_an_end_bell_strikes_stop_at_the_end() -> None:
    text = SHORT.format(length="5s").replace('end = "bell"', 'end = "none"')
    timeline = build_timeline(practice_from(text))
    assert [s.t for s in timeline.sounds(0.0, 100.0)] == [0.0, 4.0]


def test_show_and_validate_say_what_rings(paths: Paths, tmp_path: Path) -> None:
    file = tmp_path / "short.toml"
    file.write_text(SHORT.format(length="3s"))
    code, out = _cli(paths, "show", "--json", str(file))
    assert code == 0
    times = json.loads(out)["bells"]["times"]
    assert [(b["t"], b["role"]) for b in times] == [(0.0, "start"), (3.0, "end"), (6.0, "end")]
    code, out = _cli(paths, "validate", str(file))
    assert code == 0  # a note, not an error: the practice still runs
    assert f"{file}: ok" in out
    assert f"{file}: bells.start_strikes: note: 2 of 3 opening strikes will not ring" in out
    assert "longer than 11s" in out
    file.write_text(SHORT.format(length="20s"))
    assert _cli(paths, "validate", str(file)) == (0, f"{file}: ok\n")
