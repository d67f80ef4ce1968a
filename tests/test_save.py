"""Saving practices: a faithful round trip, atomic writes and a .bak of what was there."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from companion.engine.rescale import rescale
from companion.practice.load import load_practice, parse_practice
from companion.practice.model import Practice
from companion.practice.save import (
    practice_to_toml_dict,
    toml_text,
    write_practice,
    write_text_atomic,
)

ROOT = Path(__file__).resolve().parent.parent
PRACTICE_FILES = sorted((ROOT / "practices").glob("*.toml"))
SOUNDS = frozenset({"bowl", "bell", "tick", "tingsha", "gong"})


def _same(a: Practice, b: Practice) -> bool:
    return a._replace(path=None, source="") == b._replace(path=None, source="")


@pytest.mark.parametrize("path", PRACTICE_FILES, ids=lambda p: p.stem)
def test_every_bundled_practice_round_trips(path: Path, tmp_path: Path) -> None:
    practice = load_practice(path, sounds=SOUNDS)
    target = tmp_path / path.name
    assert write_practice(target, practice, "a header") is None
    again = load_practice(target, sounds=SOUNDS)
    assert _same(practice, again)
    # The dict itself loads back too, without going through text.
    data = practice_to_toml_dict(practice)
    assert _same(practice, parse_practice(data, path="x", practice_id=practice.id, sounds=SOUNDS))


@pytest.mark.parametrize("path", PRACTICE_FILES[::4], ids=lambda p: p.stem)
def test_rescaled_practices_with_fractional_times_round_trip(path: Path, tmp_path: Path) -> None:
    practice = rescale(load_practice(path, sounds=SOUNDS), 187.3)
    target = tmp_path / "short.toml"
    write_practice(target, practice)
    assert _same(load_practice(target, sounds=SOUNDS, practice_id=practice.id), practice)


def test_saved_text_reads_like_a_hand_written_file() -> None:
    practice = load_practice(ROOT / "practices" / "wind-down.toml", sounds=SOUNDS)
    text = toml_text(practice_to_toml_dict(practice), "#:schema ./x.json\nmine: a copy")
    assert text.startswith("#:schema ./x.json\n# mine: a copy\n\ntitle = ")
    assert "pattern = { in = 4, out = 6 }" in text
    assert 'ramp = { to = { in = 4, out = 8 }, over = "1m" }' in text
    assert "[segment." not in text  # small tables stay inline
    assert 'description = """' in text
    assert tomllib.loads(text)["bells"] == {"start_strikes": 1, "end_strikes": 1}


def test_defaults_are_left_out_and_odd_values_kept(tmp_path: Path) -> None:
    source = tmp_path / "odd.toml"
    source.write_text(
        'title = "Odd \\"quoted\\" title"\n'
        '[bells]\nstart = "none"\ninterval = "90s"\n'
        '[noting]\nkeys = { "!" = "other", t = "thinking" }\n'
        '[[segment]]\nkind = "body_scan"\nduration = 100\n'
        '[[segment]]\nkind = "phrases"\nduration = "open"\nphrases = ["a"]\nevery = 2.5\n'
    )
    practice = load_practice(source, sounds=SOUNDS)
    data = practice_to_toml_dict(practice)
    assert "regions" not in data["segment"][0]  # the default regions stay implicit
    assert data["bells"] == {"start": "none", "interval": "1m30s"}
    assert data["segment"][1]["duration"] == "open"
    target = tmp_path / "out.toml"
    write_practice(target, data)
    assert _same(load_practice(target, sounds=SOUNDS, practice_id="odd"), practice)


def test_saving_over_a_file_keeps_a_bak(tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    target.write_text("old text\n")
    os.chmod(target, 0o640)
    backup = write_text_atomic(target, "new text\n")
    assert backup == tmp_path / "mine.toml.bak"
    assert backup.read_text() == "old text\n"
    assert target.read_text() == "new text\n"
    assert (target.stat().st_mode & 0o777) == 0o640  # the file keeps its permissions
    write_text_atomic(target, "newer\n")
    assert backup.read_text() == "new text\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml", "mine.toml.bak"]


def test_a_failed_save_leaves_the_original_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "mine.toml"
    target.write_text("precious\n")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        write_practice(target, {"title": "x", "segment": [{"kind": "silence", "duration": 5}]})
    assert target.read_text() == "precious\n"
    # Only the original and its backup remain: no temporary file is left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml", "mine.toml.bak"]


def test_a_failure_while_writing_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "new.toml"

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_text_atomic(target, "text\n")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "p.toml"
    assert write_text_atomic(target, "x = 1\n") is None
    assert target.read_text() == "x = 1\n"
