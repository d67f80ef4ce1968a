"""A broken config.toml under the running app: defaults (or the readable settings) are used, a
notice names the file and the line, settings changed in the app live for the session only, and
the file is byte-identical afterwards. test_settings.py covers a bare word in the settings table and
the settings screen; these add the other ways a file goes wrong."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.paths import Paths
from companion.ui.screens.practice import PracticeScreen
from companion.ui.screens.summary import SummaryScreen
from tests.support import (
    TOTAL,
    AppBuilder,
    RecordingPlayer,
    every_kind,
    record_notices,
)

# (file bytes, settings expected in the app, words the notice must hold besides the file name)
CASES: dict[str, tuple[bytes, dict[str, Any], tuple[str, ...]]] = {
    "syntax-error": (
        b'[settings]\nvolume = 0.4\ntheme = "calm\nmuted = true\n',
        {"volume": 0.8, "theme": "companion", "muted": False},
        (":3", "default settings"),
    ),
    "wrong-types": (
        b'[settings]\nvolume = "loud"\nreduce_motion = 3\ntheme = "companion"\nmuted = true\n',
        {"volume": 0.8, "reduce_motion": False, "muted": True},  # the readable one is kept
        (":2", "volume must be a number", ":3", "reduce_motion must be true or false"),
    ),
    "volume-out-of-range": (
        b"[settings]\nvolume = 7\n",
        {"volume": 0.8},
        (":2", "between 0.0 and 1.0"),
    ),
    "keys-not-a-table": (
        b"keys = 5\n[settings]\nvolume = 0.5\n",
        {"volume": 0.5},
        (":1", "[keys] must be a table"),
    ),
    "settings-not-a-table": (
        b'settings = "loud"\n',
        {"volume": 0.8},
        (":1", "[settings] must be a table"),
    ),
    "not-utf8": (
        b'[settings]\nvolume = 0.5\ntheme = "caf\xe9"\n',
        {"volume": 0.8, "theme": "companion"},
        ("cannot be read", "default settings"),
    ),
    "binary-junk": (
        bytes(range(256)) * 4,
        {"volume": 0.8},
        ("default settings",),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_a_broken_config_gives_defaults_a_notice_and_is_never_overwritten(
    build_app: AppBuilder, paths: Paths, tmp_path: Path, case: str
) -> None:
    content, expected, words = CASES[case]
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_bytes(content)
    stamp = paths.config_file.stat().st_mtime_ns
    clock = FakeClock()
    app, _ = build_app(every_kind(tmp_path), clock=clock, config_from_file=True)
    told = record_notices(app)
    for name, value in expected.items():
        assert getattr(app.config, name) == value, name
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + 10.0
        while not (isinstance(app.screen, PracticeScreen) and app.screen.sitting.started):
            assert time.monotonic() < deadline, "the practice never began"
            await pilot.pause(0.01)
        screen = app.screen
        # Settings changed in the app: kept for this session, never written over the file.
        await pilot.press("m", "minus", "minus", "b")
        await pilot.pause(0)
        player = app.player
        assert isinstance(player, RecordingPlayer)
        assert app.config.muted is player.muted is True
        assert app.config.volume == player.volume == pytest.approx(0.6)
        assert screen.sitting.started and screen.sitting.session.origin is not None
        clock.set(screen.sitting.session.origin + TOTAL + 1.0)
        screen.tick()
        while not isinstance(app.screen, SummaryScreen):  # the practice ran to its end
            assert time.monotonic() < deadline, "the summary never came"
            await pilot.pause(0.01)
        await pilot.press("q")
    assert paths.config_file.read_bytes() == content
    assert paths.config_file.stat().st_mtime_ns == stamp
    assert [p.name for p in paths.config_file.parent.glob(".config*")] == []  # no temp files
    loaded = [m for m in told if str(paths.config_file) in m and "kept for this session" not in m]
    assert len(loaded) == 1, told  # the problem, said once
    assert all(word in loaded[0] for word in words), loaded[0]
    # The first change says once that it will not be remembered; the later ones say nothing.
    assert sum("kept for this session" in m for m in told) == 1, told


async def test_a_folder_where_the_config_file_should_be(
    build_app: AppBuilder, paths: Paths, tmp_path: Path
) -> None:
    paths.config_file.mkdir(parents=True)
    app, _ = build_app(every_kind(tmp_path), config_from_file=True)
    assert app.config == Config(from_broken_file=True)
    messages = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        await pilot.pause(0)
        assert app.config.muted
        assert any(str(paths.config_file) in m and "cannot be read" in m for m in messages)
    assert paths.config_file.is_dir() and list(paths.config_file.iterdir()) == []
