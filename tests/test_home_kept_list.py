"""A returning start shows the list kept from the last one, then reads the library (issue 18)."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from companion.library.last_list import LIST_NAME, read_list, save_list
from companion.library.library import Library
from companion.paths import Paths
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.home_list import library_rows, shown_list
from companion.ui.screens.practice import PracticeScreen
from tests.support import screen_text, settle
from tests.test_quick_open import BUILD_REST, held_home

LATER = 10.0  # seconds: "now" for a save, past the racy two seconds of files just written


def keep_the_list(paths: Paths) -> None:
    """What an earlier start keeps once its library is read (as if a few seconds later)."""
    library = Library.load(paths)
    shown = shown_list(library, library_rows(library, ""))
    assert save_list(paths, shown, now=time.time() + LATER)


def listed(app_screen: HomeScreen) -> list[str]:
    listing = app_screen.query_one("#practices")
    return [str(o.prompt) for o in getattr(listing, "options", [])]


def status(text: str) -> str:
    return next(line.strip() for line in text.splitlines() if "Quick session (" in line)


async def test_the_first_frame_shows_the_kept_list_and_the_read_one_is_the_same(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_the_list(paths)
    async with held_home(paths, monkeypatch) as (app, pilot, home):
        assert home.library is None  # shown before the library is read
        before = listed(home)
        first = screen_text(app)
        assert "Box breathing" in first and "Courses" in before
        assert "Three-minute breathing space" in status(first)
        await BUILD_REST(home)
        await pilot.pause()
        assert home.library is not None and home.library.entries["box-breathing"].ok
        assert listed(home) == before
        text = screen_text(app)
        assert status(text) == status(first)
        assert "Enter to begin." in text and "Enter to begin." not in first  # the preview


async def test_enter_before_the_library_is_read_starts_the_highlighted_practice(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_the_list(paths)
    async with held_home(paths, monkeypatch) as (app, pilot, home):
        assert home.library is None
        await pilot.press("down", "enter")
        await settle(pilot, lambda: isinstance(app.screen, PracticeScreen))
        practice = app.screen.practice  # type: ignore[attr-defined]
        assert practice.title == "Box breathing without holds"  # the second practice listed


async def test_the_quick_key_before_the_library_is_read_starts_the_quick_session(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_the_list(paths)
    async with held_home(paths, monkeypatch) as (app, pilot, _):
        await pilot.press("space")
        await settle(pilot, lambda: isinstance(app.screen, PracticeScreen))
        assert app.screen.practice.title == "Three-minute breathing space"  # type: ignore[attr-defined]


async def test_a_practice_added_since_the_last_start_is_in_the_first_frame(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_the_list(paths)
    paths.practices_dir.mkdir(parents=True, exist_ok=True)
    bundled = (paths.bundled_practices / "box-breathing.toml").read_text(encoding="utf-8")
    mine = bundled.replace('title = "Box breathing"', 'title = "My own square"', 1)
    (paths.practices_dir / "my-square.toml").write_text(mine, encoding="utf-8")
    async with held_home(paths, monkeypatch) as (app, _, home):
        assert home.library is not None  # read at once
        assert "My own square" in screen_text(app)


async def test_a_change_the_comparison_missed_is_put_right_a_frame_later(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_the_list(paths)
    file = paths.cache_dir / LIST_NAME
    kept = json.loads(file.read_text(encoding="utf-8"))
    for row in kept["rows"]:
        row[1] = row[1].replace("Box breathing", "An old name")
    file.write_text(json.dumps(kept), encoding="utf-8")
    async with held_home(paths, monkeypatch) as (app, pilot, home):
        assert "An old name" in screen_text(app)
        await BUILD_REST(home)
        await pilot.pause()
        text = screen_text(app)
        assert "An old name" not in text and "Box breathing" in text
    found = read_list(paths)  # and the list kept for next time is the true one again
    assert found is not None and not any("An old name" in words for _, words, _ in found.rows)


async def test_a_first_start_keeps_the_list_once_it_has_been_shown(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with held_home(paths, monkeypatch) as (_, pilot, home):
        assert not (paths.cache_dir / LIST_NAME).exists()  # not before the first frame
        await BUILD_REST(home)
        await pilot.pause()
    found = read_list(paths)
    assert found is not None
    assert any(words.strip().startswith("Box breathing") for _, words, _ in found.rows)


def test_opening_the_home_screen_needs_neither_the_model_nor_the_library() -> None:
    # What the home screen's first frame imports when the list is kept: the practice model,
    # its loaders and the engine are left for just after it (bench/ measures the time).
    code = (
        "import sys; import companion.cli, companion.commands.opening, companion.ui.app, "
        "companion.ui.screens.home; "
        "print(' '.join(m for m in ('companion.practice.model', 'companion.library.library', "
        "'companion.practice.load', 'companion.engine.rescale', 'argparse', 'tomllib') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
