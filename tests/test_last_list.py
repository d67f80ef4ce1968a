"""The home list kept for the next start (companion/library/last_list.py, issue 18)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from companion.library.last_list import LIST_NAME, Row, ShownList, read_list, save_list
from companion.paths import Paths

LATER = 10.0  # seconds: "now" for a save, past every file's racy two seconds


def shown() -> ShownList:
    rows: list[Row] = [
        (None, "Breath", ((0, 6, "bold"),)),
        ("box-breathing", "  Box breathing  5m", ((15, 19, "dim"),)),
    ]
    return ShownList(rows, "Three-minute breathing space, 3m", {"box-breathing": "Box, 5m"})


def kept(paths: Paths) -> ShownList:
    assert save_list(paths, shown(), now=time.time() + LATER)
    found = read_list(paths)
    assert found is not None
    return found


def my_practice(paths: Paths, name: str = "mine.toml") -> Path:
    paths.practices_dir.mkdir(parents=True, exist_ok=True)
    file = paths.practices_dir / name
    file.write_text('title = "Mine"\n', encoding="utf-8")
    return file


def test_the_list_comes_back_as_it_was_kept_while_nothing_changed(paths: Paths) -> None:
    my_practice(paths)
    found = kept(paths)
    assert found.rows == shown().rows
    assert found.as_json() == shown().as_json()


def test_the_quick_session_follows_the_last_practice_done(paths: Paths) -> None:
    found = kept(paths)
    assert found.quick("box-breathing") == "Box, 5m"
    # A last practice not in the list (deleted since, or none yet): the usual quick session.
    assert found.quick("gone") == found.quick("") == "Three-minute breathing space, 3m"


@pytest.mark.parametrize("change", ["edited", "added", "removed", "renamed"])
def test_a_practice_file_changed_since_means_the_library_is_read(
    paths: Paths, change: str
) -> None:
    file = my_practice(paths)
    kept(paths)
    if change == "edited":  # the same size, a new time: still a new version
        file.write_text('title = "Mind"\n', encoding="utf-8")
        os.utime(file, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    elif change == "added":
        my_practice(paths, "another.toml")
    elif change == "removed":
        file.unlink()
    else:
        file.rename(file.with_name("moved.toml"))
    assert read_list(paths) is None


def test_courses_and_sounds_are_part_of_what_is_compared(paths: Paths) -> None:
    kept(paths)
    paths.courses_dir.mkdir(parents=True)
    (paths.courses_dir / "mine.toml").write_text("", encoding="utf-8")
    assert read_list(paths) is None
    kept(paths)
    # A practice naming a sound is broken without it: the sounds' names count too.
    (paths.sounds_dir / "soundscapes").mkdir(parents=True)
    (paths.sounds_dir / "soundscapes" / "rain.ogg").write_bytes(b"")
    assert read_list(paths) is None


def test_a_link_counts_by_what_it_points_at(paths: Paths, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.toml"
    target.write_text('title = "There"\n', encoding="utf-8")
    paths.practices_dir.mkdir(parents=True)
    (paths.practices_dir / "linked.toml").symlink_to(target)
    kept(paths)
    target.write_text('title = "Here, and longer"\n', encoding="utf-8")
    assert read_list(paths) is None


def test_nothing_is_kept_while_a_file_was_changed_in_the_last_two_seconds(paths: Paths) -> None:
    my_practice(paths)  # written just now: another save in the same tick could hide
    assert not save_list(paths, shown())
    assert not (paths.cache_dir / LIST_NAME).exists()
    assert save_list(paths, shown(), now=time.time() + LATER)


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"stamp": "another version"}',
    ],
)
def test_a_damaged_or_foreign_file_is_ignored(paths: Paths, damage: bytes) -> None:
    paths.cache_dir.mkdir(parents=True)
    (paths.cache_dir / LIST_NAME).write_bytes(damage)
    assert read_list(paths) is None
    assert save_list(paths, shown(), now=time.time() + LATER)  # and written again
    assert read_list(paths) is not None


def test_rows_of_another_shape_are_not_trusted(paths: Paths) -> None:
    kept(paths)
    file = paths.cache_dir / LIST_NAME
    data = json.loads(file.read_text(encoding="utf-8"))
    for bad in ([[1, "x", []]], [["id", "x", [[0, "one", "dim"]]]], [["id"]], "rows"):
        file.write_text(json.dumps({**data, "rows": bad}), encoding="utf-8")
        assert read_list(paths) is None


def test_a_cache_folder_that_cannot_be_written_only_means_no_list(paths: Paths) -> None:
    paths.cache_dir.parent.mkdir(parents=True, exist_ok=True)
    paths.cache_dir.write_text("a file where the folder should be", encoding="utf-8")
    assert not save_list(paths, shown(), now=time.time() + LATER)
    assert read_list(paths) is None
