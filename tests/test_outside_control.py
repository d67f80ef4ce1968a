"""A real practice (the installed console script in tmux) reached from other processes:
`companion note`, `status`, `status --follow`, `pause`, `end`, another user, a killed app."""

from __future__ import annotations

import json
import os
import pwd
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.outside import (
    COMPANION,
    WAIT,
    Term,
    as_nobody,
    companion_command,
    env_for,
    eventually,
    needs_tmux,
    run,
    short_home,
    status,
)

pytestmark = needs_tmux

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def home() -> Iterator[Path]:
    with short_home() as path:
        yield path


def practising(home: Path, *args: str, practice: str = "box-breathing") -> Term:
    """Box breathing (or `practice`) in the app, in tmux, once it answers from outside."""
    term = Term(home, companion_command("run", practice, "--no-sound", *args))
    eventually("the practice answers `status`", lambda: status(home))
    return term


def panel_count(screen: str, label: str) -> int:
    """The count beside a label in the noting panel."""
    found = re.search(rf"\b{label}\s+(\d+)\s*$", screen, re.MULTILINE)
    assert found, f"no {label} row on screen:\n{screen}"
    return int(found.group(1))


def test_a_note_from_another_process_counts_on_screen_in_the_journal_and_summary(
    home: Path,
) -> None:
    term = practising(home)
    try:
        assert panel_count(term.wait_for("thinking"), "thinking") == 0
        done = run(home, "note", "t")
        assert (done.returncode, done.stdout.strip()) == (0, "Noted: thinking (1 note so far).")
        # Acknowledged on screen as a key press is, and counted in the panel.
        screen = term.wait_for("thinking - noted")
        assert panel_count(screen, "thinking") == 1
        assert run(home, "note", "Feeling").returncode == 0
        eventually("feeling counted", lambda: panel_count(term.screen(), "feeling") or None)
        # Undoable with backspace, exactly like a note taken with its key.
        term.keys("BSpace")
        eventually("the undo", lambda: panel_count(term.screen(), "feeling") == 0 or None)
        assert status(home) is not None and status(home)["notes_by_label"] == {"thinking": 1}  # type: ignore[index]
        term.keys("Escape")
        summary = term.wait_for("Ended early", "Notes: 1")
        assert re.search(r"thinking\s+1", summary)
    finally:
        term.close()
    rows = json.loads(run(home, "history", "--json").stdout)
    assert len(rows) == 1
    assert rows[0]["notes"] == 1 and rows[0]["labels"] == {"thinking": 1}


def test_status_agrees_with_the_screen_at_a_phase_change(home: Path) -> None:
    term = practising(home)
    try:
        term.keys("n")  # into Box breathing: a phase every 4 seconds
        first = eventually("paced breathing", lambda: (s := status(home)) and s["phase"] and s)
        # Wait for the next phase, then read status, screen, status: when the two answers agree
        # (no boundary passed while the screen was read), the screen must show the same.
        eventually(
            "a phase change",
            lambda: (s := status(home)) and s["phase"] != first["phase"] and s,
        )
        for _ in range(10):  # a phase lasts 4 s: a second look soon agrees
            before = status(home)
            screen = term.screen()
            after = status(home)
            assert before is not None and after is not None
            same = ("phase", "segment_index")
            if all(before[k] == after[k] for k in same):
                break
        else:
            raise AssertionError("the phase changed while every screen was read")
        assert before["phase"] in screen
        head = screen.splitlines()[0]
        assert before["segment"] == "Box breathing" and "Box breathing" in head
        shown = re.search(r"(\d\d):(\d\d) left", head)
        assert shown, head
        seconds = int(shown.group(1)) * 60 + int(shown.group(2))
        assert before["practice_left"] - 1.5 <= seconds <= after["practice_left"] + 1.5
        assert before["title"] == "Box breathing" and before["notes"] == 0
    finally:
        term.close()


# Box breathing's shape with two-second sides: eight polls of `status --follow` a phase.
QUICK_BOX = """
title = "Quick box"
[[segment]]
kind = "settle"
duration = "1m"
title = "Arriving"
[[segment]]
kind = "breath"
duration = "4m"
title = "Box"
pattern = { in = 2, hold = 2, out = 2, hold_out = 2 }
"""


def test_status_follow_prints_one_line_per_phase_not_per_frame(home: Path) -> None:
    (home / "practices").mkdir(parents=True)
    (home / "practices" / "quick-box.toml").write_text(QUICK_BOX)
    term = practising(home, practice="quick-box")
    assert COMPANION is not None
    follower = subprocess.Popen(
        [COMPANION, "status", "--follow"], stdout=subprocess.PIPE, text=True, env=env_for(home)
    )
    try:
        assert follower.stdout is not None
        assert follower.stdout.readline().strip() == "Arriving · Quick box"
        term.keys("n")
        # The box goes in, hold, out, hold. One line each, in order, with no repeats:
        # a follower printing per frame or per poll would repeat a line between changes.
        lines = [follower.stdout.readline().strip() for _ in range(5)]
        words = [line.split(" · ")[0] for line in lines]
        cycle = ["Breathe in", "Hold", "Breathe out", "Hold"]
        start = cycle.index(words[0])
        assert words == [cycle[(start + i) % 4] for i in range(5)], lines
        assert all(line.endswith(" · Quick box") for line in lines)
    finally:
        follower.terminate()
        follower.wait(WAIT)
        term.close()


