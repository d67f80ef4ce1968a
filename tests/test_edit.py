"""practice/edit.py: the name rule, the header comments and saving a user copy, without widgets."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from companion.paths import Paths
from companion.practice.edit import (
    SCHEMA_LINE,
    app_header,
    copy_header,
    copy_text,
    replaces_bundled,
    save_user_copy,
    user_file,
)
from companion.practice.load import load_practice
from companion.practice.model import is_name
from companion.practice.schema import PRACTICE_SCHEMA
from tests.support import practice_from

BOX = """
title = "Box"
[[segment]]
kind = "breath"
duration = "2m"
pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }
"""


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("calm", True),
        ("evening-scan_2", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("-calm", False),
        ("my calm", False),
        ("calm.toml", False),
        ("../calm", False),
        ("calm\n", False),
        ("", False),
    ],
)
def test_one_rule_for_practice_names(name: str, ok: bool) -> None:
    assert is_name(name) is ok


def test_a_saved_copy_keeps_the_old_file_as_bak_and_loads_back(paths: Paths) -> None:
    practice = practice_from(BOX, "box")
    first = save_user_copy(paths, "box", copy_text(practice, copy_header("box", practice, False)))
    assert first is None  # nothing was there to keep
    target = user_file(paths, "box")
    before = target.read_text()
    second = save_user_copy(paths, "box", "title = 'changed'\n")
    assert second is not None and second == target.with_name("box.toml.bak")
    assert second.read_text() == before
    assert tomllib.loads(target.read_text()) == {"title": "changed"}


def test_a_copy_reads_back_as_the_same_practice(paths: Paths) -> None:
    practice = practice_from(BOX, "box")
    save_user_copy(paths, "box", copy_text(practice, copy_header("box", practice, False)))
    again = load_practice(user_file(paths, "box"), source="user", sounds=None)
    assert again.segments == practice.segments and again.title == practice.title


def test_app_header_names_the_schema_only_when_it_is_there(paths: Paths) -> None:
    practice = practice_from(BOX, "box")
    day = date(2026, 1, 2)
    without = app_header(paths, practice, "box", day)
    assert SCHEMA_LINE not in without and "2026-01-02" in without
    paths.practices_dir.mkdir(parents=True, exist_ok=True)
    (paths.practices_dir / PRACTICE_SCHEMA).write_text("{}")
    assert app_header(paths, practice, "box", day).startswith(SCHEMA_LINE + "\n")


def test_a_copy_of_a_bundled_practice_says_it_replaces_it(paths: Paths) -> None:
    assert replaces_bundled(paths, "box-breathing")
    assert not replaces_bundled(paths, "no-such-practice")
    practice = practice_from(BOX, "box-breathing")
    header = copy_header("box-breathing", practice, replaces_bundled=True)
    assert header.startswith(SCHEMA_LINE)
    assert "delete this file to go back to the original" in header
    saved = app_header(paths, practice, "box-breathing", date(2026, 1, 2))
    assert "it replaces it" in saved
