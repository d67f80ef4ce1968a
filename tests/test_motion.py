"""TEXTUAL_ANIMATIONS=none or basic stills the breath guide, as --reduce-motion does."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import textual.constants
from app_support import STARTS, RecordingJournal, RecordingPlayer, every_kind, screen_text
from terminal_support import COMPANION, HAVE_TMUX, Terminal, write_still_box

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.paths import Paths
from companion.ui.app import CompanionApp, make_app
from companion.ui.screens.practice import PracticeScreen
from companion.ui.widgets.breath_guide import BreathGuide


@pytest.fixture
def animations(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set TEXTUAL_ANIMATIONS (via the returned setter) as if before companion started.

    Textual reads the variable once, when textual.constants is imported; reloading that
    module after setting it is what a fresh process would see.
    """

    def set_level(level: str) -> None:
        monkeypatch.setenv("TEXTUAL_ANIMATIONS", level)
        importlib.reload(textual.constants)

    yield set_level
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    importlib.reload(textual.constants)


def build(paths: Paths, tmp_path: Path) -> tuple[CompanionApp, FakeClock]:
    clock = FakeClock()
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=clock,
        player=RecordingPlayer(),
        journal=RecordingJournal(),
        config=Config(),
    )
    return app, clock


async def at(app: CompanionApp, clock: FakeClock, pilot: object, t: float) -> PracticeScreen:
    """Move the fake clock to practice time t and draw."""
    screen = app.screen
    assert isinstance(screen, PracticeScreen) and screen.sitting.started
    clock.set(max(clock.now(), (screen.sitting.session.origin or 0.0) + t))
    screen.tick()
    await pilot.pause()  # type: ignore[attr-defined]
    return screen


@pytest.mark.parametrize("level", ["none", "basic"])
async def test_textual_animations_gives_the_still_guide(
    paths: Paths, tmp_path: Path, animations: Callable[[str], None], level: str
) -> None:
    animations(level)
    app, clock = build(paths, tmp_path)  # no --reduce-motion, no setting
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, STARTS["breath"] + 0.5)
        assert app.reduce_motion
        guide = screen.query_one("#breath", BreathGuide)
        assert guide.reduce_motion
        for selector in ("#figure", "#phrase", "#noting"):
            assert screen.query_one(selector).reduce_motion, selector  # type: ignore[attr-defined]
        first, bar = guide.radius, "\n".join(guide.text_lines).count("━")
        await at(app, clock, pilot, STARTS["breath"] + 3.5)
        assert guide.radius == first  # the outline stays still through the in-breath
        assert "\n".join(guide.text_lines).count("━") > bar  # and the bar fills instead
        assert "Breathe in" in screen_text(app)


async def test_full_animations_keep_the_moving_guide(
    paths: Paths, tmp_path: Path, animations: Callable[[str], None]
) -> None:
    animations("full")
    app, clock = build(paths, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await at(app, clock, pilot, STARTS["breath"] + 0.5)
        assert not app.reduce_motion
        guide = screen.query_one("#breath", BreathGuide)
        first = guide.radius
        await at(app, clock, pilot, STARTS["breath"] + 3.5)
        assert guide.radius > first  # the shape grows with the in-breath


# -- in a real terminal ------------------------------------------------------------------


def braille(screen: str) -> str:
    """The figure: every braille cell left of the noting panel, row by row."""
    rows = (line.split("▏")[0] for line in screen.splitlines())
    return "\n".join("".join(c for c in row if "\u2800" <= c <= "\u28ff") for row in rows)


def bar_cells(screen: str) -> int | None:
    """Filled cells of the reduce-motion bar under the figure (None when there is no bar)."""
    for line in screen.splitlines()[2:]:  # below the heading and the progress line
        row = line.split("▏")[0].strip()
        if len(row) >= 10 and set(row) <= {"━", "─"}:
            return row.count("━")
    return None


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_TMUX or COMPANION is None, reason="needs tmux and companion")
@pytest.mark.parametrize("level", ["none", "full"])
def test_the_installed_command_stills_the_guide(tmp_path: Path, level: str) -> None:
    write_still_box(tmp_path / "home")
    term = Terminal(
        tmp_path,
        f"{COMPANION} run still-box --no-sound; echo EXIT=$?; sleep 30",
        env={"TEXTUAL_ANIMATIONS": level},
    )
    try:
        # Early in an in-breath, so a second later it is still the in-breath (or just held).
        term.wait_for("4 · breath", "3 · breath", timeout=20)
        first = term.wait_for("Breathe in")
        time.sleep(1.0)  # a moment of real time between two looks at a real terminal
        second = term.screen()
        assert braille(first).strip() and braille(second).strip()
        if level == "none":
            assert braille(first) == braille(second)  # a still outline
            before, after = bar_cells(first), bar_cells(second)
            assert before is not None and after is not None and before < after  # it fills
        else:
            assert braille(first) != braille(second)  # the orb grows
            assert bar_cells(first) is None and bar_cells(second) is None
    finally:
        term.close()