def test_pause_and_end_from_outside_do_what_space_and_escape_do(home: Path) -> None:
    term = practising(home)
    try:
        paused = run(home, "pause")
        assert paused.returncode == 0 and paused.stdout.startswith("Paused Box breathing at ")
        term.wait_for("Paused (space to go on)")
        snap = status(home)
        assert snap is not None and snap["paused"] is True
        assert run(home, "resume").returncode == 0
        eventually("resumed", lambda: "Paused" not in term.screen().splitlines()[0] or None)
        ended = run(home, "end")
        assert ended.returncode == 0 and ended.stdout.startswith("Ended Box breathing after ")
        term.wait_for("Ended early", "That still counts.")
        after = run(home, "status")
        assert (after.returncode, after.stdout.strip()) == (1, "not practising")
        assert not list((home / "run").glob("*.sock"))
    finally:
        term.close()
    rows = json.loads(run(home, "history", "--json").stdout)
    assert [r["status"] for r in rows] == ["ended early"]


def test_another_user_is_refused_by_the_running_practice(home: Path) -> None:
    prefix = as_nobody()
    probe = subprocess.run([*prefix, "/usr/bin/python3", "-c", "import tomllib"])
    if probe.returncode != 0:
        pytest.skip("no python that nobody may run")
    term = practising(home)
    try:
        snap = status(home)
        assert snap is not None
        sock = home / "run" / f"practice-{snap['pid']}.sock"
        # Loosen every file mode on the way (a mistake a user could make): the practice itself
        # still checks who connects and refuses anyone else.
        for path in (home.parent, home, home / "run"):
            path.chmod(0o755)
        sock.chmod(0o666)
        theirs = home.parent / "theirs"
        (theirs / "run").mkdir(parents=True)
        (theirs / "run" / sock.name).symlink_to(sock)
        nobody = pwd.getpwnam("nobody")
        for path in (theirs, theirs / "run"):
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        purelib = subprocess.run(
            [sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        env = {**env_for(theirs), "PYTHONPATH": f"{ROOT}:{purelib}"}
        done = subprocess.run(
            [*prefix, "/usr/bin/python3", "-m", "companion", "note", "t"],
            capture_output=True,
            text=True,
            env=env,
            cwd="/",
            timeout=WAIT,
        )
        assert done.returncode == 1
        assert "this practice belongs to another user" in done.stderr
        assert "Traceback" not in done.stderr
        assert panel_count(term.screen(), "thinking") == 0
        assert status(home)["notes"] == 0  # type: ignore[index]
    finally:
        term.close()


def test_a_stale_socket_after_sigkill_does_not_block_the_next_practice(home: Path) -> None:
    term = practising(home)
    snap = status(home)
    assert snap is not None
    killed = snap["pid"]
    sock = home / "run" / f"practice-{killed}.sock"
    os.kill(killed, signal.SIGKILL)
    term.wait_for("EXIT=137")
    assert sock.exists()  # a killed process cannot tidy up after itself
    term.close()
    following = practising(home)
    try:
        snap = status(home)
        assert snap is not None and snap["pid"] != killed
        assert not sock.exists()
        assert run(home, "note", "t").stdout.strip() == "Noted: thinking (1 note so far)."
    finally:
        following.close()


def test_notes_and_pause_reach_a_plain_practice_and_are_printed(home: Path) -> None:
    term = Term(home, companion_command("run", "box-breathing", "--plain", "--no-sound"))
    try:
        eventually("the practice answers `status`", lambda: status(home))
        assert run(home, "note", "planning").returncode == 0
        term.wait_for("noted: planning (1 note so far)")
        assert run(home, "pause").returncode == 0
        term.wait_for("paused; `companion resume` carries on")
        held = status(home)
        assert held is not None and held["paused"] is True
        assert run(home, "end").returncode == 0
        term.wait_for("Ended early after", "EXIT=0")
    finally:
        term.close()
    rows = json.loads(run(home, "history", "--json").stdout)
    assert rows[0]["labels"] == {"planning": 1} and rows[0]["status"] == "ended early"


def test_a_practice_whose_socket_cannot_be_made_runs_and_says_so_once(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "run").write_text("a file where the folder of sockets should be\n")
    term = Term(home, companion_command("run", "box-breathing", "--no-sound"))
    try:
        screen = term.wait_for("outside control is off", "Box breathing  ·  Arriving")
        assert screen.count("outside control is off") == 1
        term.wait_for("left")
        done = run(home, "status")
        assert done.returncode != 0 and "Traceback" not in done.stderr
        term.keys("t")
        term.wait_for("thinking - noted")
    finally:
        term.close()
