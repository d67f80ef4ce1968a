"""The journal going wrong under the running app: the practice always runs to its end, the app
says once why it will not be remembered, and nothing already kept is lost or overwritten.

The store's own tests (test_journal_store.py) prove each failure at the recorder; these prove
what a person at the app sees. Two real apps recording at once is at the end of the file.
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from companion.engine.clock import FakeClock
from companion.journal import open_journal
from companion.journal.db import SCHEMA_VERSION, connect
from companion.paths import Paths
from companion.ui.app import CompanionApp
from companion.ui.screens.practice import PracticeScreen
from companion.ui.screens.summary import SummaryScreen
from tests.support import (
    COMPANION,
    NEEDS_TMUX,
    STARTS,
    TOTAL,
    AppBuilder,
    RecordingJournal,
    Term,
    every_kind,
    journal_rows,
    record_notices,
    until,
    write_paced,
)

NOT_REMEMBERED = "This practice will not be remembered"
# A journal whose header is damaged past its first 16 bytes: its version field reads as
# 268480463, which must not pass for a journal written by a newer companion.
DAMAGED = b"SQLite format 3\x00" + random.Random(8).randbytes(8000)


# -- helpers -------------------------------------------------------------------------------


def _paths(tmp_path: Path, data_dir: Path) -> Paths:
    """Settings in a folder of their own, the journal in `data_dir` (as with XDG folders)."""
    return Paths.under(tmp_path / "config")._replace(data_dir=data_dir)


def _app(
    build_app: AppBuilder, tmp_path: Path, paths: Paths
) -> tuple[CompanionApp, FakeClock, list[str]]:
    """The app with the real journal (opened by the app itself) and every notice recorded."""
    app, clock = build_app(every_kind(tmp_path), paths=paths, real_journal=True)
    told = record_notices(app)
    return app, clock, told


async def _begun(app: CompanionApp, pilot: Any) -> PracticeScreen:
    """The practice screen once the journal has opened and the practice has begun."""
    deadline = time.monotonic() + 10.0
    while True:
        screen = app.screen
        if isinstance(screen, PracticeScreen) and screen.sitting.started:
            return screen
        assert time.monotonic() < deadline, "the practice never began"
        await pilot.pause(0.01)


async def _to(screen: PracticeScreen, clock: FakeClock, pilot: Any, t: float) -> None:
    assert screen.sitting.started and screen.sitting.session.origin is not None
    clock.set(max(clock.now(), screen.sitting.session.origin + t))
    screen.tick()
    await pilot.pause(0)


async def _to_the_end(app: CompanionApp, clock: FakeClock, pilot: Any) -> None:
    """Practise to the end; the summary must come whatever the journal did."""
    screen = app.screen
    assert isinstance(screen, PracticeScreen)
    await _to(screen, clock, pilot, TOTAL + 1.0)
    deadline = time.monotonic() + 10.0
    while not isinstance(app.screen, SummaryScreen):
        assert time.monotonic() < deadline, "the summary never came"
        await pilot.pause(0.01)


async def _practise(
    app: CompanionApp, clock: FakeClock, notes: int = 3, fill: Path | None = None
) -> None:
    """Run the whole practice in the app, taking notes with the keys.

    With `fill`, the disk holding that file is filled after the first note, so later notes
    meet a full disk mid-practice.
    """
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _begun(app, pilot)
        await _to(screen, clock, pilot, STARTS["noting"] + 1.0)
        for i in range(notes):
            await pilot.press("t" if i % 2 == 0 else "f")
            if i == 0 and fill is not None:
                _fill_disk(fill)
        await _to_the_end(app, clock, pilot)
        await pilot.press("q")


def _mount(target: Path, options: str) -> bool:
    """Mount a tmpfs at target (root only); False when that cannot be done here."""
    target.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture
def mounts() -> Iterator[list[Path]]:
    """Unmount every tmpfs a test mounted, even when it fails."""
    made: list[Path] = []
    yield made
    for target in made:
        subprocess.run(["umount", "-l", str(target)], check=False, capture_output=True)


def _fill_disk(file: Path) -> None:
    with contextlib.suppress(OSError), file.open("wb", buffering=0) as fh:
        while True:
            fh.write(b"\0" * 4096)


def _journal_notices(told: list[str]) -> list[str]:
    return [m for m in told if NOT_REMEMBERED in m or "journal" in m.lower()]


# -- one app, the journal broken -----------------------------------------------------------


async def test_a_read_only_data_folder(
    build_app: AppBuilder, tmp_path: Path, mounts: list[Path]
) -> None:
    data = tmp_path / "data"
    if _mount(data, "ro,size=1m"):
        mounts.append(data)
    elif os.geteuid() != 0:
        data.chmod(0o555)  # not root: permissions stop the writes
    else:
        pytest.skip("root without mount: nothing here can make a folder read-only")
    try:
        app, clock, told = _app(build_app, tmp_path, _paths(tmp_path, data))
        await _practise(app, clock)
    finally:
        if not mounts:
            data.chmod(0o755)
    notices = _journal_notices(told)
    assert notices == [
        f"{NOT_REMEMBERED}: the journal folder is read-only ({data / 'journal.sqlite3'})."
    ], told
    assert list(data.iterdir()) == []


async def test_the_disk_filling_up_mid_practice(
    build_app: AppBuilder, tmp_path: Path, mounts: list[Path]
) -> None:
    data = tmp_path / "tiny"
    if not _mount(data, "size=256k"):
        pytest.skip("needs root and mount for a tiny filesystem (test_journal_store injects it)")
    mounts.append(data)
    app, clock, told = _app(build_app, tmp_path, _paths(tmp_path, data))
    await _practise(app, clock, notes=6, fill=data / "filler")
    notices = _journal_notices(told)
    assert notices == [f"{NOT_REMEMBERED}: the disk is full ({data / 'journal.sqlite3'})."], told
    # What was written before the disk filled is still there, and nothing was half-written.
    ((status, _practised, labels),) = journal_rows(data / "journal.sqlite3")
    assert status == "running" and labels == ["thinking"]


async def test_a_full_disk_before_the_practice(
    build_app: AppBuilder, tmp_path: Path, mounts: list[Path]
) -> None:
    data = tmp_path / "tiny"
    if not _mount(data, "size=64k"):
        pytest.skip("needs root and mount for a tiny filesystem (test_journal_store injects it)")
    mounts.append(data)
    _fill_disk(data / "filler")
    app, clock, told = _app(build_app, tmp_path, _paths(tmp_path, data))
    await _practise(app, clock)
    notices = _journal_notices(told)
    assert len(notices) == 1 and notices[0].startswith(NOT_REMEMBERED), told
    assert "disk is full" in notices[0], notices


async def test_a_corrupt_journal_is_moved_aside_said_once_and_a_fresh_one_kept(
    build_app: AppBuilder,
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    junk = DAMAGED
    (data / "journal.sqlite3").write_bytes(junk)
    app, clock, told = _app(build_app, tmp_path, _paths(tmp_path, data))
    await _practise(app, clock)
    (aside,) = [p for p in data.iterdir() if ".corrupt-" in p.name]
    assert aside.read_bytes() == junk  # kept, byte for byte
    notices = _journal_notices(told)
    assert len(notices) == 1 and str(aside) in notices[0], told
    ((status, practised, labels),) = journal_rows(data / "journal.sqlite3")
    assert (status, practised, labels) == ("completed", TOTAL, ["thinking", "feeling", "thinking"])


def test_a_damaged_header_is_moved_aside_not_taken_for_a_newer_journal(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path / "home")
    paths.data_dir.mkdir(parents=True)
    paths.journal_file.write_bytes(DAMAGED)
    assert int.from_bytes(DAMAGED[60:64], "big") > SCHEMA_VERSION
    journal = open_journal(paths)
    assert journal.usable
    assert journal.notice is not None and "moved aside" in journal.notice
    (aside,) = [p for p in paths.data_dir.iterdir() if ".corrupt-" in p.name]
    assert aside.read_bytes() == DAMAGED


async def test_a_journal_from_a_future_version_is_refused_and_left_byte_identical(
    build_app: AppBuilder,
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    file = data / "journal.sqlite3"
    db = sqlite3.connect(file)
    db.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, future TEXT)")
    db.execute("INSERT INTO runs (future) VALUES ('kept')")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    before, stamp = file.read_bytes(), file.stat().st_mtime_ns
    app, clock, told = _app(build_app, tmp_path, _paths(tmp_path, data))
    await _practise(app, clock)
    notices = _journal_notices(told)
    assert len(notices) == 1 and notices[0].startswith(NOT_REMEMBERED), told
    assert "newer companion" in notices[0] and str(file) in notices[0]
    assert file.read_bytes() == before and file.stat().st_mtime_ns == stamp
    # No -wal, no -shm beside it (state.json is the app's own memory, not the journal's).
    assert sorted(p.name for p in data.iterdir()) == ["journal.sqlite3", "state.json"]


# -- two real apps at once -----------------------------------------------------------------

# Seconds each practice lasts; the two run side by side all the while (forty seconds of
# recording, more than a hundred notes each and a heartbeat a second from both).
TOGETHER = 20


@pytest.fixture
def terms() -> Iterator[list[Term]]:
    """Every terminal a test opens is closed afterwards, even when the test fails."""
    made: list[Term] = []
    yield made
    for term in made:
        term.close()


@pytest.mark.slow
@NEEDS_TMUX
def test_two_apps_recording_at_once_keep_both_runs_and_every_note(
    tmp_path: Path, terms: list[Term]
) -> None:
    home = tmp_path / "home"
    write_paced(home, duration=f"{TOGETHER}s")
    one = Term(tmp_path / "one", f"{COMPANION} run paced --no-sound", home=home)
    terms.append(one)
    two = Term(tmp_path / "two", f"{COMPANION} run paced --no-sound", home=home)
    terms.append(two)
    for term in (one, two):
        term.wait_for("Breathe in", "Breathe out")
    journal = home / "journal.sqlite3"
    sent = {0: 0, 1: 0}
    began = time.monotonic()
    # Notes into both, alternately, for as long as both run: every key a committed write while
    # the other app writes its own notes and heartbeats. Two keys at a go, so a shorter run
    # still takes more than a hundred notes each.
    while time.monotonic() - began < TOGETHER - 3:
        for n, term in enumerate((one, two)):
            term.keys("t", "f")
            sent[n] += 2
        time.sleep(0.1)  # pacing the typing, not waiting for anything

    def both_done() -> bool:
        rows = journal_rows(journal)
        return len(rows) == 2 and all(r[0] == "completed" for r in rows)

    until(both_done, 10.0, "both runs completed in the journal")
    rows = journal_rows(journal)
    for n, (status, practised, labels) in enumerate(sorted(rows, key=lambda r: len(r[2]))):
        assert status == "completed"
        assert practised == TOGETHER
        assert len(labels) in sent.values(), (n, len(labels), sent)
        assert labels == [("thinking", "feeling")[i % 2] for i in range(len(labels))]
    assert sorted(len(r[2]) for r in rows) == sorted(sent.values())
    assert min(sent.values()) > 100


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


# -- journal notices ----------------------------------------------------------------------------
async def test_a_damaged_journal_is_moved_aside_and_said_once(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    paths.journal_file.parent.mkdir(parents=True, exist_ok=True)
    paths.journal_file.write_bytes(b"this is not a database at all" * 10)
    app, _ = build_app(every_kind(tmp_path), real_journal=True, config_from_file=True)
    told = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")  # end the practice: the summary, with no second notice
        await pilot.pause()
        moved = [m for m in told if "moved aside" in m]
        assert len(moved) == 1
        assert not any("will not be remembered" in m for m in told)
    assert rows(paths.journal_file, "SELECT status FROM runs") == [("ended early",)]


async def test_a_journal_from_a_newer_companion_is_said_once_per_app(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    db = connect(paths.journal_file)
    db.execute("PRAGMA user_version = 99")
    db.close()
    app, _ = build_app(every_kind(tmp_path), real_journal=True, config_from_file=True)
    told = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen) and app.screen.sitting.started
        await pilot.press("escape", "a")  # end, then the same practice again
        await pilot.pause()
        said = [m for m in told if "will not be remembered" in m]
        assert len(said) == 1 and "newer companion" in said[0]


async def test_a_journal_that_fails_mid_practice_is_said_once(
    build_app: AppBuilder, tmp_path: Path
) -> None:
    class Failing(RecordingJournal):
        def note(self, *args: Any) -> None:
            self.notice = "This practice will not be remembered: the disk is full (x)."

    app, _ = build_app(every_kind(tmp_path), journal=Failing(), config_from_file=True)
    told = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t", "t", "t")
        await pilot.pause()
        assert told.count("This practice will not be remembered: the disk is full (x).") == 1
