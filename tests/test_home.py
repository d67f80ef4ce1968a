"""library/choose.py: how the home screen groups, filters and picks the quick practice."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.library import Entry, Library
from companion.library.choose import (
    QUICK_ID,
    at_length,
    group_of,
    grouped,
    matching,
    matching_courses,
    quick_practice,
)
from companion.paths import Paths
from companion.practice.errors import Problem
from tests.support import practice_from


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
        library.entries[practice_id] = Entry(practice_id, Path(f"{practice_id}.toml"), "user", practice)
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
