"""The app wired to its parts: customize and live reload on the home screen, journal notices,
undo in the journal, the player's readiness, and the optional check-in."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from textual.widgets import OptionList, Static

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.journal import NullRecorder, open_journal
from companion.journal.db import connect
from companion.paths import Paths
from companion.ui.app import CompanionApp, make_app
from companion.ui.bindings import BINDING_IDS
from companion.ui.screens.checkin import CheckInScreen
from companion.ui.screens.customize import CustomizeScreen
from companion.ui.screens.home import KEPT_LAST_GOOD, HomeScreen
from companion.ui.screens.practice import PracticeScreen
from companion.ui.screens.settings import SettingsScreen
from companion.ui.screens.summary import SummaryScreen
from tests.support import (
    SCAN_TOML,
    RecordingJournal,
    RecordingPlayer,
    every_kind,
    practice_from,
    record_notices,
    screen_text,
)

CALM = """title = "Calm"
tags = ["breath"]

[bells]
start = "none"
end = "none"

[[segment]]
kind = "breath"
duration = "2m"
pattern = { in = 4, out = 6 }
"""

BROKEN = CALM.replace("pattern = { in = 4, out = 6 }", "pattern = { in = 4, out = 6")

_mtime = [1_700_000_000]


def write(path: Path, text: str) -> None:
    """Write a practice file and move its mtime on, so the watcher sees even a same-size edit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _mtime[0] += 10
    os.utime(path, (_mtime[0], _mtime[0]))


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def home_app(paths: Paths, **kw: Any) -> CompanionApp:
    kw.setdefault("journal", RecordingJournal())
    return make_app(paths=paths, clock=FakeClock(), player=RecordingPlayer(), **kw)


def home_of(app: CompanionApp) -> HomeScreen:
    [home] = [s for s in app.screen_stack if isinstance(s, HomeScreen)]
    return home


async def highlight(pilot: Any, words: str) -> None:
    """Filter the list down to `words` and go back to it."""
    await pilot.press("slash", *words, "enter")
    await pilot.pause()


def preview_of(home: HomeScreen) -> str:
    return str(home.query_one("#preview", Static).render())


# -- customize from the home screen ------------------------------------------------------------
async def test_customize_from_home_saves_a_user_copy_and_lists_it(paths: Paths) -> None:
    app = home_app(paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = home_of(app)
        await highlight(pilot, "box-breathing")
        entry = home.selected()
        assert entry is not None and entry.id == "box-breathing" and entry.source == "bundled"
        own = entry.practice
        assert own is not None
        await pilot.press("l")  # a fitted length on the home screen...
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomizeScreen)
        assert form.practice is own  # ...but the form edits the practice at its own length
        form.query_one("#length").value = "7"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is home
        saved = paths.practices_dir / "box-breathing.toml"
        assert saved.is_file()
        entry = home.selected()
        assert entry is not None and entry.id == "box-breathing"  # the selection is kept
        assert entry.source == "user" and entry.practice is not None
        assert round(entry.practice.total or 0) == 7 * 60
        assert "yours" in screen_text(app)
        preview = preview_of(home)
        assert "Length: 3m (fitted)" in preview  # the length chosen on the home screen stays
        assert "Your own file (in place of the bundled one): box-breathing.toml" in preview
        await pilot.press(*"llll")  # back round to its own length
        await pilot.pause()
        assert "Length: 7m\n" in preview_of(home)


