"""Outside control, part by part in one process: labels, wording, the server's answers."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.paths import Paths
from companion.remote import (
    JobQueue,
    NoteReply,
    Refused,
    RemoteError,
    Server,
    StatusSnapshot,
    connect,
    match_label,
    show,
)
from companion.remote.protocol import snapshot_from_dict, snapshot_to_dict

NOTING = {"t": "thinking", "f": "feeling"}
SNAP = StatusSnapshot(
    practice_id="box-breathing",
    title="Box breathing",
    segment="Box breathing",
    segment_index=2,
    segment_count=3,
    phase="Breathe in",
    phase_left=2.4,
    practice_left=252.0,
    elapsed=48.0,
    paused=False,
    notes={"thinking": 2, "feeling": 1},
)


class Target:
    """A target whose answers the test sets; `status` may refuse or break on purpose."""

    def __init__(self) -> None:
        self.fail: Exception | None = None
        self.threads: list[str] = []

    def note(self, key_or_label: str) -> NoteReply:
        found = match_label(NOTING, key_or_label)
        if found is None:
            return NoteReply(False, labels=tuple(NOTING.items()))
        return NoteReply(True, *found, count=1, labels=tuple(NOTING.items()))

    def pause(self) -> None:
        raise Refused("this practice is already over")

    def resume(self) -> None:
        pass

    def end(self) -> None:
        pass

    def status(self) -> StatusSnapshot:
        self.threads.append(threading.current_thread().name)
        if self.fail is not None:
            raise self.fail
        return SNAP


@pytest.fixture
def folder() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="cr-", dir="/tmp"))
    yield root / "run"
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def served(folder: Path) -> Iterator[tuple[Server, Target]]:
    # The owner's thread drains a JobQueue, as the plain runner will.
    target, jobs, done = Target(), JobQueue(), threading.Event()

    def own() -> None:
        while not done.is_set():
            jobs.wait(0.05)

    owner = threading.Thread(target=own, name="owner")
    owner.start()
    server = Server(target, jobs.submit, folder)
    assert server.start(), server.notice
    yield server, target
    server.stop()
    done.set()
    owner.join()


def test_a_key_or_a_label_in_any_case_finds_the_label() -> None:
    assert match_label(NOTING, "t") == ("t", "thinking")
    assert match_label(NOTING, " Feeling ") == ("f", "feeling")
    assert match_label(NOTING, "planning") is None


def test_a_snapshot_survives_the_wire_and_ignores_keys_from_newer_servers() -> None:
    data = snapshot_to_dict(SNAP) | {"mood": "calm"}
    assert snapshot_from_dict(data) == SNAP


def test_status_fields_for_status_bars() -> None:
    fields = show.fields(SNAP, 42)
    assert fields["what"] == "Breathe in" and fields["phase_left"] == "3"
    assert fields["left"] == "04:12" and fields["elapsed"] == "00:48"
    assert fields["notes"] == "3" and fields["paused"] == "" and fields["state"] == "practising"
    assert show.line(SNAP, 42) == "Breathe in · Box breathing · 3 notes"
    assert show.line(SNAP, 42, "{what} {left}") == "Breathe in 04:12"
    assert show.check_format("{what} {left}") is None
    problem = show.check_format("{phsae}")
    assert problem is not None and "unknown field {phsae}" in problem and "{phase}" in problem
    assert show.check_format("{oops") is not None


def test_an_open_practice_shows_time_so_far() -> None:
    from dataclasses import replace

    open_snap = replace(SNAP, practice_left=None, phase=None, phase_left=None)
    assert show.fields(open_snap, 1)["left"] == "open"
    assert show.line(open_snap, 1) == "Box breathing · Box breathing · 3 notes"
    assert "time     00:48 so far (open-ended)" in show.text_lines(open_snap, 1)


def test_the_work_runs_on_the_owner_thread(served: tuple[Server, Target], folder: Path) -> None:
    _server, target = served
    with connect(folder) as conn:
        assert snapshot_from_dict(conn.ask("status")) == SNAP
        assert conn.ask("note", label="f")["label"] == "feeling"
    assert target.threads == ["owner"]


def test_a_refusal_and_an_owner_bug_are_plain_answers_and_the_server_goes_on(
    served: tuple[Server, Target], folder: Path
) -> None:
    _server, target = served
    with connect(folder) as conn:
        with pytest.raises(RemoteError) as refused:
            conn.ask("pause")
        assert (refused.value.code, str(refused.value)) == (
            "refused",
            "this practice is already over",
        )
        target.fail = KeyError("segment")
        with pytest.raises(RemoteError) as failed:
            conn.ask("status")
        assert failed.value.code == "failed"
        target.fail = None
        assert conn.ask("status")["title"] == "Box breathing"


def test_unknown_ops_and_garbage_get_an_answer_not_a_hang(
    served: tuple[Server, Target], folder: Path
) -> None:
    server, _target = served
    with connect(folder) as conn:
        with pytest.raises(RemoteError) as unknown:
            conn.ask("dance")
        assert unknown.value.code == "unknown-op"
    raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    raw.settimeout(5)
    raw.connect(str(server.path))
    raw.sendall(b"not json\n")
    assert b'"code":"bad-request"' in raw.recv(4096)
    raw.close()


def test_stop_removes_the_socket(folder: Path) -> None:
    server = Server(Target(), JobQueue().submit, folder)
    assert server.start()
    assert server.path.exists()
    server.stop()
    server.stop()  # twice is harmless
    assert not server.path.exists()


def test_a_path_too_long_for_a_socket_is_a_notice_not_a_crash(folder: Path) -> None:
    server = Server(Target(), JobQueue().submit, folder / ("x" * 120))
    assert server.start() is False
    assert "too long" in server.notice


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_folder_owned_by_someone_else_is_not_used(folder: Path) -> None:
    folder.mkdir(mode=0o700)
    nobody = pwd.getpwnam("nobody")
    os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    server = Server(Target(), JobQueue().submit, folder)
    assert server.start() is False
    assert "belongs to another user" in server.notice


def test_without_local_sockets_the_server_says_so(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = Server(Target(), JobQueue().submit, folder)
    monkeypatch.delattr(socket, "AF_UNIX")
    assert server.start() is False
    assert "local (Unix) sockets" in server.notice


def test_the_runtime_folder_follows_companion_home_then_xdg(tmp_path: Path) -> None:
    assert Paths.under(tmp_path).runtime_dir == tmp_path / "run"
    xdg = Paths.from_env({"XDG_RUNTIME_DIR": "/run/user/1000"})
    assert xdg.runtime_dir == Path("/run/user/1000/companion")
    assert Paths.from_env({}).runtime_dir.name == "run"  # under the cache folder


def test_a_snapshot_from_a_real_session_reads_like_the_screen() -> None:
    from companion.engine.clock import FakeClock
    from companion.engine.notes import Note
    from companion.engine.session import Session
    from companion.engine.timeline import build_timeline
    from companion.remote.snapshot import snapshot
    from tests.support import BOX, practice_from

    practice = practice_from(BOX, "box")
    clock = FakeClock()
    session = Session(build_timeline(practice), clock)
    session.start()
    clock.advance(5.0)  # one second into the first hold
    session.pause()
    notes = [Note(1.0, "t", "thinking", 0), Note(4.0, "t", "thinking", 0)]
    snap = snapshot(practice, session, notes)
    assert (snap.practice_id, snap.title, snap.segment) == ("box", "Box", "Paced breathing")
    assert (snap.segment_index, snap.segment_count) == (1, 1)
    assert snap.phase == "Hold" and snap.phase_left == pytest.approx(3.0)
    assert snap.practice_left == pytest.approx(55.0) and snap.elapsed == pytest.approx(5.0)
    assert snap.paused and snap.notes == {"thinking": 2}


def test_ending_from_outside_may_stop_the_server_inside_the_job(folder: Path) -> None:
    # The owner's end listener stopping the server from within the job must neither wait on
    # itself (the server's own timeout is 30 s here) nor lose the answer.
    jobs, done = JobQueue(), threading.Event()

    class Ending(Target):
        def end(self) -> None:
            server.stop()

    server = Server(Ending(), jobs.submit, folder, timeout=30.0)
    assert server.start()

    def own() -> None:
        while not done.is_set():
            jobs.wait(0.05)

    owner = threading.Thread(target=own)
    owner.start()
    try:
        with connect(folder, timeout=10.0) as conn:
            assert conn.ask("end")["title"] == "Box breathing"
        assert not server.path.exists()
    finally:
        done.set()
        owner.join()


def test_an_owner_stuck_inside_submit_gets_busy_answers_not_a_pile_of_threads(
    folder: Path,
) -> None:
    stuck = threading.Event()
    server = Server(Target(), lambda job: stuck.wait(), folder, timeout=0.2)
    assert server.start()
    try:
        with connect(folder) as conn:
            codes = []
            for _ in range(6):
                with pytest.raises(RemoteError) as refused:
                    conn.ask("status")
                codes.append(refused.value.code)
        assert codes == ["timeout"] * 4 + ["busy"] * 2
    finally:
        stuck.set()
        server.stop()


def test_companion_paths_names_the_folder_of_running_practices(paths: Paths) -> None:
    import io
    import json

    from companion.cli import main
    from companion.commands import Context

    out = io.StringIO()
    assert main(["paths", "--json"], ctx=Context(paths, out=out, err=io.StringIO())) == 0
    assert json.loads(out.getvalue())["runtime_dir"] == str(paths.runtime_dir)


def test_a_job_queue_runs_jobs_on_the_waiting_thread_and_can_wake_it() -> None:
    jobs = JobQueue()
    ran_on: list[str] = []
    arrived = threading.Event()

    def send() -> None:
        jobs.submit(lambda: ran_on.append(threading.current_thread().name))
        arrived.set()

    threading.Thread(target=send, name="server").start()
    assert arrived.wait(10)
    # A long wait that wakes on the job: returns with it done, not at its 60 s deadline.
    began = time.monotonic()
    assert jobs.wait(60.0, wake_on_job=True) == 1
    assert time.monotonic() - began < 30.0
    assert ran_on == [threading.current_thread().name]
    assert jobs.wait(0.01) == 0  # nothing queued: just the (short) sleep


async def test_a_textual_app_serves_through_call_from_thread(folder: Path) -> None:
    # The wiring the practice screen will use: submit=app.call_from_thread, stop on unmount.
    import asyncio

    from textual.app import App

    target = Target()

    class Host(App[None]):
        def on_mount(self) -> None:
            self.server = Server(target, self.call_from_thread, folder)
            assert self.server.start(), self.server.notice

        def on_unmount(self) -> None:
            self.server.stop()

    def ask() -> str:
        with connect(folder) as conn:
            title: str = conn.ask("status")["title"]
            return title

    app = Host()
    async with app.run_test():
        assert await asyncio.to_thread(ask) == "Box breathing"
        assert target.threads == [threading.current_thread().name]  # the app's own thread
    assert not (folder / f"practice-{os.getpid()}.sock").exists()
