"""Outside control with real processes and real sockets: a fake practice, the real commands."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import FakePractice, Follower, companion, env_for

pytestmark = pytest.mark.slow


@pytest.fixture
def home() -> Iterator[Path]:
    # A short path of our own: a Unix socket's path must fit in about 100 bytes.
    root = Path(tempfile.mkdtemp(prefix="cr-", dir="/tmp"))
    yield root / "home"
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def practice(home: Path) -> Iterator[FakePractice]:
    fake = FakePractice(home)
    yield fake
    fake.close()


def status(home: Path, *args: str) -> dict[str, object]:
    done = companion(home, "status", "--json", *args)
    assert done.returncode == 0, done.stderr
    data: dict[str, object] = json.loads(done.stdout)
    return data


def test_a_note_from_another_process_is_taken_and_counted(
    home: Path, practice: FakePractice
) -> None:
    first = companion(home, "note", "t")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "Noted: thinking (1 note so far)."
    second = companion(home, "note", "Feeling")
    assert second.stdout.strip() == "Noted: feeling (2 notes so far)."
    data = status(home)
    assert data["notes"] == 2
    assert data["notes_by_label"] == {"thinking": 1, "feeling": 1}
    assert data["pid"] == practice.pid and data["title"] == "Fake box"


def test_an_unknown_label_names_the_valid_ones_and_exits_2(
    home: Path, practice: FakePractice
) -> None:
    done = companion(home, "note", "worrying")
    assert done.returncode == 2
    assert "'worrying' is not a noting label" in done.stderr
    assert "thinking (t), feeling (f), planning (p)" in done.stderr
    assert status(home)["notes"] == 0


def test_status_prints_practice_segment_phase_time_and_notes(
    home: Path, practice: FakePractice
) -> None:
    companion(home, "note", "p")
    done = companion(home, "status")
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        f"Fake box (fake-box), process {practice.pid}",
        "segment  1 of 3: Arriving",
        "phase    Breathe in, 4s left",
        "time     04:11 left, 00:49 so far",
        "notes    1: planning 1",
    ]
    data = status(home)
    assert data["phase"] == "Breathe in" and data["phase_left"] == 3.2
    assert data["practice_left"] == 250.5 and data["segment"] == "Arriving"
    assert data["format"] == 1 and data["practising"] is True
    formatted = companion(home, "status", "--format", "{what} {left} {notes}")
    assert formatted.stdout.strip() == "Breathe in 04:11 1"


def test_pause_resume_and_end_reach_the_practice(home: Path, practice: FakePractice) -> None:
    paused = companion(home, "pause")
    assert paused.returncode == 0
    assert paused.stdout.strip() == "Paused Fake box at 00:49. `companion resume` carries on."
    assert status(home)["paused"] is True
    assert companion(home, "resume").stdout.strip() == "Resumed Fake box at 00:49."
    assert status(home)["paused"] is False
    ended = companion(home, "end")
    assert ended.returncode == 0 and ended.stdout.strip() == "Ended Fake box after 00:49."
    practice.expect("ended")
    assert practice.proc.wait(20) == 0
    assert not practice.socket.exists()
    after = companion(home, "status")
    assert after.returncode == 1 and after.stdout.strip() == "not practising"


def test_with_no_practice_every_command_says_so_and_exits_1(home: Path) -> None:
    for args in (["note", "t"], ["pause"], ["resume"], ["end"]):
        done = companion(home, *args)
        assert done.returncode == 1, args
        assert done.stderr.startswith("Not practising: no practice is running."), args
    done = companion(home, "status")
    assert (done.returncode, done.stdout.strip()) == (1, "not practising")
    done = companion(home, "status", "--json")
    assert done.returncode == 1 and json.loads(done.stdout)["practising"] is False


def test_the_folder_is_0700_and_the_socket_0600(home: Path, practice: FakePractice) -> None:
    folder = home / "run"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    info = practice.socket.stat()
    assert stat.S_ISSOCK(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600


def test_a_stale_socket_after_sigkill_is_removed_and_does_not_block_the_next(home: Path) -> None:
    killed = FakePractice(home)
    killed.proc.send_signal(signal.SIGKILL)
    killed.proc.wait(20)
    assert killed.socket.exists()  # a killed process cannot tidy up after itself
    done = companion(home, "status")
    assert (done.returncode, done.stdout.strip()) == (1, "not practising")
    assert not killed.socket.exists()
    following = FakePractice(home)
    try:
        assert status(home)["pid"] == following.pid
    finally:
        following.close()


def test_a_socket_that_refuses_connections_is_stale_even_if_its_pid_lives(
    home: Path, practice: FakePractice
) -> None:
    # A pid reused by an unrelated process: the file names a live process, nobody listens.
    ghost = home / "run" / f"practice-{os.getpid()}.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(ghost))
    sock.close()
    os.utime(ghost, (4e9, 4e9))  # newer than the real practice: it would be asked first
    assert status(home)["pid"] == practice.pid
    assert not ghost.exists()


def test_two_practices_the_newest_answers_and_pid_chooses(home: Path) -> None:
    older = FakePractice(home)
    newer = FakePractice(home)
    try:
        os.utime(older.socket, (1e9, 1e9))  # mtimes can tie on a fast machine: make it plain
        assert status(home)["pid"] == newer.pid
        assert status(home, "--pid", str(older.pid))["pid"] == older.pid
        companion(home, "note", "t", "--pid", str(older.pid))
        assert status(home, "--pid", str(older.pid))["notes"] == 1
        assert status(home)["notes"] == 0
        missing = companion(home, "pause", "--pid", "999999")
        assert missing.returncode == 1
        assert "no practice is running as process 999999" in missing.stderr
        assert str(older.pid) in missing.stderr and str(newer.pid) in missing.stderr
    finally:
        newer.close()
        older.close()


def _as_nobody() -> tuple[list[str], str]:
    """A prefix running a command as `nobody`, and a python that user may run; or skip."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run a client as another user")
    prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    for python in (os.path.realpath(shutil.which("python3") or ""), "/usr/bin/python3"):
        probe = subprocess.run([*prefix, python, "-c", "import tomllib"], capture_output=True)
        if python and probe.returncode == 0:
            return prefix, python
    pytest.skip("no python that nobody may run")


