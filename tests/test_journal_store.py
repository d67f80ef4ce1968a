"""The journal store: recording, migrations, and every way the file can let us down."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from companion.engine.clock import FakeClock
from companion.engine.session import Session
from companion.engine.timeline import build_timeline
from companion.journal import NullRecorder, open_journal
from companion.journal.db import (
    SCHEMA_VERSION,
    STALE_SECONDS,
    _v1,
    close_abandoned,
    connect,
    header_version,
    host_name,
    owner_gone,
    use_wal,
)
from companion.journal.recorder import SqliteRecorder
from companion.paths import Paths
from tests.support import (
    SCAN_TOML,
    practice_from,
)

ROOT = Path(__file__).resolve().parent.parent


def rows(path: Path, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Read rows with a plain connection (not through the code under test)."""
    db = sqlite3.connect(path)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def test_a_whole_practice_is_recorded_as_it_goes(paths: Paths) -> None:
    journal = open_journal(paths)
    assert journal.notice is None
    p = practice_from(SCAN_TOML, sounds=None)
    clock = FakeClock()
    session = Session(build_timeline(p), clock)
    rec = journal.recorder()
    rec.checkin("before", 2)
    rec.begin(p, p.total, course="foundations", day=3)
    session.start()
    run = rows(
        paths.journal_file, "SELECT status, practised, course, day, checkin_before FROM runs"
    )
    assert run == [("running", 0.0, "foundations", 3, 2)]
    taken = 0
    while not session.finished:
        clock.advance(1.0)
        rec.progress(session.elapsed())
        state = session.state()
        if int(session.elapsed()) % 7 == 0:
            region = state.scan.region if state.scan is not None else None
            rec.note(session.elapsed(), "thinking", "t", state.segment_index, region)
            taken += 1
            # Notes are committed at once: another connection sees them straight away.
            assert rows(paths.journal_file, "SELECT COUNT(*) FROM notes") == [(taken,)]
    rec.end(session.elapsed(), completed=True)
    rec.checkin("after", 4)
    (status, practised, planned, ended, after, digest) = rows(
        paths.journal_file,
        "SELECT status, practised, planned, ended_at, checkin_after, file_hash FROM runs",
    )[0]
    assert (status, practised, planned, after) == ("completed", 50.0, 50.0, 4)
    assert ended is not None and digest is None  # no file behind an inline practice
    notes = rows(paths.journal_file, "SELECT offset, segment, region FROM notes ORDER BY offset")
    assert len(notes) == taken == 7
    assert notes[0] == (7.0, 0, None)  # settling: no region
    assert notes[-1][1] == 1 and notes[-1][2] == "feet"  # the scan's last region


def test_the_file_hash_is_kept_when_the_practice_has_a_file(paths: Paths, tmp_path: Path) -> None:

    file = tmp_path / "mine.toml"
    file.write_bytes(b"title = 'x'\n")
    rec = open_journal(paths).recorder()
    rec.begin(practice_from(SCAN_TOML, sounds=None)._replace(path=file), 50.0)
    import hashlib

    expected = hashlib.sha256(file.read_bytes()).hexdigest()
    assert rows(paths.journal_file, "SELECT file_hash FROM runs") == [(expected,)]


def test_a_second_end_does_not_change_the_first(paths: Paths) -> None:
    rec = open_journal(paths).recorder()
    rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
    rec.end(50.0, completed=True)
    rec.end(51.0, completed=False)
    assert rows(paths.journal_file, "SELECT status, practised FROM runs") == [("completed", 50.0)]


def test_bad_checkins_are_ignored(paths: Paths) -> None:
    rec = open_journal(paths).recorder()
    rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
    rec.checkin("after", 9)
    rec.checkin("sideways", 3)
    assert rows(paths.journal_file, "SELECT checkin_before, checkin_after FROM runs") == [
        (None, None)
    ]


