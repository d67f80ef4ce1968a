"""Ctrl+Z: to the shell with the practice paused and quiet; `fg` brings it back as it was."""

from __future__ import annotations

import array
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import companion.ui.suspend
from companion.config import Config
from companion.engine.clock import FakeClock
from companion.paths import Paths
from companion.system import job_control
from companion.ui.app import CompanionApp, make_app
from companion.ui.bindings import BINDING_IDS
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.practice import PracticeScreen
from tests.support import (
    COMPANION,
    NEEDS_TMUX,
    RecordingJournal,
    RecordingPlayer,
    Term,
    every_kind,
    record_notices,
    write_still_box,
)


def build(
    paths: Paths, tmp_path: Path, *, practice: bool = True
) -> tuple[CompanionApp, FakeClock, RecordingPlayer]:
    clock, player = FakeClock(), RecordingPlayer()
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path) if practice else None,
        clock=clock,
        player=player,
        journal=RecordingJournal(),
        config=Config(),
    )
    return app, clock, player


def suspends(app: CompanionApp) -> list[str]:
    """Keep each hand-over to Textual's suspend (the headless test driver cannot stop)."""
    handed: list[str] = []
    suspend = app.action_suspend_process

    def recording() -> None:
        handed.append(type(app.screen).__name__)
        suspend()

    app.action_suspend_process = recording  # type: ignore[method-assign]
    return handed


@pytest.fixture
def shell_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """As under an interactive shell with job control (pytest's own terminal may have none)."""
    monkeypatch.setattr(companion.ui.suspend, "job_control", lambda: True)


