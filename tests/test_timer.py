"""`companion timer`: a quiet sitting built on the fly, run like any practice and journalled."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion.engine.timeline import build_timeline
from companion.practice.timer import TimerChoice, TimerError, describe, timer_practice
from tests.support.term import COMPANION, Term


def test_a_timer_is_a_countdown_a_start_bell_interval_bells_and_an_end_bell() -> None:
    practice = timer_practice(TimerChoice(minutes=10, interval=300, prepare=10, bell="gong"))
    assert practice.id == "timer" and practice.prepare == 10
    timeline = build_timeline(practice, seed=1)
    rung = [(s.t, s.sound, s.role) for s in timeline.sounds(0.0, 700.0)]
    assert rung[0] == (0.0, "gong", "start")
    assert (300.0, "gong", "interval") in rung
    assert [r for r in rung if r[2] == "interval"] == [(300.0, "gong", "interval")]
    assert next(r[0] for r in rung if r[2] == "end") == 600.0
    assert describe(TimerChoice(minutes=10, interval=300)) == "10 min, a bell every 5 min"


def test_an_open_timer_rings_its_intervals_until_it_is_ended() -> None:
    practice = timer_practice(TimerChoice(minutes=None, interval=60))
    timeline = build_timeline(practice)
    assert timeline.total is None
    assert [s.t for s in timeline.sounds(1.0, 200.0)] == [60.0, 120.0, 180.0]


@pytest.mark.parametrize(
    ("choice", "said"),
    [
        (TimerChoice(minutes=5, interval=600), "does not fit in 5 min"),
        (TimerChoice(minutes=5, interval=5), "at least 10 seconds"),
        (TimerChoice(minutes=0), "more than 0"),
    ],
)
def test_a_timer_that_cannot_be_says_what_to_change(choice: TimerChoice, said: str) -> None:
    with pytest.raises(TimerError, match=said):
        timer_practice(choice)


def _companion(home: Path, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    assert COMPANION is not None
    env = {
        **os.environ,
        "COMPANION_HOME": str(home),
        "SDL_AUDIODRIVER": "dummy",
        "PYGAME_HIDE_SUPPORT_PROMPT": "1",
    }
    return subprocess.run(
        [COMPANION, *argv], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["timer", "ten"], 'MINUTES is a number of minutes or "open"'),
        (["timer", "5", "--interval", "5 minutes please"], "--interval:"),
        (["timer", "5", "--bell", "bowel"], "did you mean 'bowl'?"),
        (["timer", "5", "--background", "rian"], "did you mean 'rain'?"),
        (["timer", "5", "--interval", "10m"], "does not fit in 5 min"),
    ],
)
def test_bad_timer_flags_are_named_without_a_traceback(
    tmp_path: Path, argv: list[str], said: str
) -> None:
    done = _companion(tmp_path / "home", *argv)
    assert done.returncode == 2
    assert said in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_timer_plain_counts_down_rings_and_is_kept_in_the_journal(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = _companion(
        home, "timer", "0.5", "--interval", "10s", "--prepare", "2s", "--plain", "--no-sound"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1:3] == ["Starting in 2", "Starting in 1"]
    assert "[00:00] bell: bowl (start)" in lines
    assert "[00:10] bell: bowl (interval)" in lines
    assert "[00:20] bell: bowl (interval)" in lines
    assert any(line.startswith("[00:30] bell: bowl (end)") for line in lines)
    assert lines[-1].startswith("Practised 00:30")
    history = _companion(home, "history")
    assert "Timer" in history.stdout and "00:30 of 00:30" in history.stdout


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("tmux") is None or COMPANION is None, reason="needs tmux and the console script"
)
def test_timer_in_the_app_counts_down_sits_and_is_journalled(tmp_path: Path) -> None:
    term = Term(tmp_path, f"{COMPANION} timer 0.2 --prepare 3s --no-sound", home=tmp_path / "home")
    try:
        term.wait_for("Starting in")
        term.wait_for("Sitting quietly", "Timer", timeout=15)
        term.wait_for("Completed: practised 00:12 of 00:12", timeout=40)
        term.keys("q")
        term.wait_for("EXIT=0", timeout=15)
    finally:
        term.close()
    history = _companion(tmp_path / "home", "history")
    assert "Timer" in history.stdout, history.stdout


def test_timer_is_in_the_commands_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "companion", "timer", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    for flag in ("--interval", "--prepare", "--bell", "--background", "--eyes-closed", "--plain"):
        assert flag in done.stdout


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("tmux") is None or COMPANION is None, reason="needs tmux and the console script"
)
def test_the_home_screens_timer_chooses_minutes_and_interval_with_a_few_keys(
    tmp_path: Path,
) -> None:
    term = Term(tmp_path, f"{COMPANION} --no-sound", home=tmp_path / "home")
    try:
        term.wait_for("Box breathing", "box-breathing")
        term.keys("t")
        term.wait_for("10 min", every=True)
        term.keys("Right")
        term.wait_for("15 min")
        term.keys("i", "i", "i")
        term.wait_for("15 min, a bell every 5 min")
        term.keys("Enter")
        term.wait_for("Starting in")
        term.keys("Escape")
        term.wait_for("Ended early", "practised", timeout=15)
        term.keys("q")
        term.wait_for("EXIT=0", timeout=15)
    finally:
        term.close()


@pytest.mark.slow
def test_an_open_timer_until_a_command_finishes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = _companion(home, "timer", "open", "--plain", "--no-sound", "--until", "sleep 3")
    assert done.returncode == 0, done.stderr
    assert "[00:00] bell: bowl (start)" in done.stdout
    assert "`sleep 3` finished: exit 0" in done.stdout
    assert "Timer" in _companion(home, "history").stdout
