"""Live reload of user practice files: valid edits replace, invalid ones keep the last good."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from companion.library.library import Library
from companion.library.one import UnknownPractice, resolve_one
from companion.library.watch import PracticeWatcher, watcher_for
from companion.paths import Paths
from companion.practice.errors import PracticeError
from companion.practice.load import load_practice
from companion.ui.reload import (
    LibraryReloader,
    PracticeInvalid,
    PracticeReloaded,
    PracticeRemoved,
    invalid_text,
)
from companion.ui.screens.practice import PracticeScreen
from tests.support import (
    CALM_BREATH,
    AppBuilder,
    home_of,
    record_toasts,
    write_touched,
)

SOUNDS = frozenset({"bowl", "bell"})

CALM = """title = "Calm"

[[segment]]
kind = "breath"
duration = "2m"
pattern = { in = 4, out = 6 }
"""

BROKEN = """title = "Calm"

[[segment]]
kind = "breath"
duration = "2m"
pattern = { in = 4, out = 6
"""


def test_valid_edit_is_reloaded(tmp_path: Path) -> None:
    folder = tmp_path / "practices"
    write_touched(folder / "calm.toml", CALM)
    watcher = PracticeWatcher(folder, sounds=SOUNDS)
    assert watcher.poll() == []  # the first scan is the baseline
    write_touched(folder / "calm.toml", CALM.replace("out = 6", "out = 8"))
    [change] = watcher.poll()
    assert change.kind == "reloaded" and change.id == "calm"
    assert change.practice is not None
    assert change.practice.segments[0].pattern is not None
    assert change.practice.segments[0].pattern.exhale == 8.0
    assert change.practice.source == "user"
    assert watcher.poll() == []  # nothing new, nothing reported


def test_invalid_edit_keeps_last_good_and_reports_lines(tmp_path: Path) -> None:
    folder = tmp_path / "practices"
    path = folder / "calm.toml"
    write_touched(path, CALM)
    good = load_practice(path, source="user")
    watcher = PracticeWatcher(folder, known={"calm": good})
    write_touched(path, BROKEN)
    [change] = watcher.poll()
    assert change.kind == "invalid"
    assert change.practice is good
    lines = change.lines()
    assert lines and lines[0].startswith(f"{path}:6:")  # file:line:col
    assert watcher.problems_for("calm") == change.problems
    assert watcher.last_good("calm") is good
    assert "Still using the last good version" in invalid_text(change)
    # Fixed again: reloaded, and the problems are gone.
    write_touched(path, CALM.replace("in = 4", "in = 5"))
    [change] = watcher.poll()
    assert change.kind == "reloaded"
    assert watcher.problems_for("calm") == ()


def test_loader_problems_name_the_place(tmp_path: Path) -> None:
    folder = tmp_path / "practices"
    write_touched(folder / "calm.toml", CALM)
    watcher = PracticeWatcher(folder, sounds=SOUNDS)
    write_touched(folder / "calm.toml", CALM.replace("in = 4", "in = -1"))
    [change] = watcher.poll()
    assert change.kind == "invalid" and change.practice is None  # never loaded by this watcher
    assert "segment[1].pattern.in: must be a positive number" in change.lines()[0]


def test_new_removed_and_leftover_files(tmp_path: Path) -> None:
    folder = tmp_path / "practices"
    watcher = PracticeWatcher(folder)  # the folder need not exist yet
    write_touched(folder / "calm.toml", CALM)
    write_touched(folder / "calm.toml.bak", CALM)
    write_touched(folder / ".calm.toml.123.tmp", CALM)
    [change] = watcher.poll()
    assert (change.kind, change.id) == ("reloaded", "calm")
    (folder / "calm.toml").unlink()
    [change] = watcher.poll()
    assert (change.kind, change.id) == ("removed", "calm")


def library_with_user_file(paths: Paths, name: str, text: str) -> Library:
    write_touched(paths.practices_dir / f"{name}.toml", text)
    return Library.load(paths)


def test_library_keeps_last_good_and_restores_bundled(paths: Paths) -> None:
    box = (paths.bundled_practices / "box-breathing.toml").read_text("utf-8")
    library = library_with_user_file(paths, "box-breathing", box.replace('"4m"', '"5m"'))
    watcher = watcher_for(library)
    before = library.entries["box-breathing"].practice
    # The bundled files name sounds that may not be installed here; check only the syntax.
    watcher.sounds = None
    write_touched(paths.practices_dir / "box-breathing.toml", "title = \n")
    for change in watcher.poll():
        library.apply(change)
    entry = library.entries["box-breathing"]
    assert entry.source == "user" and entry.overrides
    assert entry.practice is before  # None if the bundled sounds are missing; kept either way
    assert entry.problems and ":1:" in str(entry.problems[0])
    (paths.practices_dir / "box-breathing.toml").unlink()
    for change in watcher.poll():
        library.apply(change)
    assert library.entries["box-breathing"].source == "bundled"


def test_removed_practice_in_progress_stays(paths: Paths) -> None:
    library = library_with_user_file(paths, "calm", CALM)
    watcher = watcher_for(library)
    (paths.practices_dir / "calm.toml").unlink()
    [change] = watcher.poll()
    library.apply(change, in_progress="calm")
    assert "calm" in library.entries
    library.apply(change, in_progress=None)
    assert "calm" not in library.entries


class HostApp(App[None]):
    """Hosts a reloader on its screen and records the messages that bubble up."""

    def __init__(self, reloader: LibraryReloader) -> None:
        super().__init__()
        self.reloader = reloader
        self.seen: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("home")

    def on_mount(self) -> None:
        self.reloader.start(self.screen, interval=3600)  # driven by check() below, not time

    def on_practice_reloaded(self, message: PracticeReloaded) -> None:
        self.seen.append(message)

    def on_practice_invalid(self, message: PracticeInvalid) -> None:
        self.seen.append(message)

    def on_practice_removed(self, message: PracticeRemoved) -> None:
        self.seen.append(message)


async def test_reloader_posts_messages_and_warns(paths: Paths) -> None:
    library = library_with_user_file(paths, "calm", CALM)
    assert library.entries["calm"].ok
    reloader = LibraryReloader(library)
    app = HostApp(reloader)
    toasts = record_toasts(app)
    path = paths.practices_dir / "calm.toml"
    async with app.run_test() as pilot:
        write_touched(path, CALM.replace("out = 6", "out = 7"))
        reloader.check()
        await pilot.pause()
        [reloaded] = app.seen
        assert isinstance(reloaded, PracticeReloaded)
        assert library.entries["calm"].practice is reloaded.practice

        write_touched(path, BROKEN)
        reloader.check()
        await pilot.pause()
        invalid = app.seen[-1]
        assert isinstance(invalid, PracticeInvalid)
        assert invalid.last_good is reloaded.practice
        assert library.entries["calm"].practice is reloaded.practice  # the last good version
        assert reloader.watcher.problems_for("calm") == invalid.problems
        [(message, severity)] = toasts
        assert severity == "warning"
        assert f"{path}:6:" in message

        path.unlink()
        reloader.check()
        await pilot.pause()
        assert isinstance(app.seen[-1], PracticeRemoved)
        assert "calm" not in library.entries


def test_watch_is_pure() -> None:
    code = (
        "import sys; import companion.library.watch; "
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'pygame'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


async def highlight(pilot: Any, words: str) -> None:
    """Filter the list down to `words` and go back to it."""
    await pilot.press("slash", *words, "enter")
    await pilot.pause()


async def test_a_file_removed_during_its_practice_stays_until_it_ends(build_app: AppBuilder, paths: Paths) -> None:
    path = paths.practices_dir / "calm.toml"
    write_touched(path, CALM_BREATH)
    app, _ = build_app(config_from_file=True)
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


def test_resolve_one_gives_the_practice_the_library_gives(paths: Paths) -> None:
    library = Library.load(paths)
    for practice_id in ("box-breathing", "coherent-breathing", library.ids()[-1]):
        assert resolve_one(paths, practice_id) == library.resolve(practice_id)


def test_resolve_one_prefers_the_users_file_of_that_id(paths: Paths) -> None:
    bundled = (paths.bundled_practices / "box-breathing.toml").read_text(encoding="utf-8")
    paths.practices_dir.mkdir(parents=True, exist_ok=True)
    mine = bundled.replace('title = "Box breathing"', 'title = "My box"', 1)
    assert mine != bundled
    (paths.practices_dir / "box-breathing.toml").write_text(mine, encoding="utf-8")
    practice = resolve_one(paths, "box-breathing")
    assert practice.title == "My box"
    assert practice == Library.load(paths).resolve("box-breathing")


def test_resolve_one_reports_what_the_library_reports(paths: Paths, tmp_path: Path) -> None:
    with pytest.raises(UnknownPractice) as unknown:
        resolve_one(paths, "box-breathin")
    assert "box-breathing" in unknown.value.close
    paths.practices_dir.mkdir(parents=True, exist_ok=True)
    (paths.practices_dir / "broken.toml").write_text("title = \n", encoding="utf-8")
    with pytest.raises(PracticeError):
        resolve_one(paths, "broken")
    file = tmp_path / "elsewhere.toml"
    file.write_text(
        (paths.bundled_practices / "box-breathing.toml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert resolve_one(paths, str(file)).title == "Box breathing"

