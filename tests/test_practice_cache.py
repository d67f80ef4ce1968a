"""The cache of practice files already read: a shortcut that never answers with old words."""

from __future__ import annotations

import os
import time
from pathlib import Path

from companion.library import Library
from companion.library.cache import CACHE_NAME, PracticeCache
from companion.library.library import Entry, _entry
from companion.paths import Paths
from companion.sound.files import sound_names
from tests.support import CALM_BREATH, write_wav

LATER = 10.0  # seconds after the writes: the files count as settled (not racy)


def user_file(paths: Paths, name: str, text: str) -> Path:
    path = paths.practices_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def read_through(paths: Paths, file: Path) -> tuple[PracticeCache, Entry]:
    """Open the cache, read one user file through it and save it as if ten seconds later."""
    sounds = sound_names(paths)
    cache = PracticeCache.open(paths, sounds)
    entry = _entry(file, "user", sounds, cache)
    cache.save(now=time.time() + LATER)
    return cache, entry


def test_a_second_library_load_reads_unchanged_files_from_the_cache(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    first = Library.load(paths)
    assert (paths.cache_dir / CACHE_NAME).is_file()  # the bundled files are long settled
    cache = PracticeCache.open(paths, sound_names(paths))
    again = Library.load(paths)
    assert again.entries == first.entries  # the same practices, problems and sources
    for entry in first.entries.values():
        st = os.stat(entry.path)
        key = (str(entry.path), entry.source, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        assert cache.outcome(key, lambda: (None, ())) == (entry.practice, entry.problems)
    assert cache.misses == 0 and cache.hits == len(first.entries)


def test_a_file_edited_to_another_size_is_read_again(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    file = user_file(paths, "calm.toml", CALM_BREATH)
    read_through(paths, file)
    file.write_text(CALM_BREATH.replace('title = "', 'title = "Very '), encoding="utf-8")
    cache, edited = read_through(paths, file)
    assert cache.misses == 1 and cache.hits == 0
    assert edited.practice is not None and edited.practice.title.startswith("Very ")


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
    assert edited.practice.segments[0].pattern is not None
    assert edited.practice.segments[0].pattern.inhale == 5


def test_a_file_changed_in_the_last_seconds_is_read_every_time(tmp_path: Path) -> None:
    # Two saves within one tick of the file system's clock could keep the same size and times
    # with new words: such a file is not kept until it has settled.
    paths = Paths.under(tmp_path)
    file = user_file(paths, "calm.toml", CALM_BREATH)
    sounds = sound_names(paths)
    cache = PracticeCache.open(paths, sounds)
    _entry(file, "user", sounds, cache)
    cache.save()  # now: the file was written moments ago
    again = PracticeCache.open(paths, sounds)
    _entry(file, "user", sounds, again)
    assert again.misses == 1 and again.hits == 0


def test_a_broken_file_keeps_its_problems_in_the_cache(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    file = user_file(paths, "broken.toml", CALM_BREATH.replace("in = 4", "in = -4"))
    _, first = read_through(paths, file)
    cache, second = read_through(paths, file)
    assert cache.hits == 1
    assert first.practice is None and second.practice is None
    assert second.problems == first.problems and second.problems


def test_other_sounds_mean_another_cache(tmp_path: Path) -> None:
    # Whether a practice's sounds exist is part of checking it: a new sound file in the
    # user's folder must not be answered from a cache that did not know it.
    paths = Paths.under(tmp_path)
    file = user_file(paths, "calm.toml", CALM_BREATH)
    read_through(paths, file)
    paths.sounds_dir.mkdir(parents=True, exist_ok=True)
    write_wav(paths.sounds_dir / "my-chime.wav")
    cache, _ = read_through(paths, file)
    assert cache.misses == 1 and cache.hits == 0


def test_a_damaged_cache_is_ignored_and_written_again(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    expected = Library.load(paths).entries
    cached = paths.cache_dir / CACHE_NAME
    for damage in (b"", b"not a pickle at all", cached.read_bytes()[:100]):
        cached.write_bytes(damage)
        assert Library.load(paths).entries == expected
        assert cached.read_bytes() != damage  # rewritten whole


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    paths.cache_dir.parent.mkdir(parents=True, exist_ok=True)
    paths.cache_dir.write_text("a file where the folder should be", encoding="utf-8")
    library = Library.load(paths)
    assert library.entries and all(e.ok for e in library.entries.values())
    assert paths.cache_dir.read_text(encoding="utf-8").startswith("a file")