async def test_customize_under_a_new_name_highlights_the_new_practice(paths: Paths) -> None:
    app = home_app(paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = home_of(app)
        await highlight(pilot, "box-breathing")
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#save-as").value = "my-box"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert home.query_text == ""  # the filter hid the new name, so it was cleared
        entry = home.selected()
        assert entry is not None and entry.id == "my-box" and entry.source == "user"
        assert home.library is not None and home.library.entries["box-breathing"].ok


async def test_customize_escape_writes_nothing_and_a_course_is_not_customized(
    paths: Paths,
) -> None:
    app = home_app(paths)
    told = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await highlight(pilot, "box-breathing")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not paths.practices_dir.exists() or not any(paths.practices_dir.iterdir())
        await pilot.press("slash", "escape")  # the filter cleared
        await pilot.pause()
        listing = home_of(app).query_one("#practices", OptionList)
        ids = [listing.get_option_at_index(i).id or "" for i in range(listing.option_count)]
        listing.highlighted = next(i for i, oid in enumerate(ids) if oid.startswith("course:"))
        await pilot.pause()
        assert home_of(app).selected_course() is not None
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Highlight a practice to customize it." in told


def test_customize_keys_are_in_the_binding_table() -> None:
    assert {"customize", "customize-save", "customize-cancel"} <= BINDING_IDS
    keys = {b.id: b.key for b in CustomizeScreen.BINDINGS if hasattr(b, "id")}  # type: ignore[union-attr]
    from companion.ui.bindings import specs_for

    assert {s.id: s.key for s in specs_for("customize")} == keys


# -- live reload --------------------------------------------------------------------------------
async def test_an_invalid_edit_keeps_the_practice_and_the_preview_lists_the_lines(
    paths: Paths,
) -> None:
    path = paths.practices_dir / "calm.toml"
    write(path, CALM)
    app = home_app(paths)
    told = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = home_of(app)
        assert home.reloader is not None and home.reloader.timer is not None
        await highlight(pilot, "calm")
        assert home.selected() is not None and home.selected().id == "calm"  # type: ignore[union-attr]

        write(path, CALM.replace("out = 6", "out = 8"))
        home.reloader.check()
        await pilot.pause()
        good = home.selected()
        assert good is not None and good.practice is not None
        assert good.practice.segments[0].pattern.exhale == 8.0  # type: ignore[union-attr]

        write(path, BROKEN)
        home.reloader.check()
        await pilot.pause()
        entry = home.selected()
        assert entry is not None and entry.id == "calm"  # still highlighted
        assert entry.practice is good.practice  # the last good version
        text = preview_of(home)
        assert text.startswith(KEPT_LAST_GOOD)
        assert f"{path}:11:28: Unclosed inline table" in text
        assert any("Still using the last good version" in m for m in told)

        await pilot.press("enter")  # still usable
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert screen.practice is good.practice

        write(path, CALM)
        home.reloader.check()
        await pilot.pause()
        assert screen.practice is good.practice  # a practice in progress keeps its version
        assert KEPT_LAST_GOOD not in preview_of(home)


async def test_a_file_removed_during_its_practice_stays_until_it_ends(paths: Paths) -> None:
    path = paths.practices_dir / "calm.toml"
    write(path, CALM)
    app = home_app(paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = home_of(app)
        await highlight(pilot, "calm")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        path.unlink()
        assert home.reloader is not None
        home.reloader.check()
        await pilot.pause()
        assert home.library is not None and "calm" in home.library.entries


# -- journal notices ----------------------------------------------------------------------------
async def test_a_damaged_journal_is_moved_aside_and_said_once(paths: Paths, tmp_path: Path) -> None:
    paths.journal_file.parent.mkdir(parents=True, exist_ok=True)
    paths.journal_file.write_bytes(b"this is not a database at all" * 10)
    app = make_app(
        paths=paths, practice=every_kind(tmp_path), clock=FakeClock(), player=RecordingPlayer()
    )
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
    paths: Paths, tmp_path: Path
) -> None:
    db = connect(paths.journal_file)
    db.execute("PRAGMA user_version = 99")
    db.close()
    app = make_app(
        paths=paths, practice=every_kind(tmp_path), clock=FakeClock(), player=RecordingPlayer()
    )
    told = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen) and app.screen.sitting.started
        await pilot.press("escape", "a")  # end, then the same practice again
        await pilot.pause()
        said = [m for m in told if "will not be remembered" in m]
        assert len(said) == 1 and "newer companion" in said[0]


