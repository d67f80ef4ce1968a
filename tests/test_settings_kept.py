"""The user's config.toml stays theirs: practices never touch it, a changed setting changes
only its own line, and what the app remembers for itself lives in state.json."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from app_support import TOTAL, RecordingJournal, RecordingPlayer, every_kind

from companion.config import Config, ConfigError, load_config, save_config
from companion.engine.clock import FakeClock
from companion.paths import Paths
from companion.state import State, load_state, save_state
from companion.ui.app import CompanionApp, make_app
from companion.ui.screens.practice import PracticeScreen
from companion.ui.screens.summary import SummaryScreen

# Comments, odd spacing, a CRLF-free but untidy order, a table the app does not know, and a
# legacy key an older version wrote: all of it must survive byte for byte.
HAND_WRITTEN = (
    "# my settings\n"
    "\n"
    "[keys]\n"
    "pause   =   'p'     # the p key, always\n"
    "\n"
    "\n"
    "[settings]\n"
    'theme = "companion"\n'
    "volume = 0.5  # quieter at night\n"
    'last_practice = "box-breathing"   # written by an older companion\n'
    "muted=false\n"
    "\n"
    "# end of file, kept\n"
)


def _write(paths: Paths, text: str) -> None:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_bytes(text.encode("utf-8"))


async def _practise(paths: Paths, tmp_path: Path, press: tuple[str, ...] = ()) -> CompanionApp:
    """One whole practice through the app, on the fake clock, to its summary."""
    clock = FakeClock()
    player = RecordingPlayer()
    player.volume = 0.5  # as the real player opens, at the configured volume
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=clock,
        player=player,
        journal=RecordingJournal(),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + 10.0
        while not (isinstance(app.screen, PracticeScreen) and app.screen.sitting.started):
            assert time.monotonic() < deadline, "the practice never began"
            await pilot.pause(0.01)
        screen = app.screen
        if press:
            await pilot.press(*press)
            await pilot.pause(0)
        assert isinstance(screen, PracticeScreen) and screen.sitting.session.origin is not None
        clock.set(screen.sitting.session.origin + TOTAL + 1.0)
        screen.tick()
        while not isinstance(app.screen, SummaryScreen):
            assert time.monotonic() < deadline, "the summary never came"
            await pilot.pause(0.01)
        await pilot.press("q")
    return app


async def test_ten_practices_leave_a_hand_written_config_byte_identical(
    paths: Paths, tmp_path: Path
) -> None:
    _write(paths, HAND_WRITTEN)
    stamp = paths.config_file.stat().st_mtime_ns
    for _ in range(10):
        app = await _practise(paths, tmp_path)
    assert paths.config_file.read_bytes() == HAND_WRITTEN.encode("utf-8")
    assert paths.config_file.stat().st_mtime_ns == stamp
    assert not paths.config_file.with_name("config.toml.bak").exists()
    # What the app remembered went to its own file instead.
    assert app.state.last_practice == "every-kind"
    assert json.loads(paths.state_file.read_text())["last_practice"] == "every-kind"


async def test_a_volume_change_changes_only_the_volume_line(paths: Paths, tmp_path: Path) -> None:
    _write(paths, HAND_WRITTEN)
    await _practise(paths, tmp_path, press=("minus",))
    before = HAND_WRITTEN.splitlines(keepends=True)
    after = paths.config_file.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(after) == len(before)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert changed == [("volume = 0.5  # quieter at night\n", "volume = 0.4  # quieter at night\n")]
    # The old file is kept beside it, as for practices.
    assert paths.config_file.with_name("config.toml.bak").read_text() == HAND_WRITTEN


def test_a_new_setting_is_added_to_its_table_and_nothing_else_moves(paths: Paths) -> None:
    _write(paths, HAND_WRITTEN)
    config, notice = load_config(paths)
    assert notice is None
    save_config(paths, config.with_(reduce_motion=True))
    text = paths.config_file.read_text()
    assert text.startswith(HAND_WRITTEN.split("muted=false\n")[0] + "muted=false\n")
    assert "reduce_motion = true\n" in text and text.endswith("# end of file, kept\n")
    assert text.count("\n") == HAND_WRITTEN.count("\n") + 1


def test_crlf_line_endings_survive_a_change(paths: Paths) -> None:
    _write(paths, "[settings]\r\nvolume = 0.5\r\nmuted = false\r\n")
    config, _ = load_config(paths)
    save_config(paths, config.with_(muted=True))
    assert paths.config_file.read_bytes() == b"[settings]\r\nvolume = 0.5\r\nmuted = true\r\n"


def test_nothing_changed_means_nothing_written(paths: Paths) -> None:
    save_config(paths, Config())
    assert not paths.config_file.exists()  # defaults need no file at all


def test_a_file_broken_since_it_was_read_is_not_written(paths: Paths) -> None:
    _write(paths, "[settings]\nvolume = 0.5\n")
    config, _ = load_config(paths)
    _write(paths, "[settings]\nvolume = \n")  # edited by hand while the app ran
    with pytest.raises(ConfigError):
        save_config(paths, config.with_(volume=0.2))
    assert paths.config_file.read_text() == "[settings]\nvolume = \n"


def test_an_old_configs_last_practice_is_carried_over_without_touching_it(
    paths: Paths,
) -> None:
    _write(paths, HAND_WRITTEN)
    config, notice = load_config(paths)
    assert notice is None and config.last_practice == "box-breathing"
    state = load_state(paths, {"last_practice": config.last_practice})
    assert state.last_practice == "box-breathing"
    assert save_state(paths, state.with_(last_practice="body-scan"))
    # Once state.json exists it wins; the config's old value is only a first guess.
    assert load_state(paths, {"last_practice": "box-breathing"}).last_practice == "body-scan"
    assert paths.config_file.read_text() == HAND_WRITTEN


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{",
        b"[1, 2]",
        b"\xff\xfe",
        b'{"last_practice": 5, "last_length": "long"}',
        b'{"history_weeks": 1e400, "last_length": -3}',
        b"[" * 100_000,
    ],
)
def test_a_damaged_state_file_means_a_fresh_start(paths: Paths, content: bytes) -> None:
    paths.state_file.parent.mkdir(parents=True, exist_ok=True)
    paths.state_file.write_bytes(content)
    assert load_state(paths, {"last_practice": "ignored"}) == State()


def test_state_round_trips(paths: Paths) -> None:
    state = State(last_practice="a", last_length=5.0, last_course="c", history_weeks=26)
    assert save_state(paths, state)
    assert load_state(paths) == state
