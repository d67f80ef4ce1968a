"""The cache of parsed practice files: a shortcut that never answers with old words."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from companion.library.cache import (
    BIG,
    BIG_FILES,
    BIG_KEPT,
    CACHE_NAME,
    TomlCache,
    big_file_data,
    key_of,
)
from companion.library.library import Entry, Library, _course_entry, _entry
from companion.paths import Paths
from companion.practice.load import load_practice
from companion.sound.files import sound_names
from tests.support import CALM_BREATH, write_wav

LATER = 10.0  # seconds after the writes: the files count as settled (not racy)


def user_file(paths: Paths, name: str, text: str) -> Path:
    path = paths.practices_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def read_through(paths: Paths, file: Path, now: float | None = None) -> tuple[TomlCache, Entry]:
    """Open the cache, read one user file through it and save it (as if ten seconds later)."""
    cache = TomlCache.open(paths.cache_dir)
    entry = _entry(file, "user", sound_names(paths), cache)
    cache.save(now=time.time() + LATER if now is None else now)
    return cache, entry


def test_a_second_library_load_parses_no_unchanged_file_and_gives_the_same_library(
    tmp_path: Path,
) -> None:
    paths = Paths.under(tmp_path)
    first = Library.load(paths)
    assert (paths.cache_dir / CACHE_NAME).is_file()  # the bundled files are long settled
    cache = TomlCache.open(paths.cache_dir)
    sounds = sound_names(paths)
    again = {e.id: _entry(e.path, e.source, sounds, cache) for e in first.entries.values()}
    assert cache.misses == 0 and cache.hits == len(first.entries)
    assert again == first.entries  # the same practices, problems and sources
    assert Library.load(paths).entries == first.entries


def test_course_files_are_kept_too_and_an_edited_one_is_read_again(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    first = Library.load(paths)
    known = frozenset(first.entries)
    cache = TomlCache.open(paths.cache_dir)
    again = {c.id: _course_entry(c.path, c.source, known, cache) for c in first.courses.values()}
    assert first.courses and cache.misses == 0 and cache.hits == len(first.courses)
    assert again == first.courses
    course = paths.courses_dir / "mine.toml"
    course.parent.mkdir(parents=True, exist_ok=True)
    course.write_text('title = "Mine"\n[[day]]\ntitle = "One"\npractice = "box-breathing"\n', encoding="utf-8")
    cache = TomlCache.open(paths.cache_dir)
    _course_entry(course, "user", known, cache)
    cache.save(now=time.time() + LATER)
    course.write_text('title = "Mine, longer"\n[[day]]\ntitle = "One"\npractice = "box-breathing"\n')
    cache = TomlCache.open(paths.cache_dir)
    entry = _course_entry(course, "user", known, cache)
    assert cache.misses == 1 and entry.course is not None and entry.course.title == "Mine, longer"


def test_a_file_edited_to_another_size_is_read_again(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    file = user_file(paths, "calm.toml", CALM_BREATH)
    read_through(paths, file)
    file.write_text(CALM_BREATH.replace('title = "', 'title = "Very '), encoding="utf-8")
    cache, edited = read_through(paths, file)
    assert cache.misses == 1 and cache.hits == 0
    assert edited.practice is not None and edited.practice.title == "Very Calm"


def test_a_file_saved_in_place_of_another_is_read_again_even_with_the_old_size_and_time(
    tmp_path: Path,
) -> None:
    # What editors do: write a new file and rename it over the old one (a new inode).
    paths = Paths.under(tmp_path)
    file = user_file(paths, "calm.toml", CALM_BREATH)
    read_through(paths, file)
    old = os.stat(file)
    new = file.with_name("calm.toml.new")
    new.write_text(CALM_BREATH.replace("in = 4", "in = 5"), encoding="utf-8")
    os.utime(new, ns=(old.st_atime_ns, old.st_mtime_ns))
    os.replace(new, file)
    assert os.stat(file).st_size == old.st_size
    cache, edited = read_through(paths, file)
    assert cache.misses == 1
    assert edited.practice is not None
    pattern = edited.practice.segments[0].pattern
    assert pattern is not None and pattern.inhale == 5


def test_a_file_changed_in_the_last_seconds_is_read_every_time(tmp_path: Path) -> None:
    # Two saves within one tick of the file system's clock could keep the same size and times
    # with new words: such a file is not kept until it has settled.
    paths = Paths.under(tmp_path)
    file = user_file(paths, "calm.toml", CALM_BREATH)
    read_through(paths, file, now=time.time())  # the file was written moments ago
    again, _ = read_through(paths, file)
    assert again.misses == 1 and again.hits == 0


def test_a_cached_file_is_checked_again_with_the_sounds_there_now(tmp_path: Path) -> None:
    # Only the parsed TOML is kept: whether the sound it names exists is asked every time.
    paths = Paths.under(tmp_path)
    file = user_file(paths, "calm.toml", CALM_BREATH.replace('start = "none"', 'start = "my-chime"'))
    _, before = read_through(paths, file)
    assert before.practice is None
    assert any("my-chime" in str(p) for p in before.problems)
    paths.sounds_dir.mkdir(parents=True, exist_ok=True)
    write_wav(paths.sounds_dir / "my-chime.wav")
    cache, after = read_through(paths, file)
    assert cache.hits == 1
    assert after.practice is not None and after.problems == ()


def test_what_the_cache_holds_is_checked_like_a_file(tmp_path: Path) -> None:
    # A cache edited by hand (or by anything else) is data, checked as the file would be.
    paths = Paths.under(tmp_path)
    file = user_file(paths, "calm.toml", CALM_BREATH)
    read_through(paths, file)
    cached = paths.cache_dir / CACHE_NAME
    kept = json.loads(cached.read_text(encoding="utf-8"))
    key = key_of(file, os.stat(file))
    kept["files"][key]["segment"][0]["pattern"] = {"in": -4, "out": 6}
    cached.write_text(json.dumps(kept), encoding="utf-8")
    cache, entry = read_through(paths, file)
    assert cache.hits == 1
    assert entry.practice is None and entry.problems


def test_a_file_json_cannot_hold_is_read_every_time(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    file = user_file(paths, "dated.toml", CALM_BREATH + "\nwritten = 2026-11-30\n")
    _, first = read_through(paths, file)
    cache, second = read_through(paths, file)
    assert cache.misses == 1 and cache.hits == 0
    assert first.problems == second.problems != ()


def test_a_damaged_cache_is_ignored_and_written_again(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    expected = Library.load(paths).entries
    cached = paths.cache_dir / CACHE_NAME
    whole = cached.read_bytes()
    for damage in (b"", b"\xff\xfe not text", b"[1, 2]", b'{"stamp": "other"}', whole[:100]):
        cached.write_bytes(damage)
        assert Library.load(paths).entries == expected
        assert cached.read_bytes() == whole  # written again, whole


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    paths.cache_dir.parent.mkdir(parents=True, exist_ok=True)
    paths.cache_dir.write_text("a file where the folder should be", encoding="utf-8")
    library = Library.load(paths)
    assert library.entries and all(e.ok for e in library.entries.values())
    assert paths.cache_dir.read_text(encoding="utf-8").startswith("a file")


def big_practice(segments: int = 80) -> str:
    """A practice of over 32 KiB: many segments, each with cues."""
    cues = ", ".join(f'{{ at = "{j}s", text = "Cue number {j}" }}' for j in range(12))
    segment = f'[[segment]]\nkind = "breath"\nduration = "1m"\npattern = {{ in = 4, out = 6 }}\ncues = [{cues}]\n'
    return 'title = "Big"\n' + segment * segments


def test_a_big_file_read_alone_is_parsed_once_while_it_stays_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths.under(tmp_path)
    file = tmp_path / "big.toml"
    file.write_text(big_practice(), encoding="utf-8")
    assert file.stat().st_size > BIG
    first = big_file_data(file, paths.cache_dir, now=time.time() + LATER)
    assert first is not None and len(first["segment"]) == 80
    assert len(list((paths.cache_dir / BIG_FILES).glob("*.json"))) == 1

    def no_parsing(*_: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr("companion.practice.syntax.read_toml", no_parsing)
    assert big_file_data(file, paths.cache_dir) == first
    monkeypatch.undo()
    # What `companion run FILE` gives is the same practice either way.
    assert Library(paths).resolve(str(file)) == load_practice(
        file, source="file", sounds=sound_names(paths)
    )
    file.write_text(big_practice(81), encoding="utf-8")  # edited: parsed again
    again = big_file_data(file, paths.cache_dir, now=time.time() + LATER)
    assert again is not None and len(again["segment"]) == 81


def test_small_broken_and_just_written_big_files_are_left_to_the_usual_reading(
    tmp_path: Path,
) -> None:
    paths = Paths.under(tmp_path)
    small = user_file(paths, "calm.toml", CALM_BREATH)
    assert big_file_data(small, paths.cache_dir, now=time.time() + LATER) is None
    broken = tmp_path / "broken.toml"
    broken.write_text(big_practice() + "[[segment]\n", encoding="utf-8")
    assert big_file_data(broken, paths.cache_dir, now=time.time() + LATER) is None
    fresh = tmp_path / "fresh.toml"
    fresh.write_text(big_practice(), encoding="utf-8")
    assert big_file_data(fresh, paths.cache_dir) is not None  # read, but not kept yet
    assert not list((paths.cache_dir / BIG_FILES).glob("*.json"))


def test_only_the_newest_big_files_are_kept(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    text = big_practice()
    for n in range(BIG_KEPT + 3):
        file = tmp_path / f"big{n}.toml"
        file.write_text(text, encoding="utf-8")
        big_file_data(file, paths.cache_dir, now=time.time() + LATER)
    assert len(list((paths.cache_dir / BIG_FILES).glob("*.json"))) == BIG_KEPT