def test_a_version_1_file_is_migrated_and_keeps_its_runs(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    db = sqlite3.connect(paths.journal_file)
    _v1(db)
    db.execute(
        "INSERT INTO runs (uuid, practice_id, title, planned, practised, started_at, ended_at, "
        "status) VALUES ('u1', 'box', 'Box', 300, 300, '2025-03-01T12:00:00Z', "
        "'2025-03-01T12:05:00Z', 'completed')"
    )
    db.execute("INSERT INTO notes (run_id, offset, label) VALUES (1, 5, 'thinking')")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    journal = open_journal(paths)
    assert journal.notice is None
    assert header_version(paths.journal_file) == SCHEMA_VERSION
    (run,) = journal.runs()
    assert run.uuid == "u1" and run.labels == {"thinking": 1}
    assert run.local_date is not None and run.local_date.startswith("2025-03")
    indexes = {
        r[0] for r in rows(paths.journal_file, "SELECT name FROM sqlite_master WHERE type='index'")
    }
    assert {"runs_day", "notes_label", "notes_region"} <= indexes


def test_a_journal_from_a_future_version_is_refused_and_left_untouched(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    db = sqlite3.connect(paths.journal_file)
    db.execute("CREATE TABLE future (x)")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.commit()
    db.close()
    before = paths.journal_file.read_bytes()
    stamp = paths.journal_file.stat().st_mtime_ns
    journal = open_journal(paths)
    assert not journal.usable
    assert journal.notice is not None and "newer companion" in journal.notice
    assert str(paths.journal_file) in journal.notice
    rec = journal.recorder()
    assert isinstance(rec, NullRecorder) and rec.notice == journal.notice
    rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)  # does nothing, raises nothing
    assert paths.journal_file.read_bytes() == before
    assert paths.journal_file.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in paths.data_dir.iterdir()) == ["journal.sqlite3"]


