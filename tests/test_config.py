"""Settings in config.toml: defaults, round trips, and broken files left alone."""

from __future__ import annotations

import subprocess
import sys

import pytest

from companion.config import Config, ConfigError, load_config, save_config
from companion.paths import Paths


def test_missing_file_gives_defaults(paths: Paths) -> None:
    config, notice = load_config(paths)
    assert config == Config()
    assert notice is None
    assert not config.check_in and not config.show_streak


def test_save_then_load_round_trips(paths: Paths) -> None:
    config = Config(volume=0.5, muted=True, theme="nord", keys={"pause": "p"})
    save_config(paths, config)
    loaded, notice = load_config(paths)
    assert notice is None
    assert loaded == config
    leftovers = [p.name for p in paths.config_file.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # the temporary file was renamed into place


def test_save_keeps_other_tables(paths: Paths) -> None:
    paths.config_file.parent.mkdir(parents=True)
    paths.config_file.write_text('[journal]\nnote = "kept"\n')
    save_config(paths, Config(volume=0.3))
    text = paths.config_file.read_text()
    assert 'note = "kept"' in text and "volume = 0.3" in text


def test_syntax_error_names_the_line_and_leaves_the_file(paths: Paths) -> None:
    paths.config_file.parent.mkdir(parents=True)
    broken = "[settings]\nvolume = 0.5\nmuted = \n"
    paths.config_file.write_text(broken)
    config, notice = load_config(paths)
    assert config.volume == Config().volume
    assert notice is not None and f"{paths.config_file}:3" in notice
    assert "fix the file" in notice
    with pytest.raises(ConfigError):
        save_config(paths, config.with_(volume=0.1))
    assert paths.config_file.read_text() == broken


def test_wrong_types_fall_back_one_by_one(paths: Paths) -> None:
    paths.config_file.parent.mkdir(parents=True)
    paths.config_file.write_text(
        '[settings]\nvolume = 0.4\nmuted = "yes"\nloudness = 3\n\n[keys]\npause = 5\nmute = "x"\n'
    )
    config, notice = load_config(paths)
    assert config.volume == 0.4
    assert config.muted is False
    assert config.keys == {"mute": "x"}
    assert notice is not None
    assert ":3" in notice and "true or false" in notice
    assert "loudness" in notice and ":7" in notice
    assert config.from_broken_file


def test_volume_out_of_range(paths: Paths) -> None:
    paths.config_file.parent.mkdir(parents=True)
    paths.config_file.write_text("[settings]\nvolume = 7\n")
    config, notice = load_config(paths)
    assert config.volume == 0.8
    assert notice is not None and "between 0.0 and 1.0" in notice


def test_config_does_not_import_textual() -> None:
    code = "import sys, companion.config; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_binding_table_ids_are_consistent() -> None:
    from companion.ui.bindings import BINDINGS

    by_id: dict[str, set[str]] = {}
    for spec in BINDINGS:
        by_id.setdefault(spec.id, set()).add(spec.key)
    # A shared id (help, quit, close) means one remap changes it everywhere, so keys agree.
    assert all(len(keys) == 1 for keys in by_id.values())
