"""Chimes ring the timeline's sounds on schedule: unit tests on a fake clock, then real audio."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from companion.cli import main
from companion.commands import Context
from companion.engine.clock import FakeClock, MonotonicClock
from companion.engine.session import Session
from companion.engine.timeline import build_timeline
from companion.library.library import Library
from companion.paths import Paths
from companion.plain import run_plain
from companion.sound.chimes import Chimes
from companion.sound.player import Played, RecordingPlayer
from tests.support import practice_from

ROOT = Path(__file__).resolve().parent.parent

FORTY = """
title = "Forty"
[bells]
start = "bowl"
start_strikes = 3
end = "bowl"
end_strikes = 2
interval = "10s"
interval_sound = "bell"
[[segment]]
kind = "silence"
duration = "20s"
[[segment]]
kind = "silence"
duration = "20s"
chime = "tingsha"
"""

# Short sounds only (a tick lasts 0.25 s), so every onset stands out of silence.
MEASURE = """
title = "Measure"
[bells]
start = "tick"
start_strikes = 1
end = "tick"
end_strikes = 1
interval = "10s"
interval_sound = "tick"
[[segment]]
kind = "silence"
duration = "5s"
[[segment]]
kind = "silence"
duration = "5s"
chime = "tick"
[[segment]]
kind = "silence"
duration = "5s"
[[segment]]
kind = "silence"
duration = "5s"
chime = "tick"
"""

TINY = """
title = "Tiny"
[bells]
start = "tick"
start_strikes = 1
end = "tick"
end_strikes = 1
[[segment]]
kind = "silence"
duration = "1s"
[[segment]]
kind = "silence"
duration = "1s"
chime = "tick"
"""


def _setup(text: str, clock: FakeClock) -> tuple[Session, Chimes, RecordingPlayer]:
    timeline = build_timeline(practice_from(text))
    session = Session(timeline, clock)
    player = RecordingPlayer(clock)
    return session, Chimes(timeline, session, player, clock), player


def _step(clock: FakeClock, session: Session, chimes: Chimes, until: float) -> None:
    """Advance the fake clock in 0.5 s steps to practice time `until`, playing as we go."""
    chimes.play_due(clock.now() - session.practice_time_to_clock(0.0))
    while clock.now() < session.practice_time_to_clock(until) - 1e-9:
        clock.advance(0.5)
        chimes.play_due(clock.now() - session.practice_time_to_clock(0.0))


def _rung(player: RecordingPlayer, start: float) -> list[tuple[str, str, float]]:
    return [(p.name, p.role, round(p.time - start, 3)) for p in player.played]


def test_every_bell_rings_once_at_its_time() -> None:
    clock = FakeClock()
    session, chimes, player = _setup(FORTY, clock)
    session.start()
    start = clock.now()
    chimes.play_due(0.0)
    _step(clock, session, chimes, 44.0)
    assert _rung(player, start) == [
        ("bowl", "start", 0.0),
        ("bowl", "start", 4.0),
        ("bowl", "start", 8.0),
        ("bell", "interval", 10.0),
        ("bell", "interval", 20.0),
        ("tingsha", "chime", 20.0),
        ("bell", "interval", 30.0),
        ("bowl", "end", 40.0),
        ("bowl", "end", 43.0),
    ]


def test_play_due_is_idempotent() -> None:
    clock = FakeClock()
    session, chimes, player = _setup(FORTY, clock)
    session.start()
    assert [s.t for s in chimes.play_due(8.0)] == [0.0, 4.0, 8.0]
    assert chimes.play_due(8.0) == []
    assert chimes.play_due(9.9) == []
    assert len(player.played) == 3


def test_skip_forward_rings_only_what_follows_the_new_place() -> None:
    clock = FakeClock()
    session, chimes, player = _setup(FORTY, clock)
    session.start()
    chimes.play_due(0.0)
    clock.advance(1.0)
    assert session.skip()  # to 20 s, the second segment
    chimes.sync()
    _step(clock, session, chimes, 25.0)
    # The 4 s and 8 s strikes and the 10 s bell were jumped over; the segment chime and the
    # 20 s interval bell at the new place ring.
    assert [(p.name, p.role) for p in player.played] == [
        ("bowl", "start"),
        ("bell", "interval"),
        ("tingsha", "chime"),
    ]


def test_pause_silences_and_resume_keeps_the_schedule() -> None:
    clock = FakeClock()
    session, chimes, player = _setup(FORTY, clock)
    session.start()
    start = clock.now()
    _step(clock, session, chimes, 9.0)
    session.pause()
    chimes.sync()
    assert player.stops == 1
    clock.advance(30.0)
    assert chimes.play_due(35.0) == []  # nothing plays while paused
    session.resume()
    chimes.sync()
    _step(clock, session, chimes, 10.5)
    last = player.played[-1]
    assert last == Played("bell", 40.0 + start, "interval")  # 10 s of practice + 30 s paused


def test_ending_early_stops_the_remaining_sounds() -> None:
    clock = FakeClock()
    session, chimes, player = _setup(FORTY, clock)
    session.start()
    _step(clock, session, chimes, 12.0)
    count = len(player.played)
    session.end()
    clock.advance(60.0)
    assert chimes.play_due(72.0) == []
    assert len(player.played) == count


def test_closing_strikes_ring_after_a_natural_end() -> None:
    clock = FakeClock()
    session, chimes, player = _setup(FORTY, clock)
    session.start()
    _step(clock, session, chimes, 40.0)
    session.end()  # the UI ends the session when the practice completes
    clock.advance(3.5)
    chimes.play_due(43.5)
    assert [p.role for p in player.played][-2:] == ["end", "end"]


def test_unknown_sound_falls_back_to_the_bowl_with_a_notice() -> None:
    clock = FakeClock()
    timeline = build_timeline(practice_from(TINY))
    session = Session(timeline, clock)
    player = RecordingPlayer(clock, known={"bowl"})
    chimes = Chimes(timeline, session, player, clock)
    session.start()
    chimes.play_due(0.0)
    assert player.played[0].name == "bowl"
    assert player.notice is not None and "'tick'" in player.notice


class _Signalling(RecordingPlayer):
    """Sets an event once `count` sounds have been played."""

    def __init__(self, count: int) -> None:
        super().__init__(MonotonicClock())
        self.count = count
        self.enough = threading.Event()

    def play(self, name: str, role: str = "") -> None:
        super().play(name, role)
        if len(self.played) >= self.count:
            self.enough.set()


def test_the_thread_rings_on_the_real_clock() -> None:
    clock = MonotonicClock()
    timeline = build_timeline(practice_from(TINY))
    session = Session(timeline, clock)
    player = _Signalling(3)
    chimes = Chimes(timeline, session, player, clock)
    session.start()
    chimes.start()
    try:
        assert player.enough.wait(10.0)
    finally:
        chimes.stop()
    assert session.origin is not None
    late = [
        p.time - session.origin - t for p, t in zip(player.played, (0.0, 1.0, 2.0), strict=True)
    ]
    assert all(0.0 <= x < 0.02 for x in late), late
    assert not chimes.running


# -- real audio on SDL's disk driver ---------------------------------------------------------


def _measure(tmp_path: Path, text: str, *extra: str) -> dict[str, object]:
    """Run bench/onsets.py in a subprocess on the disk driver; return its JSON."""
    practice = tmp_path / "p.toml"
    practice.write_text(text)
    out = tmp_path / "result.json"
    env = dict(os.environ)
    env.update(
        SDL_AUDIODRIVER="disk",
        SDL_DISKAUDIOFILE=str(tmp_path / "out.raw"),
        PYGAME_HIDE_SUPPORT_PROMPT="1",
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "onsets.py"), str(practice), "--out", str(out), *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(out.read_text())
    return result


@pytest.mark.slow
def test_bells_sound_on_schedule_and_a_pause_delays_them(tmp_path: Path) -> None:
    result = _measure(tmp_path, MEASURE, "--pause-at", "12", "--pause-for", "2")
    assert result["rate"] == 44_100 and result["channels"] == 1
    scheduled = result["scheduled"]
    onsets = result["onsets"]
    latency = result["latency"]
    assert isinstance(scheduled, list) and isinstance(onsets, list)
    assert isinstance(latency, float) and latency < 0.02
    assert len(onsets) == len(scheduled) == 5  # start 0, chime 5, interval 10, chime 15, end 20
    for due, onset in zip(scheduled, onsets, strict=True):
        late = onset - due
        assert late >= -0.010 and late + latency <= 0.060, (due, onset)
    # The pause (2 s at 12 s) moved the 15 s chime and the end bell by the paused time.
    pause = result["pause_seconds"]
    assert isinstance(pause, float) and abs(pause - 2.0) < 0.05
    assert abs((onsets[3] - onsets[2]) - (5.0 + pause)) < 0.06
    assert abs((onsets[4] - onsets[3]) - 5.0) < 0.06


@pytest.mark.slow
def test_a_muted_run_writes_silence(tmp_path: Path) -> None:
    result = _measure(tmp_path, TINY, "--muted")
    assert result["peak"] == 0
    assert result["onsets"] == []
    samples = result["samples"]
    assert isinstance(samples, int) and samples > 44_100 * 2  # the mixer ran the whole time


def test_box_breathing_opens_with_three_bowls_and_closes_with_two(paths: Paths) -> None:
    practice = Library.load(paths).resolve("box-breathing")
    clock = FakeClock()
    timeline = build_timeline(practice)
    session = Session(timeline, clock)
    player = RecordingPlayer(clock)
    chimes = Chimes(timeline, session, player, clock)
    session.start()
    start = clock.now()
    _step(clock, session, chimes, timeline.last_sound_time() + 1.0)
    total = timeline.end
    rung = [(p.name, p.role, round(p.time - start, 3)) for p in player.played]
    assert [r for r in rung if r[1] == "start"] == [
        ("bowl", "start", 0.0),
        ("bowl", "start", 4.0),
        ("bowl", "start", 8.0),
    ]
    assert [r for r in rung if r[1] == "end"] == [
        ("bowl", "end", total),
        ("bowl", "end", total + 3.0),
    ]


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