@pytest.mark.parametrize(
    "junk",
    [
        b"this is not a database, it is a shopping list\n" * 20,
        b"SQLite format 3\x00" + b"\xff" * 4000,
    ],
    ids=["text", "damaged-header"],
)
def test_a_corrupt_file_is_moved_aside_and_a_fresh_journal_started(
    paths: Paths, junk: bytes
) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.journal_file.write_bytes(junk)
    journal = open_journal(paths)
    assert journal.usable
    aside = [p for p in paths.data_dir.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == junk
    assert journal.notice is not None and str(aside[0]) in journal.notice
    rec = journal.recorder()
    rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
    rec.end(50.0, completed=True)
    assert rec.notice is None
    assert [r.status for r in journal.runs()] == ["completed"]


def _can_make_read_only(folder: Path) -> bool:
    folder.chmod(0o555)
    probe = folder / "probe"
    try:
        probe.write_text("x")
    except OSError:
        return True
    probe.unlink()
    return False


def test_a_read_only_folder_gives_a_notice_and_the_practice_runs(tmp_path: Path) -> None:
    home = tmp_path / "ro"
    home.mkdir()
    if not _can_make_read_only(home):
        home.chmod(0o755)
        pytest.skip("running as root: permissions do not stop writes (see the mount test)")
    try:
        journal = open_journal(Paths.under(home))
        rec = journal.recorder()
        rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
        rec.note(1.0, "thinking", "t", 0, None)
        rec.progress(2.0)
        rec.end(3.0, completed=True)
        assert rec.notice == (
            f"This practice will not be remembered: the journal folder is read-only "
            f"({home / 'journal.sqlite3'})."
        )
    finally:
        home.chmod(0o755)


def _mount(args: list[str], target: Path) -> bool:
    if os.geteuid() != 0:
        return False
    result = subprocess.run(["mount", *args, str(target)], capture_output=True)
    return result.returncode == 0


def test_a_read_only_mount_gives_a_notice(tmp_path: Path) -> None:
    target = tmp_path / "ro-mount"
    target.mkdir()
    if not _mount(["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs"], target):
        pytest.skip("needs root and mount to make a read-only filesystem")
    try:
        rec = open_journal(Paths.under(target)).recorder()
        rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
        rec.end(50.0, completed=True)
        assert rec.notice is not None and "read-only" in rec.notice
    finally:
        subprocess.run(["umount", str(target)], check=False)


def test_a_real_full_disk_mid_practice_switches_to_a_notice(tmp_path: Path) -> None:
    target = tmp_path / "tiny"
    target.mkdir()
    if not _mount(["-t", "tmpfs", "-o", "size=256k", "tmpfs"], target):
        pytest.skip("needs root and mount to make a tiny filesystem")
    try:
        rec = open_journal(Paths.under(target)).recorder()
        rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
        assert rec.notice is None
        # Fill the disk beside the journal, then keep noting until SQLite runs out of room.
        fh = (target / "filler").open("wb", buffering=0)
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                fh.close()
        for i in range(2000):
            rec.note(float(i), "thinking " * 50, "t", 0, None)
            if rec.notice:
                break
        assert rec.notice is not None and "the disk is full" in rec.notice
        rec.end(50.0, completed=True)  # still no exception
        assert isinstance(rec, SqliteRecorder)
        rec.close()
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


class _FullDisk:
    """A connection whose every write fails the way SQLite does when the disk is full."""

    def __init__(self, real: sqlite3.Connection, after: int) -> None:
        self.real = real
        self.after = after

    def execute(self, sql: str, args: tuple[object, ...] = ()) -> sqlite3.Cursor:
        if sql.startswith("PRAGMA"):  # settings, not writes
            return self.real.execute(sql, args)
        if self.after <= 0:
            raise sqlite3.OperationalError("database or disk is full")
        self.after -= 1
        return self.real.execute(sql, args)

    def close(self) -> None:
        self.real.close()


def test_a_full_disk_on_a_note_switches_to_a_notice_without_raising(paths: Paths) -> None:
    journal = open_journal(paths)
    rec = SqliteRecorder(
        lambda: _FullDisk(connect(journal.path), after=2),  # type: ignore[arg-type, return-value]
        journal.path,
    )
    rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
    rec.note(1.0, "thinking", "t", 0, None)
    assert rec.notice is None
    rec.note(2.0, "hearing", "h", 0, None)  # the disk fills here
    assert rec.notice == f"This practice will not be remembered: the disk is full ({journal.path})."
    rec.progress(3.0)
    rec.end(4.0, completed=True)
    assert rows(journal.path, "SELECT label FROM notes") == [("thinking",)]


def _held(path: Path) -> sqlite3.Connection:
    """Another program holding the journal's write lock (a backup, an sqlite3 shell)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_journal_held_for_a_while_keeps_every_write_for_later_in_order(paths: Paths) -> None:
    journal = open_journal(paths)
    other = _held(journal.path)
    rec = SqliteRecorder(lambda: connect(journal.path), journal.path, wait_ms=10)
    rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
    rec.note(1.0, "thinking", "t", 0, None)
    rec.note(2.0, "hearing", "h", 0, None)
    rec.undo_note()  # the hearing note was never written: it is dropped, not deleted later
    rec.hold(2.5, 1.0)
    rec.progress(3.0)
    rec.progress(4.0)
    assert rec.notice is None
    assert rows(journal.path, "SELECT COUNT(*) FROM runs") == [(0,)]  # nothing yet, nothing lost
    other.execute("COMMIT")
    rec.note(5.0, "feeling", "f", 0, None)  # the next call writes everything, oldest first
    assert rows(journal.path, "SELECT status, practised FROM runs") == [("running", 4.0)]
    assert rows(journal.path, "SELECT offset, label FROM notes ORDER BY id") == [
        (1.0, "thinking"),
        (5.0, "feeling"),
    ]
    assert rows(journal.path, "SELECT offset, seconds FROM holds") == [(2.5, 1.0)]
    rec.end(6.0, completed=True)
    assert rows(journal.path, "SELECT status, practised FROM runs") == [("completed", 6.0)]
    assert rec.notice is None


def test_a_journal_still_held_at_the_end_is_given_up_with_a_notice(paths: Paths) -> None:
    journal = open_journal(paths)
    other = _held(journal.path)
    rec = SqliteRecorder(lambda: connect(journal.path), journal.path, wait_ms=10, last_wait_ms=50)
    rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
    rec.note(1.0, "thinking", "t", 0, None)
    assert rec.notice is None
    rec.end(2.0, completed=False)  # waits its last while, then says so; never raises
    assert rec.notice == (
        "This practice will not be remembered: another program held the journal for too "
        f"long ({journal.path})."
    )
    other.execute("COMMIT")
    rec.progress(3.0)
    rec.checkin("after", 3)
    assert rows(journal.path, "SELECT COUNT(*) FROM runs") == [(0,)]


def test_an_unwritable_journal_file_at_open_is_a_notice(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.journal_file.mkdir()  # a folder where the file should be
    journal = open_journal(paths)
    assert not journal.usable
    assert journal.notice is not None and journal.notice.startswith(
        "This practice will not be remembered:"
    )
    assert str(paths.journal_file) in journal.notice


def test_a_stale_run_from_another_machine_is_closed_with_its_practised_time(
    paths: Paths,
) -> None:
    rec = open_journal(paths).recorder()
    rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
    rec.progress(12.0)
    db = connect(paths.journal_file)
    try:
        assert close_abandoned(db, now=time.time() + 3600) == 0  # ours, alive: maybe paused
        db.execute("UPDATE runs SET host = 'elsewhere'")  # as if from a synced folder
        assert close_abandoned(db) == 0  # its heartbeat is fresh
        assert close_abandoned(db, now=time.time() + STALE_SECONDS + 1) == 1
    finally:
        db.close()
    assert rows(paths.journal_file, "SELECT status, practised FROM runs") == [("ended early", 12.0)]
    rec.progress(13.0)  # the owner was alive after all: its next heartbeat reopens the run
    assert rows(paths.journal_file, "SELECT status, ended_at FROM runs") == [("running", None)]


def test_a_reused_process_id_does_not_keep_a_run_open(paths: Paths) -> None:
    rec = open_journal(paths).recorder()
    rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
    rec.progress(3.0)
    # Our parent is alive but began long before this made-up start time: a reused id.
    db = sqlite3.connect(paths.journal_file)
    db.execute("UPDATE runs SET pid = ?, started_at = '2000-01-01T00:00:00Z'", (os.getppid(),))
    db.commit()
    db.close()
    assert owner_gone(os.getppid(), host_name(), "2000-01-01T00:00:00Z") is True
    assert owner_gone(os.getppid(), host_name(), "2999-01-01T00:00:00Z") is False
    assert owner_gone(os.getpid(), "elsewhere", "2000-01-01T00:00:00Z") is None
    open_journal(paths)
    assert rows(paths.journal_file, "SELECT status FROM runs") == [("ended early",)]


def test_a_run_from_a_dead_process_is_closed_on_open(paths: Paths) -> None:
    rec = open_journal(paths).recorder()
    rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
    rec.progress(7.5)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    db = sqlite3.connect(paths.journal_file)
    db.execute("UPDATE runs SET pid = ?", (int(dead.stdout),))
    db.commit()
    db.close()
    open_journal(paths)
    assert rows(paths.journal_file, "SELECT status, practised FROM runs") == [("ended early", 7.5)]


def _new_file_being_switched(path: Path) -> sqlite3.Connection:
    """A fresh rollback-journal file whose write lock another connection holds, as while another
    app is switching the file it just made to WAL."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("CREATE TABLE t (x)")
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_journal_another_app_is_switching_to_wal_is_waited_for_not_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite3"
    other = _new_file_being_switched(path)
    db = sqlite3.connect(path, timeout=5, isolation_level=None)
    # What SQLite itself does here: "locked" at once, without waiting (it could deadlock).
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        db.execute("PRAGMA journal_mode = WAL")
    waits: list[float] = []

    def other_finishes(seconds: float) -> None:
        waits.append(seconds)
        other.execute("COMMIT")

    use_wal(db, sleep=other_finishes)
    assert len(waits) == 1
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert rows(path, "SELECT COUNT(*) FROM t") == [(0,)]  # the other app's table is there


def test_a_switch_that_never_frees_gives_up_after_the_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    other = _new_file_being_switched(path)
    db = sqlite3.connect(path, isolation_level=None)
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        use_wal(db, sleep=sleep, clock=lambda: now[0])
    assert 5.0 <= now[0] < 5.2  # the journal's busy timeout, in growing pauses of at most 0.1 s
    assert waits[0] < 0.01 and max(waits) == pytest.approx(0.1)
    other.execute("ROLLBACK")


WRITER = textwrap.dedent(
    """
    import sys, time, tomllib
    from companion.journal import open_journal
    from companion.paths import Paths
    from companion.practice.load import parse_practice
    p = parse_practice(tomllib.loads('title = "W"\\n[[segment]]\\nkind = "silence"\\nduration = 60'),
                       path="w.toml", practice_id=sys.argv[2], sounds=None)
    rec = open_journal(Paths.under(sys.argv[1])).recorder()
    rec.begin(p, 60.0)
    start = time.monotonic()
    n = 0
    while time.monotonic() - start < float(sys.argv[3]):
        rec.note(time.monotonic() - start, "thinking", "t", 0, None)
        rec.progress(time.monotonic() - start)
        n += 1
        time.sleep(0.002)
    rec.end(time.monotonic() - start, completed=True)
    print(n, rec.notice)
    """
)


@pytest.mark.slow
def test_two_writers_at_once_both_keep_every_note(paths: Paths) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(paths.data_dir), name, "3"],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name in ("first", "second")
    ]
    counts = {}
    for name, proc in zip(("first", "second"), procs, strict=True):
        out, _ = proc.communicate(timeout=60)
        count, notice = out.split(maxsplit=1)
        assert notice.strip() == "None", notice
        counts[name] = int(count)
    assert all(n > 100 for n in counts.values()), counts
    for name, n in counts.items():
        assert rows(
            paths.journal_file,
            "SELECT COUNT(*) FROM notes JOIN runs ON runs.id = notes.run_id WHERE practice_id = ?",
            (name,),
        ) == [(n,)]
    assert rows(paths.journal_file, "SELECT status FROM runs") == [("completed",), ("completed",)]


