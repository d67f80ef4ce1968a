"""The user's folders as they really are: loops, pipes, devices, unreadable files, names that
are not UTF-8, thousands of files, files rewritten while watched, and sound files that are
cut short, enormous, text, or deleted while a practice runs.

Real files in temporary folders; the commands through the installed console script (a pipe
opened by mistake would hang, so every run has a timeout); the mixer with SDL's dummy driver.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from companion.library.library import Library
from companion.library.watch import HOLD_POLLS, PracticeWatcher
from companion.paths import Paths
from companion.practice.load import load_practice
from companion.sound.files import MAX_SOUND_BYTES, sound_listing, sound_problem
from companion.sound.player import MixerPlayer
from companion.user_files import listing
from tests.support import COMPANION, write_wav
from tests.support.folders import (
    CAFE,
    GOOD,
    NO_OVERRIDE,
    ROOT,
    big_wav,
    companion,
    hostile_practices,
    hostile_sounds,
    needs_companion,
    needs_setpriv,
)


# -- listing a folder ---------------------------------------------------------------------------
def test_listing_names_every_odd_entry_once_and_opens_none(tmp_path: Path) -> None:
    folder = tmp_path / "practices"
    hostile_practices(folder)
    found = listing(folder, (".toml",))
    assert [f.name for f in found.files] == ["mine.toml"]
    reasons = {s.name: s.reason for s in found.skipped}
    assert set(reasons) == {
        "loop1.toml", "loop2.toml", "gone.toml", "zero.toml", "fifo.toml", "folder.toml",
        "caf\\xe9.toml",
    }  # fmt: skip
    assert "leads back to itself (a loop)" in reasons["loop1.toml"]
    assert "'nowhere.toml', which is not there" in reasons["gone.toml"]
    assert reasons["zero.toml"].startswith("is a device (through a symbolic link)")
    assert reasons["fifo.toml"].startswith("is a pipe (FIFO)")
    assert "it is never opened" in reasons["fifo.toml"]
    assert reasons["folder.toml"].startswith("is a folder")
    assert reasons["caf\\xe9.toml"] == (
        "its name is not UTF-8 text; rename it (for example to 'caf_.toml')"
    )
    assert found.problem is None


def test_a_missing_folder_is_empty_and_a_file_in_its_place_is_said(tmp_path: Path) -> None:
    assert listing(tmp_path / "none", (".toml",)).files == []
    (tmp_path / "file").write_text("x")
    assert listing(tmp_path / "file", (".toml",)).problem == (
        "is not a folder; move it aside so a folder can be made there"
    )


def test_user_files_is_pure() -> None:
    code = (
        "import sys, companion.user_files; "
        "print(','.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'pygame')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# -- the library and the commands that list -----------------------------------------------------
def test_the_library_lists_each_odd_entry_as_broken_and_keeps_the_rest(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path / "home")
    hostile_practices(paths.practices_dir)
    library = Library.load(paths)
    assert library.get("mine").ok
    assert library.get("box-breathing").ok  # every bundled practice is still there
    broken = {e.id for e in library.sorted() if not e.ok}
    assert broken == {"loop1", "loop2", "gone", "zero", "fifo", "folder", "caf\\xe9"}
    assert library.get("caf\\xe9").problems[0].message.startswith("its name is not UTF-8")


def test_a_course_that_is_a_pipe_or_a_loop_is_listed_broken_beside_the_bundled_one(
    tmp_path: Path,
) -> None:
    paths = Paths.under(tmp_path / "home")
    paths.courses_dir.mkdir(parents=True)
    os.mkfifo(paths.courses_dir / "piped.toml")
    (paths.courses_dir / "round.toml").symlink_to("round.toml")
    library = Library.load(paths)
    courses = {c.id: c for c in library.sorted_courses()}
    assert courses["self-compassion-10"].ok
    assert courses["piped"].problems[0].message.startswith("is a pipe (FIFO)")
    assert "(a loop)" in courses["round"].problems[0].message


@needs_companion
def test_list_show_run_and_validate_in_a_hostile_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    hostile_practices(home / "practices")
    done = companion(home, "list")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("mine ") and "Mine" in line for line in lines)
    assert any(line.startswith("box-breathing ") for line in lines)
    for name in ("loop1", "loop2", "gone", "zero", "fifo", "folder", "caf\\xe9"):
        row = [line for line in lines if line.startswith(f"{name} ")]
        assert len(row) == 1 and "(broken: see below)" in row[0]
        said = [line for line in lines if f"/{name}.toml: " in line]
        assert len(said) == 1, said  # one clear line each
    assert "7 practice file(s) could not be read" in done.stdout

    as_json = companion(home, "list", "--json")
    assert as_json.returncode == 0
    import json

    rows = {row["id"]: row for row in json.loads(as_json.stdout)}
    assert rows["caf\\xe9"]["path"].endswith("caf\\xe9.toml")
    assert rows["fifo"]["errors"] and rows["mine"]["title"] == "Mine"

    shown = companion(home, "show", "loop1")
    assert shown.returncode == 1 and "Traceback" not in shown.stderr
    assert "leads back to itself (a loop)" in shown.stderr + shown.stdout
    ran = companion(home, "run", "fifo", "--plain", "--no-sound")
    assert ran.returncode == 1 and "is a pipe (FIFO)" in ran.stderr + ran.stdout
    checked = companion(home, "validate", str(home / "practices" / "loop1.toml"))
    assert checked.returncode == 1
    assert checked.stdout.strip().endswith("is a symbolic link that leads back to itself (a loop); "
                                           "remove it or point it at a file")  # fmt: skip
    odd = os.fsencode(home / "practices" / f"{CAFE}.toml")
    by_name = subprocess.run(
        [COMPANION or "", "validate", odd], capture_output=True, timeout=60,
        env={**os.environ, "COMPANION_HOME": str(home), "LANG": "C.UTF-8"},
    )  # fmt: skip
    assert by_name.returncode == 0  # asked for by name, its contents are checked
    assert by_name.stdout.decode("utf-8").strip().endswith("caf\\xe9.toml: ok")


@needs_companion
def test_a_pipe_loop_or_device_named_by_path_says_what_it_is(tmp_path: Path) -> None:
    home = tmp_path / "home"
    hostile_practices(home / "practices")
    for name, why in (
        ("fifo", "is a pipe (FIFO), not a saved file; it is never opened"),
        ("loop1", "is a symbolic link that leads back to itself (a loop)"),
        ("zero", "is a device (through a symbolic link)"),
        ("gone", "is a symbolic link to 'nowhere.toml', which is not there"),
    ):
        file = str(home / "practices" / f"{name}.toml")
        for args in (("show", file), ("run", file, "--plain", "--no-sound")):
            done = companion(home, *args)
            assert done.returncode == 1 and "Traceback" not in done.stderr
            said = done.stderr.strip().splitlines()
            assert len(said) == 1 and said[0].startswith(f"{file}: {why}")  # one line, at once


@needs_companion
def test_sounds_lists_every_odd_sound_with_its_reason(tmp_path: Path) -> None:
    home = tmp_path / "home"
    hostile_sounds(home / "sounds")
    done = companion(home, "sounds")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    out = done.stdout
    assert "chime " in out and "bowl " in out
    assert "cannot be played: is 300 MiB; sounds may be at most 32 MiB" in out
    assert "cannot be played: is cut short: it should last 6.0s but holds at most 0.0s" in out
    assert out.count("is not a WAV file pygame can play (it does not begin like one)") == 1
    assert "cannot be played: is not an Ogg file" in out
    for name, why in (
        ("pipe.wav", "is a pipe (FIFO)"),
        ("a.wav", "(a loop)"),
        ("b.wav", "(a loop)"),
        ("zero.wav", "is a device"),
        ("caf\\xe9.wav", "its name is not UTF-8 text"),
    ):
        said = [line for line in out.splitlines() if f"/{name}: " in line]
        assert len(said) == 1 and why in said[0], (name, said)
    assert "junk" not in out
    played = companion(home, "sounds", "play", "pipe")
    assert played.returncode == 1 and "is a pipe (FIFO)" in played.stderr
    played = companion(home, "sounds", "play", "huge")
    assert played.returncode == 1 and "is 300 MiB" in played.stderr


# -- files root cannot read (see NO_OVERRIDE) --------------------------------------------
@needs_companion
@needs_setpriv
def test_an_unreadable_practice_and_sound_are_named_and_the_rest_works(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "practices").mkdir(parents=True)
    (home / "practices" / "mine.toml").write_text(GOOD.format(title="Mine"))
    locked = home / "practices" / "locked.toml"
    locked.write_text(GOOD.format(title="Locked"))
    locked.chmod(0)
    (home / "sounds").mkdir()
    write_wav(home / "sounds" / "shut.wav")
    (home / "sounds" / "shut.wav").chmod(0)
    done = companion(home, "list", prefix=NO_OVERRIDE)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert f"{locked}: cannot be read (Permission denied)" in done.stdout
    assert any(line.startswith("mine ") for line in done.stdout.splitlines())
    sounds = companion(home, "sounds", prefix=NO_OVERRIDE)
    assert "cannot be played: cannot be read (Permission denied)" in sounds.stdout


@needs_companion
@needs_setpriv
def test_an_unreadable_practices_folder_is_said_once_and_the_bundled_ones_stay(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    (home / "practices").mkdir(parents=True)
    (home / "practices" / "mine.toml").write_text(GOOD.format(title="Mine"))
    (home / "practices").chmod(0)
    try:
        done = companion(home, "list", prefix=NO_OVERRIDE)
    finally:
        (home / "practices").chmod(0o755)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"{home / 'practices'}: cannot be read (Permission denied); what it holds is left out"
    )
    assert any(line.startswith("box-breathing ") for line in done.stdout.splitlines())


# -- thousands of files -------------------------------------------------------------------------
def test_five_thousand_practices_and_two_thousand_other_files(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path / "home")
    folder = paths.practices_dir
    folder.mkdir(parents=True)
    for i in range(5000):
        (folder / f"p{i:04d}.toml").write_text(GOOD.format(title=f"Practice {i}"))
    for i in range(2000):
        (folder / f"junk{i}.txt").write_text("junk")
    library = Library.load(paths)
    mine = [e for e in library.sorted() if e.source == "user"]
    assert len(mine) == 5000 and all(e.ok for e in mine)
    watcher = PracticeWatcher(folder)
    assert watcher.poll() == []  # nothing changed: nothing reloaded
    (folder / "p0042.toml").write_text(GOOD.format(title="Changed"))
    os.utime(folder / "p0042.toml", ns=(1, 1))  # settled long ago
    changes = watcher.poll()
    assert [(c.kind, c.id) for c in changes] == [("reloaded", "p0042")]


# -- a file rewritten while watched -------------------------------------------------------------
class Wall:
    """A wall clock for the watcher: how long ago a file was written is what it asks."""

    def __init__(self, ns: int) -> None:
        self.ns = ns

    def __call__(self) -> int:
        return self.ns


def test_a_file_saved_again_with_the_same_practice_says_nothing(tmp_path: Path) -> None:
    file = tmp_path / "churn.toml"
    file.write_text(GOOD.format(title="Same"))
    os.utime(file, ns=(10**9, 10**9))
    known = {"churn": load_practice(file, source="user")}
    watcher = PracticeWatcher(tmp_path, known=known)
    for n in range(2, 6):  # rewritten, same text: a new mtime every time
        file.write_text(GOOD.format(title="Same"))
        os.utime(file, ns=(n * 10**9, n * 10**9))
        assert watcher.poll() == []  # nothing to redraw, nothing to say


def test_a_half_written_file_is_held_back_then_the_new_version_loads(tmp_path: Path) -> None:
    file = tmp_path / "churn.toml"
    file.write_text(GOOD.format(title="One"))
    os.utime(file, ns=(10**9, 10**9))
    wall = Wall(100 * 10**9)
    watcher = PracticeWatcher(tmp_path, wall_ns=wall)
    file.write_text('title = "Tw')  # caught half-way through a save
    os.utime(file, ns=(wall.ns - 10**8, wall.ns - 10**8))  # 0.1 s ago
    assert watcher.poll() == []  # not said, and the last good version is not replaced
    file.write_text(GOOD.format(title="Two"))
    os.utime(file, ns=(wall.ns, wall.ns))
    wall.ns += 2 * 10**9
    changes = watcher.poll()
    assert [(c.kind, c.practice.title if c.practice else None) for c in changes] == [
        ("reloaded", "Two")
    ]


def test_a_file_that_keeps_failing_while_it_churns_is_said_after_a_few_polls(
    tmp_path: Path,
) -> None:
    file = tmp_path / "churn.toml"
    file.write_text(GOOD.format(title="One"))
    os.utime(file, ns=(10**9, 10**9))
    wall = Wall(100 * 10**9)
    watcher = PracticeWatcher(tmp_path, wall_ns=wall)
    said = []
    for poll in range(HOLD_POLLS + 1):
        file.write_text(f'title = "broken {poll}')  # never closed, rewritten every time
        os.utime(file, ns=(wall.ns - 10**8, wall.ns - 10**8))
        said += watcher.poll()
        wall.ns += 2 * 10**9
    assert [c.kind for c in said] == ["invalid"]  # once, after HOLD_POLLS polls held back
    assert said[0].practice is None or said[0].practice.title == "One"


def test_the_same_mistake_saved_again_is_said_once(tmp_path: Path) -> None:
    file = tmp_path / "x.toml"
    file.write_text(GOOD.format(title="X"))
    os.utime(file, ns=(10**9, 10**9))
    watcher = PracticeWatcher(tmp_path, wall_ns=Wall(10**12))
    said = []
    for n in range(2, 6):
        file.write_text("title = 5\n")
        os.utime(file, ns=(n * 10**9, n * 10**9))
        said += watcher.poll()
    assert [c.kind for c in said] == ["invalid"]


def test_a_pipe_or_loop_appearing_while_watched_is_said_once_and_never_opened(
    tmp_path: Path,
) -> None:
    watcher = PracticeWatcher(tmp_path)
    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / "loop.toml").symlink_to("loop.toml")
    (tmp_path / f"{CAFE}.toml").write_text(GOOD.format(title="Cafe"))
    changes = watcher.poll()
    assert sorted((c.kind, c.id) for c in changes) == [
        ("invalid", "caf\\xe9"), ("invalid", "fifo"), ("invalid", "loop"),
    ]  # fmt: skip
    assert watcher.poll() == []
    (tmp_path / "fifo.toml").unlink()
    assert [(c.kind, c.id) for c in watcher.poll()] == [("removed", "fifo")]


# -- sounds in the mixer ------------------------------------------------------------------------
def test_sound_files_are_refused_before_decoding(tmp_path: Path) -> None:
    folder = tmp_path / "sounds"
    hostile_sounds(folder)
    assert sound_problem(folder / "chime.wav") is None
    assert (folder / "huge.wav").stat().st_size > MAX_SOUND_BYTES
    assert str(sound_problem(folder / "huge.wav")).startswith("is 300 MiB;")
    assert str(sound_problem(folder / "cut.wav")).startswith("is cut short")
    assert str(sound_problem(folder / "pipe.wav")).startswith("is a pipe (FIFO)")
    assert str(sound_problem(folder / "gone.wav")) == "is no longer there"
    paths = Paths.under(tmp_path)
    found, skipped = sound_listing(paths)
    assert {"chime", "cut", "huge", "text", "words", "bowl"} <= set(found)
    assert {s.name for s in skipped} == {"pipe.wav", "a.wav", "b.wav", "zero.wav", "caf\\xe9.wav"}


@pytest.fixture
def mixer(tmp_path: Path) -> MixerPlayer:
    paths = Paths.under(tmp_path / "home")
    hostile_sounds(paths.sounds_dir)
    player = MixerPlayer(paths, background=False, probe=False)
    if not player.available:
        pytest.skip("the SDL dummy audio driver could not be opened")
    return player


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("huge", "huge.wav is 300 MiB; sounds may be at most 32 MiB"),
        ("cut", "cut.wav is cut short"),
        ("text", "text.wav is not a WAV file pygame can play"),
    ],
)
def test_the_mixer_plays_the_bowl_instead_and_says_why(
    mixer: MixerPlayer, name: str, why: str
) -> None:
    try:
        mixer.play(name, "start")
        assert mixer.busy()  # the bowl rings in its place
        assert mixer.notice is not None
        assert mixer.notice.startswith(f"Sound {name!r} could not be played (")
        assert why in mixer.notice and mixer.notice.endswith("using the bowl instead.")
    finally:
        mixer.close()


def test_a_sound_deleted_mid_practice_falls_back_to_the_bowl(mixer: MixerPlayer) -> None:
    try:
        mixer.play("bowl", "start")
        (mixer.paths.sounds_dir / "chime.wav").unlink()  # deleted before its first strike
        mixer.stop_all()
        mixer.play("chime", "interval")
        assert mixer.busy()
        assert mixer.notice is not None and "chime.wav is no longer there" in mixer.notice
    finally:
        mixer.close()


def test_the_users_own_bowl_cut_short_falls_back_to_the_bundled_bowl(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path / "home")
    paths.sounds_dir.mkdir(parents=True)
    whole = (ROOT / "sounds" / "bowl.wav").read_bytes()
    (paths.sounds_dir / "bowl.wav").write_bytes(whole[: len(whole) // 3])
    player = MixerPlayer(paths, background=False, probe=False)
    if not player.available:
        pytest.skip("the SDL dummy audio driver could not be opened")
    try:
        player.play("bowl", "end")
        assert player.busy()
        assert player.length("bowl") == pytest.approx(12.0)  # the bundled bowl, whole
    finally:
        player.close()


@needs_companion
def test_edit_never_hands_a_pipe_or_device_to_the_editor(tmp_path: Path) -> None:
    home = tmp_path / "home"
    hostile_practices(home / "practices")
    opened = tmp_path / "opened"
    editor = tmp_path / "editor"
    editor.write_text(f'#!/bin/sh\necho "$@" >> {opened}\n')
    editor.chmod(0o755)
    for name, why in (("fifo", "is a pipe (FIFO)"), ("zero", "is a device"), ("loop1", "(a loop)")):
        done = subprocess.run(
            [COMPANION or "", "edit", name], capture_output=True, text=True, timeout=60,
            env={**os.environ, "COMPANION_HOME": str(home), "EDITOR": str(editor)},
        )  # fmt: skip
        assert done.returncode == 1 and why in done.stderr and "Traceback" not in done.stderr
    assert not opened.exists()  # the editor was never started


def test_a_300mb_soundscape_is_refused_undecoded_with_a_notice(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path / "home")
    (paths.sounds_dir / "soundscapes").mkdir(parents=True)
    big_wav(paths.sounds_dir / "soundscapes" / "huge.wav", 300)
    player = MixerPlayer(paths, background=False, probe=False)
    if not player.available:
        pytest.skip("the SDL dummy audio driver could not be opened")
    try:
        player.start_background("huge", 0.3)
        pace = threading.Event()  # never set: polls (bounded) until the level thread has tried
        for _ in range(500):
            if player.notice:
                break
            pace.wait(0.01)
        assert player.notice == "The soundscape 'huge' could not be played."
    finally:
        player.close()