async def test_a_journal_that_fails_mid_practice_is_said_once(paths: Paths, tmp_path: Path) -> None:
    class Failing(RecordingJournal):
        def note(self, *args: Any) -> None:
            self.notice = "This practice will not be remembered: the disk is full (x)."

    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=FakeClock(),
        player=RecordingPlayer(),
        journal=Failing(),
    )
    told = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t", "t", "t")
        await pilot.pause()
        assert (
            told.count("This practice will not be remembered: the disk is full (x).") == 1
        )


# -- undo ---------------------------------------------------------------------------------------
async def test_undo_takes_the_note_out_of_the_journal(paths: Paths, tmp_path: Path) -> None:
    journal = open_journal(paths)
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=FakeClock(),
        player=RecordingPlayer(),
        journal=journal,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t", "f", "backspace")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert [n.label for n in screen.sitting.notes] == ["thinking"]
        assert rows(paths.journal_file, "SELECT label FROM notes") == [("thinking",)]
        await pilot.press("backspace", "backspace")  # one more than there is
        await pilot.pause()
        assert rows(paths.journal_file, "SELECT label FROM notes") == []


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


# -- the player ---------------------------------------------------------------------------------
class LatePlayer(RecordingPlayer):
    """A mixer that takes its time to open and then fails."""

    def __init__(self) -> None:
        super().__init__()
        self.opened = threading.Event()
        self.waited: list[float | None] = []

    def wait_ready(self, timeout: float | None = None) -> bool:
        self.waited.append(timeout)
        ready = self.opened.wait(timeout)
        self.notice = "No sound device found: practising in silence."
        return ready


async def test_the_practice_waits_for_the_player_and_its_late_notice_is_shown(
    paths: Paths, tmp_path: Path
) -> None:
    player = LatePlayer()
    app = make_app(paths=paths, practice=every_kind(tmp_path), clock=FakeClock(), player=player)
    told = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert not screen.sitting.started and screen.sitting.chimes is None  # not started before the mixer
        player.opened.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.sitting.started
        assert player.waited == [2.0]
        assert told.count("No sound device found: practising in silence.") == 1


# -- check-in -----------------------------------------------------------------------------------
async def test_check_in_before_and_after_are_recorded(paths: Paths, tmp_path: Path) -> None:
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=FakeClock(),
        player=RecordingPlayer(),
        journal=open_journal(paths),
        config=Config(check_in=True),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        text = screen_text(app)
        assert "How are you arriving?" in text
        assert all(word in text for word in ("heavy", "unsettled", "okay", "steady", "at ease"))
        await pilot.press("right", "enter")  # okay -> steady
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        assert "How are you now?" in screen_text(app)
        await pilot.press("5")  # at ease, at once
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Check-in: steady → at ease" in screen_text(app)
    assert rows(paths.journal_file, "SELECT checkin_before, checkin_after FROM runs") == [(4, 5)]


async def test_escape_skips_the_check_in_and_records_nothing(paths: Paths, tmp_path: Path) -> None:
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=FakeClock(),
        player=RecordingPlayer(),
        journal=open_journal(paths),
        config=Config(check_in=True),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # skip "arriving": the practice starts
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("escape")  # end the practice
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        await pilot.press("left", "left", "left", "escape")  # moved, then skipped all the same
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Check-in" not in screen_text(app)
    assert rows(paths.journal_file, "SELECT checkin_before, checkin_after, status FROM runs") == [
        (None, None, "ended early")
    ]


async def test_check_in_asks_again_before_the_next_practice_from_home(paths: Paths) -> None:
    app = home_app(paths, config=Config(check_in=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await highlight(pilot, "box-breathing")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen) and app.screen.when == "before"
        await pilot.press("1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.checkin_before == 1


async def test_check_in_off_shows_no_modal(paths: Paths, tmp_path: Path) -> None:
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=FakeClock(),
        player=RecordingPlayer(),
        journal=open_journal(paths),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert not any(isinstance(s, CheckInScreen) for s in app.screen_stack)


async def test_settings_turn_the_check_in_on(paths: Paths) -> None:
    app = home_app(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        switch = app.screen.query_one("#check_in")
        switch.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.config.check_in
    assert "check_in = true" in paths.config_file.read_text()