def test_undo_note_deletes_only_this_runs_latest_note(paths: Paths) -> None:
    journal = open_journal(paths)
    first = journal.recorder()
    first.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
    first.note(1.0, "hearing", "h", 0, None)
    second = journal.recorder()
    second.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
    second.note(1.0, "thinking", "t", 0, None)
    second.note(2.0, "feeling", "f", 0, None)
    second.undo_note()
    first.note(3.0, "seeing", "s", 0, None)
    assert rows(paths.journal_file, "SELECT run_id, label FROM notes ORDER BY id") == [
        (1, "hearing"),
        (2, "thinking"),
        (1, "seeing"),
    ]
    first.undo_note()
    first.undo_note()
    first.undo_note()  # nothing left: no error
    assert rows(paths.journal_file, "SELECT label FROM notes") == [("thinking",)]
    assert first.notice is None and second.notice is None


def test_undo_note_never_raises_and_keeps_notice_mode(paths: Paths) -> None:
    journal = open_journal(paths)
    rec = journal.recorder()
    rec.undo_note()  # before begin: nothing to undo
    rec.begin(practice_from(SCAN_TOML, sounds=None), 50.0)
    rec.note(1.0, "thinking", "t", 0, None)
    rec.notice = "This practice will not be remembered: the disk is full."
    rec.undo_note()  # switched off: writes nothing
    assert rows(paths.journal_file, "SELECT label FROM notes") == [("thinking",)]
    NullRecorder().undo_note()

