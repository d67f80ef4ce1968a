"""library/choose.py: how the home screen groups, filters and picks the quick practice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.library.choose import (
    QUICK_ID,
    at_length,
    group_of,
    grouped,
    matching,
    matching_courses,
    quick_practice,
)
from companion.library.library import Entry, Library
from companion.paths import Paths
from companion.practice.errors import Problem
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.practice import PracticeScreen
from tests.support import (
    AppBuilder,
    at,
    every_kind,
    practice_from,
    screen_text,
    write_practice,
)


def practice_text(title: str, tags: list[str], minutes: int = 5) -> str:
    """A one-segment practice with these tags."""
    quoted = ", ".join(f'"{t}"' for t in tags)
    return (
        f'title = "{title}"\ntags = [{quoted}]\n'
        f'[[segment]]\nkind = "silence"\nduration = "{minutes}m"\n'
    )


def library_of(paths: Paths, *items: tuple[str, str, list[str]], broken: str = "") -> Library:
    """A library holding exactly these (id, title, tags) practices, and one broken file."""
    library = Library(paths)
    for practice_id, title, tags in items:
        practice = practice_from(practice_text(title, tags), practice_id)
        library.entries[practice_id] = Entry(
            practice_id, Path(f"{practice_id}.toml"), "user", practice
        )
    if broken:
        problem = Problem(f"{broken}.toml", "unknown kind 'nap'")
        library.entries[broken] = Entry(broken, Path(f"{broken}.toml"), "user", None, (problem,))
    return library


def quick_id(library: Library, last: str) -> str | None:
    """The id of the quick practice, or None when there is none."""
    practice = quick_practice(library, last)
    return None if practice is None else practice.id


def test_the_first_known_tag_places_a_practice() -> None:
    assert group_of(practice_from(practice_text("A", ["calm", "body", "breath"]))) == "body"
    assert group_of(practice_from(practice_text("B", ["evening"]))) == "other"
    assert group_of(practice_from(practice_text("C", []))) == "other"


def test_groups_follow_the_fixed_order_titles_sort_within_and_broken_files_stand_apart(
    paths: Paths,
) -> None:
    library = library_of(
        paths,
        ("z-scan", "A scan", ["body"]),
        ("b-breath", "Zen breath", ["breath"]),
        ("a-breath", "Box", ["breath"]),
        ("odd", "Odd one", ["evening"]),
        ("metta", "Kind", ["kindness"]),
        broken="zz-broken",
    )
    groups, broken = grouped(library.sorted())
    assert [(g.key, g.heading) for g in groups] == [
        ("breath", "Breath"),
        ("body", "Body"),
        ("kindness", "Kindness"),
        ("other", "Other"),
    ]
    assert [e.id for e in groups[0].entries] == ["a-breath", "b-breath"]  # Box before Zen
    assert [e.id for e in broken] == ["zz-broken"]


def test_the_filter_needs_every_word_in_the_id_tags_or_title(paths: Paths) -> None:
    library = library_of(
        paths,
        ("box", "Box breathing", ["breath"]),
        ("scan", "Evening scan", ["body"]),
        broken="box-broken",
    )
    assert [e.id for e in matching(library, "")] == ["box", "box-broken", "scan"]
    assert [e.id for e in matching(library, "BOX")] == ["box", "box-broken"]
    assert [e.id for e in matching(library, "evening body")] == ["scan"]
    assert [e.id for e in matching(library, "evening breath")] == []


def test_courses_match_their_id_title_or_the_word_course(paths: Paths) -> None:
    library = Library.load(paths)
    every = matching_courses(library, "")
    assert every and all(row.days > 0 for row in every)
    assert matching_courses(library, "course") == every
    first = every[0]
    assert [r.id for r in matching_courses(library, first.title.split()[0])].count(first.id) == 1
    assert matching_courses(library, "no-such-words-anywhere") == []


def test_quick_is_the_last_practice_then_the_breathing_space_then_a_fitted_stand_in(
    paths: Paths,
) -> None:
    library = library_of(
        paths,
        ("calm", "Calm", ["breath"]),
        (QUICK_ID, "Three-minute breathing space", ["quick", "breath"]),
    )
    last = quick_practice(library, "calm")
    assert last is not None and last.id == "calm"
    assert quick_id(library, "") == QUICK_ID
    assert quick_id(library, "gone-now") == QUICK_ID

    without = library_of(
        paths, ("calm", "Calm", ["breath"]), ("short", "Short", ["quick", "breath"])
    )
    stand_in = quick_practice(without, "")
    assert stand_in is not None and stand_in.id == "short"
    assert stand_in.total == pytest.approx(180.0)  # fitted to three minutes

    only_other = library_of(paths, ("calm", "Calm", ["breath"]))
    assert quick_id(only_other, "") == "calm"
    assert quick_practice(library_of(paths), "") is None


def test_a_chosen_length_fits_the_practice_and_none_keeps_its_own() -> None:
    practice = practice_from(practice_text("Calm", ["breath"], minutes=5))
    assert at_length(practice, None) is practice
    assert at_length(practice, 10.0).total == pytest.approx(600.0)


async def test_home_lists_filters_and_starts(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    write_practice(paths.practices_dir, "zz-test-calm")
    clock = FakeClock()
    app, _ = build_app(clock=clock, config_from_file=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert "Every kind" in screen_text(app)
        await pilot.press("slash", *"zz-test", "enter")
        await pilot.pause()
        selected = home.selected()
        assert selected is not None and selected.id == "zz-test-calm"
        assert "One of each segment kind" in screen_text(app)
        await pilot.press("l")  # 3 minutes
        await pilot.pause()
        assert "Length: 3m" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        practice_screen = app.screen
        assert isinstance(practice_screen, PracticeScreen)
        assert practice_screen.timeline.total == pytest.approx(180.0)
        assert app.state.last_practice == "zz-test-calm"


async def test_home_quick_session_is_one_key(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    write_practice(paths.practices_dir, "zz-test-calm")
    app, _ = build_app(config=Config(last_practice="zz-test-calm"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Quick session (space): Every kind" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        assert app.screen.practice.id == "zz-test-calm"


async def test_home_quick_session_without_history_is_the_breathing_space(
    build_app: AppBuilder, tmp_path: Path
) -> None:
    app, _ = build_app(config_from_file=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Quick session (space): Three-minute breathing space, 3m" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert screen.practice.id == "breathing-space-3"
        assert screen.timeline.total == pytest.approx(180.0)  # its own length
        assert app.state.last_practice == "breathing-space-3"


async def test_home_shows_broken_files_with_their_errors(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    write_practice(paths.practices_dir, "zz-broken", 'title = "Oops"\n[[segment]]\nkind = "nap"\n')
    app, _ = build_app(config_from_file=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"zz-broken", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "zz-broken (broken)" in text
        assert "cannot be used yet" in text


async def test_help_lists_current_keys(build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path), config=Config(keys={"next-segment": "x"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await at(app, clock, pilot, 2.0)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Grounding" in text and "thinking" in text
        assert "x  Next" in " ".join(text.split()) or "x Next" in " ".join(text.split())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)


def test_the_preview_reflows_a_hand_wrapped_description() -> None:
    from companion.ui.screens.home_text import reflow

    text = "Breathe in for four,\nhold for four.\n\nIf you feel light-headed,\n  stop.\n"
    assert reflow(text) == "Breathe in for four, hold for four.\n\nIf you feel light-headed, stop."


SIZE = (110, 34)


def test_home(build_app: AppBuilder, snap_compare: Any, tmp_path: Path) -> None:
    # Only our own practice files, so the picture does not change as the library grows.
    home = tmp_path / "home"
    paths = Paths(home, home, tmp_path / "no-bundled", tmp_path / "no-sounds")
    write_practice(paths.practices_dir, "every-kind")
    write_practice(
        paths.practices_dir,
        "short-calm",
        'title = "Short calm"\ntags = ["body"]\n[bells]\nstart = "none"\nend = "none"\n'
        '[[segment]]\nkind = "silence"\nduration = "3m"\n',
    )
    write_practice(paths.practices_dir, "broken-one", 'title = "Oops"\n[[segment]]\nkind = "nap"\n')
    app, _ = build_app(paths=paths)
    assert snap_compare(app, terminal_size=SIZE)