def test_another_user_cannot_reach_the_folder(home: Path, practice: FakePractice) -> None:
    prefix, python = _as_nobody()
    for path in (home.parent, home):
        path.chmod(0o755)  # only the practice's own folder keeps others out
    done = companion(home, "note", "t", user=prefix, python=python)
    assert done.returncode == 1
    assert "belongs to another user" in done.stderr
    assert "Traceback" not in done.stderr
    assert status(home)["notes"] == 0


def test_another_user_is_refused_even_where_file_modes_would_let_them_in(
    home: Path, practice: FakePractice
) -> None:
    # File modes can be loosened by mistake (or ignored by a filesystem); the server checks
    # who is calling (SO_PEERCRED) and refuses anyone else with a plain line.
    prefix, python = _as_nobody()
    for path in (home.parent, home, home / "run"):
        path.chmod(0o755)
    practice.socket.chmod(0o666)
    # nobody's own folder (so the client's folder check passes) holds a link to our socket.
    theirs = home.parent / "theirs"
    (theirs / "run").mkdir(parents=True)
    (theirs / "run" / practice.socket.name).symlink_to(practice.socket)
    for path in (theirs, theirs / "run"):
        os.chown(path, pwd.getpwnam("nobody").pw_uid, pwd.getpwnam("nobody").pw_gid)
    done = companion(theirs, "note", "t", user=prefix, python=python)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "this practice belongs to another user; only the person practising can send it "
        "notes or ask its status"
    )
    assert status(home)["notes"] == 0


