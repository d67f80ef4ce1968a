"""SVG snapshots of each segment kind, the summary and the home screen at fixed fake-clock times."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.paths import Paths
from companion.ui.app import CompanionApp, make_app
from companion.ui.screens.practice import PracticeScreen
from tests.support import STARTS, RecordingJournal, RecordingPlayer, every_kind, write_practice

SIZE = (110, 34)


def practice_app(
    paths: Paths, tmp_path: Path, config: Config | None = None
) -> tuple[CompanionApp, FakeClock]:
    clock = FakeClock()
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=clock,
        player=RecordingPlayer(),
        journal=RecordingJournal(),
        config=config or Config(),
    )
    return app, clock


def go_to(app: CompanionApp, clock: FakeClock, t: float, keys: tuple[str, ...] = ()) -> Any:
    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.sitting.started
        clock.set((screen.sitting.session.origin or 0.0) + t)
        screen.tick()
        if keys:
            await pilot.press(*keys)
        # Freeze: the real timer may fire during capture, but the fake clock stands still.
        await pilot.pause()

    return run_before


@pytest.mark.parametrize(
    ("kind", "offset"),
    [
        ("settle", 3.0),
        ("breath", 2.0),  # in-breath, half way
        ("body_scan", 14.0),
        ("phrases", 5.0),
        ("noting", 4.0),
        ("silence", 6.5),
    ],
)
def test_practice_segment(
    snap_compare: Any, paths: Paths, tmp_path: Path, kind: str, offset: float
) -> None:
    app, clock = practice_app(paths, tmp_path)
    keys = ("t", "f", "t") if kind in ("noting", "body_scan") else ()
    assert snap_compare(
        app, terminal_size=SIZE, run_before=go_to(app, clock, STARTS[kind] + offset, keys)
    )


def test_practice_narrow(snap_compare: Any, paths: Paths, tmp_path: Path) -> None:
    app, clock = practice_app(paths, tmp_path)
    assert snap_compare(
        app, terminal_size=(70, 30), run_before=go_to(app, clock, STARTS["breath"] + 6)
    )


@pytest.mark.parametrize(
    "size", [(120, 40), (100, 30), (80, 24)], ids=["120x40", "100x30", "80x24"]
)
def test_breath_at_sizes(
    snap_compare: Any, paths: Paths, tmp_path: Path, size: tuple[int, int]
) -> None:
    # The orb, its words and the cue read as one block, centred, at each size.
    app, clock = practice_app(paths, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=go_to(app, clock, STARTS["breath"] + 9))


def test_breath_reduce_motion(snap_compare: Any, paths: Paths, tmp_path: Path) -> None:
    app, clock = practice_app(paths, tmp_path, Config(reduce_motion=True))
    assert snap_compare(app, terminal_size=SIZE, run_before=go_to(app, clock, STARTS["breath"] + 2))


def test_breath_guide_hidden(snap_compare: Any, paths: Paths, tmp_path: Path) -> None:
    app, clock = practice_app(paths, tmp_path, Config(hide_breath_guide=True))
    assert snap_compare(app, terminal_size=SIZE, run_before=go_to(app, clock, STARTS["breath"] + 2))


@pytest.mark.parametrize(
    "size", [(120, 40), (100, 30), (80, 24)], ids=["120x40", "100x30", "80x24"]
)
def test_summary(snap_compare: Any, paths: Paths, tmp_path: Path, size: tuple[int, int]) -> None:
    app, clock = practice_app(paths, tmp_path)
    keys = ("t", "t", "f", "escape")
    assert snap_compare(
        app, terminal_size=size, run_before=go_to(app, clock, STARTS["body_scan"] + 9, keys)
    )


def test_home(snap_compare: Any, tmp_path: Path) -> None:
    # Only our own practice files, so the picture does not change as the library grows.
    home = tmp_path / "home"
    paths = Paths(home, home, tmp_path / "no-bundled", tmp_path / "no-sounds")
    write_practice(paths.practices_dir, "every-kind")
    write_practice(
        paths.practices_dir,
        "short-calm",
        'title = "Short calm"\ntags = ["body"]\n[bells]\nstart = "none"\nend = "none"\n'
        '[[segment]]\nkind = "silence"\nduration = "3m"\n',
    )
    write_practice(paths.practices_dir, "broken-one", 'title = "Oops"\n[[segment]]\nkind = "nap"\n')
    app = make_app(
        paths=paths,
        clock=FakeClock(),
        player=RecordingPlayer(),
        journal=RecordingJournal(),
        config=Config(),
    )
    assert snap_compare(app, terminal_size=SIZE)


def checkin_app(paths: Paths, tmp_path: Path) -> tuple[CompanionApp, FakeClock]:
    return practice_app(paths, tmp_path, Config(check_in=True))


def test_checkin_before(snap_compare: Any, paths: Paths, tmp_path: Path) -> None:
    # "How are you arriving?" before the practice opens, the highlight moved once.
    app, _ = checkin_app(paths, tmp_path)
    assert snap_compare(app, terminal_size=(100, 30), press=["right"])


def test_checkin_after_over_the_practice(snap_compare: Any, paths: Paths, tmp_path: Path) -> None:
    app, clock = checkin_app(paths, tmp_path)

    async def run_before(pilot: Any) -> None:
        await pilot.press("escape")  # skip the first question
        await go_to(app, clock, STARTS["breath"] + 2)(pilot)
        await pilot.press("escape")  # end: "How are you now?"
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_summary_with_checkin(snap_compare: Any, paths: Paths, tmp_path: Path) -> None:
    app, clock = checkin_app(paths, tmp_path)

    async def run_before(pilot: Any) -> None:
        await pilot.press("1")  # arrived heavy
        await go_to(app, clock, STARTS["noting"] + 4, ("t", "f", "escape"))(pilot)
        await pilot.press("4")  # now steady
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
