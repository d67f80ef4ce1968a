"""`companion run PRACTICE --until CMD`: the command in the background, the practice until it ends."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.engine.timeline import build_timeline
from companion.practice.load import load_practice
from companion.until import (
    MAX_SEGMENTS,
    UntilCommand,
    UntilResult,
    describe,
    rounds,
    shell_argv,
)
from tests.support.outside import (
    COMPANION,
    WAIT,
    Term,
    companion_command,
    e2e,
    env_for,
    eventually,
    run,
    short_home,
    status,
)

PRACTICES = Path(__file__).resolve().parents[1] / "practices"


@pytest.fixture
def home() -> Iterator[Path]:
    with short_home() as path:
        yield path


# -- the pure parts ---------------------------------------------------------------------------
def test_a_practice_with_a_length_repeats_in_rounds_and_its_end_runs_on() -> None:
    box = load_practice(PRACTICES / "box-breathing.toml")
    repeated = rounds(box)
    n = len(box.segments)
    assert len(repeated.segments) % n == 0 and len(repeated.segments) <= MAX_SEGMENTS
    assert repeated.segments[n : 2 * n - 1] == box.segments[: n - 1]  # round two as round one
    assert repeated.segments[-1].is_open and repeated.segments[-1].kind == box.segments[-1].kind
    timeline = build_timeline(repeated)
    assert timeline.total is None  # open: it ends when the command does
    eleven_hours = timeline.state_at(11 * 3600.0)
    assert eleven_hours.segment.title in {s.title for s in box.segments}
    assert (repeated.id, repeated.title) == (box.id, box.title)


def test_an_open_practice_is_left_as_it_is() -> None:
    box = load_practice(PRACTICES / "box-breathing.toml")
    breath = box.segments[1]._replace(duration=None)
    open_one = box._replace(segments=(box.segments[0], breath))
    assert rounds(open_one) is open_one


def test_the_command_runs_in_the_users_shell() -> None:
    assert shell_argv("make test && echo ok", {"SHELL": "/bin/bash"}) == [
        "/bin/bash",
        "-c",
        "make test && echo ok",
    ]
    assert shell_argv("x", {})[0] == "/bin/sh"


def test_describe_says_how_the_command_ended_and_how_long_it_ran(tmp_path: Path) -> None:
    log = tmp_path / "until.log"
    assert describe(UntilResult("sleep 20", 5, log, 20.0, 0)) == (
        "`sleep 20` finished: exit 0 after 00:20."
    )
    assert (
        describe(UntilResult("false", 5, log, 0.01, 1)) == "`false` finished: exit 1 after 00:00."
    )
    assert describe(UntilResult("make", 5, log, 75.4, -signal.SIGTERM, stopped=True)) == (
        "`make` was stopped after 01:15."
    )
    assert describe(UntilResult("make", 5, log, 3, -signal.SIGKILL)) == (
        "`make` ended by SIGKILL after 00:03."
    )
    assert describe(UntilResult("make", 42, log, 3, None)) == (
        f"`make` is still running (process 42); its output goes to {log}"
    )


# -- real commands ------------------------------------------------------------------------------
def _finish(command: UntilCommand) -> UntilResult:
    done = threading.Event()
    results: list[UntilResult] = []

    def on_done(result: UntilResult) -> None:
        results.append(result)
        done.set()

    command.watch(on_done)
    assert done.wait(WAIT)
    return results[0]


def test_a_command_runs_with_its_output_in_a_log_and_its_status_is_kept(tmp_path: Path) -> None:
    command = UntilCommand("echo out; echo err >&2; exit 3", tmp_path / "logs")
    command.start()
    result = _finish(command)
    assert (result.code, result.running, result.stopped) == (3, False, False)
    text = result.log.read_text()
    assert text.startswith("# companion run --until, ")
    assert "$ echo out; echo err >&2; exit 3\nout\nerr\n" in text
    assert result.log.parent == tmp_path / "logs"
    again = UntilCommand("true", tmp_path / "logs")
    again.start()
    assert _finish(again).log != result.log  # each run has a log of its own


def test_stop_ends_the_command_and_what_it_started(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    command = UntilCommand(f"sleep 300 & echo $! > {pids}; wait", tmp_path / "logs")
    command.start()
    child = int(
        eventually("the child's pid", lambda: (pids.exists() and pids.read_text().strip()) or None)
    )
    result = command.stop(grace=5.0)
    assert result.stopped and result.code is not None and not result.running
    # The whole group is gone, not only the shell: nothing is left behind.
    eventually("the child ended", lambda: None if _alive(child) else True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status_file = Path(f"/proc/{pid}/status")
    return not (status_file.exists() and "\nState:\tZ" in status_file.read_text())


def test_a_shell_that_does_not_exist_is_said_plainly(tmp_path: Path) -> None:
    from companion.until import UntilError

    command = UntilCommand("true", tmp_path, argv=["/no/such/shell", "-c", "true"])
    with pytest.raises(UntilError, match="cannot start /no/such/shell"):
        command.start()


def ran_for(text: str) -> int:
    """The seconds in "... finished: exit N after mm:ss."."""
    found = re.search(r"finished: exit -?\d+ after (\d\d):(\d\d)\.", text)
    assert found, text
    return int(found.group(1)) * 60 + int(found.group(2))


# -- the installed command ------------------------------------------------------------------------
slow = pytest.mark.slow


@slow
@pytest.mark.skipif(COMPANION is None, reason="companion is not installed")
@pytest.mark.parametrize(("cmd", "code"), [("sleep 5", 0), ("false", 1)])
def test_plain_ends_with_the_command_and_prints_its_exit_status(
    home: Path, cmd: str, code: int
) -> None:
    done = run(home, "run", "box-breathing", "--plain", "--no-sound", "--until", cmd)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"Practising until `{cmd}` finishes (process ")
    assert lines[1] == "Box breathing - open. Ctrl+C ends the practice."
    assert lines[-2].startswith("Practised ") and "Well done" in lines[-2]
    assert lines[-1].startswith(f"`{cmd}` finished: exit {code} after ")
    log = Path(lines[-1].split("Its output: ")[1])
    assert log.parent == home / "logs" and f"$ {cmd}" in log.read_text()
    if cmd.startswith("sleep"):
        assert ran_for(lines[-1]) >= 5  # how long it ran: never less than its own sleep
    row = json.loads(run(home, "history", "--json").stdout)[0]
    assert row["status"] == "completed" and row["planned"] is None


@slow
@pytest.mark.skipif(COMPANION is None, reason="companion is not installed")
def test_plain_interrupted_without_a_terminal_leaves_the_command_running_and_says_so(
    home: Path,
) -> None:
    assert COMPANION is not None
    proc = subprocess.Popen(
        [COMPANION, "run", "box-breathing", "--plain", "--no-sound", "--until", "sleep 300"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
        env=env_for(home),
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    command_pid = int(first.split("(process ")[1].split(")")[0])
    try:
        eventually("the practice answers", lambda: status(home))
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=WAIT)
        assert proc.returncode == 0
        last = out.splitlines()[-1]
        assert last.startswith(f"`sleep 300` is still running (process {command_pid})")
        assert _alive(command_pid)
    finally:
        if _alive(command_pid):
            os.kill(command_pid, signal.SIGTERM)


@pytest.mark.parametrize(("cmd", "code"), [("sleep 5", 0), ("false", 1)])
@e2e
def test_the_app_ends_with_the_command_and_its_summary_shows_the_exit_status(
    home: Path, cmd: str, code: int
) -> None:
    term = Term(home, companion_command("run", "box-breathing", "--no-sound", "--until", cmd))
    try:
        screen = term.wait_for("Completed: practised", f"`{cmd}` finished: exit {code} after ")
        if cmd.startswith("sleep"):
            assert ran_for(screen) >= 5
        term.keys("q")
        after = term.wait_for("EXIT=0")
        # The terminal the app gives back says it once more, with the log's name.
        assert f"`{cmd}` finished: exit {code} after" in after and "Its output: " in after
    finally:
        term.close()


@e2e
def test_ctrl_c_in_the_app_ends_the_practice_and_asks_before_stopping_the_command(
    home: Path,
) -> None:
    term = Term(
        home, companion_command("run", "box-breathing", "--no-sound", "--until", "sleep 300")
    )
    try:
        eventually("the practice answers", lambda: status(home))
        term.keys("C-c")
        term.wait_for("`sleep 300` is still running.", "Stop it too?")
        term.keys("y")
        screen = term.wait_for("Ended early", "`sleep 300` was stopped after")
        assert "Its output:" in screen
    finally:
        term.close()
    logs = list((home / "logs").glob("until-*.log"))
    assert len(logs) == 1 and "$ sleep 300" in logs[0].read_text()


@e2e
def test_ctrl_c_in_plain_asks_on_the_terminal_before_stopping_the_command(home: Path) -> None:
    line = companion_command(
        "run", "box-breathing", "--plain", "--no-sound", "--until", "sleep 300"
    )
    term = Term(home, line)
    try:
        eventually("the practice answers", lambda: status(home))
        term.keys("C-c")
        term.wait_for("Ended early after", "`sleep 300` is still running. Stop it too? [y/N]")
        term.keys("y", "Enter")
        screen = term.wait_for("`sleep 300` was stopped after", "EXIT=0")
        assert "Its output:" in screen
    finally:
        term.close()
