"""Settings through the app: keys remapped by id, a broken config, volume and mute, the settings screen."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.paths import Paths
from companion.ui.screens.settings import SettingsScreen
from tests.support import (
    AppBuilder,
    RecordingPlayer,
    at,
    every_kind,
    record_notices,
)


async def test_keys_remapped_by_id(build_app: AppBuilder, tmp_path: Path) -> None:
    app, clock = build_app(every_kind(tmp_path), config=Config(keys={"pause": "z"}))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, 12.0)
        assert screen.sitting.started
        await pilot.press("space")
        assert not screen.sitting.session.paused
        await pilot.press("z")
        assert screen.sitting.session.paused


async def test_unknown_binding_id_gives_a_notice(build_app: AppBuilder, tmp_path: Path) -> None:
    app, _clock = build_app(
        every_kind(tmp_path), config=Config(keys={"snooze": "z", "pause": "nope-key"})
    )
    messages = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any("snooze" in m and "nope-key" in m for m in messages)


async def test_broken_config_gives_defaults_and_stays_unchanged(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    broken = "[settings]\nvolume = 0.3\nmuted = maybe\n"
    paths.config_file.write_text(broken)
    clock = FakeClock()
    app, _ = build_app(every_kind(tmp_path), clock=clock, config_from_file=True)
    assert app.config.volume == 0.8  # defaults
    messages = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any(str(paths.config_file) in m and ":3" in m for m in messages)
        await pilot.press("m")  # a setting change is kept in memory only
        await pilot.pause()
        assert app.config.muted
    assert paths.config_file.read_text() == broken


async def test_volume_and_mute_are_remembered(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await at(app, clock, pilot, 2.0)
        await pilot.press("minus", "m")
        await pilot.pause()
        assert isinstance(app.player, RecordingPlayer)
        assert app.player.volume == pytest.approx(0.7)
        assert app.player.muted
    text = paths.config_file.read_text()
    assert "volume = 0.7" in text and "muted = true" in text


async def test_settings_change_is_saved(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    app, _ = build_app(config_from_file=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.click("#reduce_motion")
        await pilot.pause()
        assert app.config.reduce_motion and app.reduce_motion
        assert app.animation_level == "none"
    saved = tomllib.loads(paths.config_file.read_text())
    assert saved["settings"]["reduce_motion"] is True


async def test_settings_with_a_broken_config_are_not_saved_and_the_user_is_told(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    broken = "[settings]\nreduce_motion = sometimes\n"
    paths.config_file.write_text(broken)
    app, _ = build_app(config_from_file=True)
    messages = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        await pilot.click("#hide_breath_guide")
        await pilot.pause()
        assert app.config.hide_breath_guide  # kept for this session
        assert any("kept for this session only" in m for m in messages), messages
    assert paths.config_file.read_text() == broken
