"""The eyes-closed settings in config.toml: voice, background, background_volume, eyes_closed."""

from __future__ import annotations

import pytest

from companion.config import Config, load_config
from companion.paths import Paths


def _load(paths: Paths, settings: str) -> tuple[Config, str | None]:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(f"[settings]\n{settings}\n")
    return load_config(paths)


def test_the_defaults_are_quiet(paths: Paths) -> None:
    config, _ = load_config(paths)
    assert config.voice == "off"
    assert config.background == ""
    assert config.background_volume == 0.3
    assert config.eyes_closed is False


def test_good_values_are_read(paths: Paths) -> None:
    config, notice = _load(
        paths,
        'voice = ["piper", "--model", "en.onnx", "--output_file", "{wav}"]\n'
        'background = "rain"\nbackground_volume = 0.25\neyes_closed = true',
    )
    assert notice is None
    assert config.voice == ("piper", "--model", "en.onnx", "--output_file", "{wav}")
    assert config.background == "rain" and config.background_volume == 0.25
    assert config.eyes_closed is True


@pytest.mark.parametrize(
    ("line", "expected"),
    [('voice = "System"', "system"), ('voice = "off"', "off"), ('background = "off"', "")],
)
def test_words_are_read_kindly(paths: Paths, line: str, expected: str) -> None:
    config, notice = _load(paths, line)
    assert notice is None
    key = line.split(" ")[0]
    assert getattr(config, key) == expected


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('voice = "loud"', 'voice must be "off", "system" or a command list'),
        ("voice = []", "voice must be a list of words"),
        ('voice = ["say", 3]', "voice must be a list of words"),
        ('voice = ["my-tts", "{text}"]', "must say where to write the sound with {wav}"),
        ("background_volume = 1.5", "background_volume must be between 0.0 and 1.0"),
        ('background_volume = "soft"', "background_volume must be a number"),
        ("background = 3", "background must be text in quotes"),
        ('eyes_closed = "yes"', "eyes_closed must be true or false"),
    ],
)
def test_bad_values_name_the_file_and_line_and_fall_back(
    paths: Paths, line: str, says: str
) -> None:
    config, notice = _load(paths, f"volume = 0.5\n{line}")
    assert notice is not None
    assert f"{paths.config_file}:3: " in notice and says in notice
    assert config.volume == 0.5  # the good settings are kept
    key = line.split(" ")[0]
    assert getattr(config, key) == getattr(Config(), key)