async def test_ctrl_z_pauses_the_practice_and_hushes_the_bells(
    paths: Paths, tmp_path: Path, shell_waits: None
) -> None:
    app, clock, player = build(paths, tmp_path)
    handed = suspends(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.sitting.started
        clock.advance(12.3)
        await pilot.press("ctrl+z")
        sitting = screen.sitting
        assert sitting.paused and handed == ["PracticeScreen"]
        assert ("stop_all",) in player.calls  # nothing rings on into the shell
        left = sitting.state().total - sitting.elapsed()  # type: ignore[operator]
        # Back from `fg` (Textual publishes this): still paused, the same time left.
        clock.advance(60.0)
        app.app_resume_signal.publish(app)
        await pilot.pause()
        assert sitting.paused
        assert sitting.state().total - sitting.elapsed() == left  # type: ignore[operator]
        assert "Paused" in str(screen.query_one("#head").render())
        await pilot.press("space")
        assert not sitting.paused
        clock.advance(2.0)
        assert sitting.elapsed() == pytest.approx(14.3)


async def test_any_suspend_pauses_first(paths: Paths, tmp_path: Path) -> None:
    """Textual's own suspend (App.suspend, a SIGTSTP from outside) pauses the practice too."""
    app, _, _ = build(paths, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.sitting is not None and app.sitting.started
        app.app_suspend_signal.publish(app)
        assert app.sitting.paused  # at once: the process stops right after this signal


async def test_ctrl_z_on_the_home_screen_suspends_too(
    paths: Paths, tmp_path: Path, shell_waits: None
) -> None:
    app, _, player = build(paths, tmp_path, practice=False)
    handed = suspends(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+z")
        assert handed == ["HomeScreen"]
        assert ("stop_all",) in player.calls


async def test_without_job_control_ctrl_z_stays_and_says_so(
    paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(companion.ui.suspend, "job_control", lambda: False)
    app, _, _ = build(paths, tmp_path)
    handed = suspends(app)
    told = record_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+z")
        assert handed == []
        assert app.sitting is not None and not app.sitting.paused  # it simply carries on
        assert any("Ctrl+Z" in t and "Space pauses" in t for t in told)
        assert app.is_running


async def test_ctrl_z_is_a_binding_the_keymap_can_move(paths: Paths, tmp_path: Path) -> None:
    assert "suspend" in BINDING_IDS
    clock = FakeClock()
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=clock,
        player=RecordingPlayer(),
        journal=RecordingJournal(),
        config=Config(keys={"suspend": "ctrl+y"}),
    )
    told = record_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+y")
        assert any("Ctrl+Z" in t for t in told)  # the suspend action ran (no job control here)


def test_no_job_control_in_a_session_of_its_own() -> None:
    """Run as the leader of its own session (as tmux or a service starts it): no shell waits."""
    code = "from companion.system import job_control; print(job_control())"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, start_new_session=True
    )
    assert out.stdout.strip() == "False"


def test_no_job_control_on_windows_or_without_sigtstp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    assert not job_control()
    monkeypatch.undo()
    monkeypatch.delattr(signal, "SIGTSTP", raising=False)
    assert not job_control()


# -- in a real terminal, with a real shell ---------------------------------------------


def seconds_left(screen: str) -> tuple[int, bool]:
    """The heading's time left in seconds, and whether it says Paused."""
    head = next(line for line in screen.splitlines() if " left" in line)
    minutes, seconds = head.split("·")[2].split()[0].split(":")
    return int(minutes) * 60 + int(seconds), "Paused" in head


@pytest.mark.slow
@NEEDS_TMUX
@pytest.mark.skipif(not hasattr(signal, "SIGTSTP"), reason="no job control on this system")
def test_ctrl_z_and_fg_in_a_real_shell(tmp_path: Path) -> None:
    assert COMPANION is not None
    home = tmp_path / "home"
    write_still_box(home)
    term = Term(tmp_path, "env PS1='READY$ ' bash --norc --noprofile -i", home=home)
    try:
        term.wait_for("READY$")
        term.keys(f"{COMPANION} run still-box --no-sound", "Enter")
        term.wait_for("Breathe in")
        term.keys("t")
        before, _ = seconds_left(term.wait_for("thinking - noted"))
        term.keys("C-z")
        shell = term.wait_for("Stopped")
        assert "Still box" not in shell  # the shell has the terminal back, the screen restored
        term.keys("jobs", "Enter")
        jobs = term.wait_for("READY$ jobs")
        assert "Stopped" in jobs.split("READY$ jobs")[-1]
        time.sleep(3.0)  # real time passing in the shell must not pass in the practice
        term.keys("fg", "Enter")
        left, paused = seconds_left(term.wait_for("Paused (space to go on)"))
        assert paused and before - 1 <= left <= before  # Ctrl+Z landed within that second
        time.sleep(1.5)
        assert seconds_left(term.screen()) == (left, True)  # still paused, nothing moves
        term.keys("Space")
        deadline = time.monotonic() + 10
        while seconds_left(term.screen())[0] >= left and time.monotonic() < deadline:
            time.sleep(0.1)
        now, paused = seconds_left(term.screen())
        assert now < left and not paused  # space goes on from where it was
        term.keys("f")
        term.wait_for("feeling - noted")
        term.keys("Escape")
        term.wait_for("Ended early")
        term.keys("q")
        term.wait_for("READY$ fg\n")  # the shell's screen again (keys sent sooner reach the app)
        term.keys("echo EXIT=$?", "Enter")
        term.wait_for("EXIT=0")
    finally:
        term.close()
    env = {**os.environ, "COMPANION_HOME": str(home)}
    out = subprocess.run([COMPANION, "history", "--json"], capture_output=True, text=True, env=env)
    runs = json.loads(out.stdout)
    assert len(runs) == 1  # the suspended run is one run, kept whole
    run = runs[0]
    assert run["practice_id"] == "still-box" and run["status"] == "ended early"
    assert run["labels"] == {"thinking": 1, "feeling": 1}
    assert 1 <= run["practised"] <= 120 - now + 1  # the time in the shell is not counted


INTERVAL_BOX = """
title = "Interval box"
summary = "Box breathing with a bell at ten seconds, for the suspend test."

[bells]
start = "none"
end = "none"
interval = "10s"
interval_sound = "bell"

[[segment]]
kind = "breath"
duration = "1m"
whole_breaths = false  # exactly a minute: the test reads its seconds
pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }
"""

RATE = 44_100  # the mixer: mono, signed 16-bit, so SDL's disk driver writes 2 bytes a sample


def samples(raw: Path, start: int, end: int | None = None) -> array.array[int]:
    """The samples the disk driver wrote between two byte offsets of its file."""
    body = raw.read_bytes()[start:end]
    data = array.array("h")
    data.frombytes(body[: len(body) // 2 * 2])
    return data


def first_sound(raw: Path, start: int) -> float | None:
    """Seconds from a byte offset to the first sample that is not silence (None: none yet)."""
    for i, x in enumerate(samples(raw, start)):
        if abs(x) > 300:
            return i / RATE
    return None


@pytest.mark.slow
@NEEDS_TMUX
@pytest.mark.skipif(not hasattr(signal, "SIGTSTP"), reason="no job control on this system")
def test_the_bells_are_silent_while_suspended_and_ring_on_after_space(tmp_path: Path) -> None:
    """A bell due while the app is in the background does not ring on `fg`, only after space."""
    assert COMPANION is not None
    folder = tmp_path / "home" / "practices"
    folder.mkdir(parents=True)
    (folder / "interval-box.toml").write_text(INTERVAL_BOX)
    raw = tmp_path / "out.raw"
    term = Term(
        tmp_path,
        "env PS1='READY$ ' bash --norc --noprofile -i",
        home=tmp_path / "home",
        env={"SDL_AUDIODRIVER": "disk", "SDL_DISKAUDIOFILE": str(raw)},
    )
    try:
        term.wait_for("READY$")
        term.keys(f"{COMPANION} run interval-box", "Enter")
        term.wait_for("00:55 left")  # five seconds in: the bell is five seconds away
        term.keys("C-z")
        term.wait_for("Stopped")
        stopped = raw.stat().st_size
        time.sleep(7.0)  # in the shell past the bell's time (real time, that is the point)
        assert raw.stat().st_size - stopped < RATE  # the process, mixer and all, is stopped
        term.keys("fg", "Enter")
        left, paused = seconds_left(term.wait_for("Paused (space to go on)"))
        assert paused and left in (54, 55)
        back = raw.stat().st_size
        time.sleep(3.0)  # paused after `fg`: the missed bell must not ring now either
        resumed = raw.stat().st_size
        assert resumed - back > RATE  # the mixer was running (writing silence) ...
        assert max(map(abs, samples(raw, back, resumed))) == 0  # ... and nothing rang
        term.keys("Space")
        deadline = time.monotonic() + 15
        onset = None
        while onset is None and time.monotonic() < deadline:
            time.sleep(0.5)
            onset = first_sound(raw, resumed)
        # It rings when practice time reaches ten seconds: 10 - (60 - left) seconds after space
        # (the heading rounds the time left up, so up to a second later).
        due = 10 - (60 - left)
        assert onset is not None and due - 0.5 < onset < due + 1.5, (onset, due)
        term.keys("Escape")
        term.wait_for("Ended early")
        term.keys("q")
    finally:
        term.close()