def test_follow_prints_one_line_per_visible_change_not_per_poll(
    home: Path, practice: FakePractice
) -> None:
    follower = Follower(home)
    try:
        assert follower.lines.next() == "Breathe in · Fake box"
        # Let it ask several times with nothing changing: it must print nothing new.
        practice.tell("polls 3")
        practice.expect("polled")
        practice.tell("phase Breathe out")
        assert follower.lines.next() == "Breathe out · Fake box"
        assert companion(home, "note", "t").returncode == 0
        assert follower.lines.next() == "Breathe out · Fake box · 1 note"
        practice.tell("segment Box breathing")
        practice.tell("phase -")
        # (The segment changing alone does not change these words, so no line for it.)
        assert follower.lines.next() == "Box breathing · Fake box · 1 note"
        companion(home, "pause")
        assert follower.lines.next() == "Box breathing · Fake box · 1 note · paused"
        practice.tell("polls 3")
        practice.expect("polled")
        assert follower.lines.pending() == []
        practice.close()
        assert follower.lines.next() == "not practising"
    finally:
        follower.close()


def test_follow_json_prints_one_object_per_change_for_waybar(
    home: Path, practice: FakePractice
) -> None:
    follower = Follower(home, "--json", "--idle", "")
    try:
        first = json.loads(follower.lines.next() or "")
        assert first["text"] == "Breathe in · Fake box" and first["class"] == "practising"
        assert "Fake box (fake-box)" in first["tooltip"]
        practice.tell("polls 3")
        practice.expect("polled")
        companion(home, "pause")
        second = json.loads(follower.lines.next() or "")
        assert second["class"] == "paused" and second["paused"] is True
        practice.tell("polls 3")
        practice.expect("polled")
        assert follower.lines.pending() == []
        practice.close()
        last = json.loads(follower.lines.next() or "")
        assert last == {
            "format": 1,
            "practising": False,
            "text": "",
            "tooltip": "",
            "class": "idle",
        }
    finally:
        follower.close()


def test_a_stuck_practice_never_hangs_the_client(home: Path, practice: FakePractice) -> None:
    practice.tell("stall")
    done = companion(home, "note", "t")
    assert done.returncode == 1
    assert "did not answer within 1s" in done.stderr
    practice.tell("unstall", reply="")
    # The note given up on is not taken late behind the user's back.
    assert status(home)["notes"] == 0


def test_without_local_sockets_the_commands_say_so(home: Path) -> None:
    code = (
        "import socket, sys; del socket.AF_UNIX; from companion.cli import main; "
        "sys.exit(main(sys.argv[1:]))"
    )
    for args in (["note", "t"], ["status"]):
        done = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env_for(home)
        )
        assert done.returncode == 1, args
        assert "need local (Unix) sockets" in done.stderr


def test_a_follower_whose_reader_went_away_exits_instead_of_lingering(home: Path) -> None:
    # tmux or a bar restarting closes the pipe; a follower printing only on change would
    # otherwise never find out, and one more would pile up at every restart.
    proc = subprocess.Popen(
        [sys.executable, "-m", "companion", "status", "--follow"],
        stdout=subprocess.PIPE,
        text=True,
        env=env_for(home),
        cwd=str(Path(__file__).resolve().parents[1]),
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "not practising\n"
    proc.stdout.close()
    assert proc.wait(20) == 0


def test_follow_moves_to_a_practice_started_after_it(home: Path, practice: FakePractice) -> None:
    practice.tell("phase Breathe out")
    follower = Follower(home)
    newer: FakePractice | None = None
    try:
        assert follower.lines.next() == "Breathe out · Fake box"
        newer = FakePractice(home)  # its phase is "Breathe in"
        os.utime(practice.socket, (1e9, 1e9))
        assert follower.lines.next() == "Breathe in · Fake box"
    finally:
        follower.close()
        if newer is not None:
            newer.close()
