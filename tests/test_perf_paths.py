"""The fast paths behind docs/performance.md give the same results as the slow ones they replace.

- The orb's disc is built from each dot row's span, not by testing every dot: same cells.
- `companion run ID` reads one practice file, not the whole library: same practice, same errors.
- The practice screen wakes for each frame on a plain loop timer that stops with the screen.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.library import Library, UnknownPractice
from companion.paths import Paths
from companion.practice.errors import PracticeError
from companion.ui.app import make_app
from companion.ui.screens.practice import PracticeScreen
from companion.ui.widgets.braille import circle_cells, core_mask, raster
from companion.ui.widgets.breath_guide import RADIUS_STEP, orb_rows
from tests.support import RecordingJournal, RecordingPlayer, every_kind

SIZES = [(120, 30), (86, 29), (41, 13), (7, 3), (2, 1), (1, 1)]


def _disc_by_dots(radius: float, width: int, height: int) -> tuple[str, ...]:
    cx, cy, r2 = width, height * 2, radius * radius
    return raster(lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r2, width, height)


def _core_by_cells(
    radius: float, width: int, height: int, fraction: float
) -> tuple[tuple[bool, ...], ...]:
    cx, cy, limit = width, height * 2, (radius * fraction) ** 2
    return tuple(
        tuple((x * 2 + 1 - cx) ** 2 + (y * 4 + 2 - cy) ** 2 <= limit for x in range(width))
        for y in range(height)
    )


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_disc_from_spans_matches_testing_every_dot(width: int, height: int) -> None:
    # Quarter-dot radii (the orb's), odd ones, and radii past the block's edges.
    radii = [k * RADIUS_STEP for k in range(0, 4 * (width + 4))] + [0.1, 1 / 3, 2.71, 9.99]
    for radius in radii:
        assert circle_cells(radius, width, height) == _disc_by_dots(radius, width, height), radius
        for fraction in (0.6, 0.33, 1.0):
            assert core_mask(radius, width, height, fraction) == _core_by_cells(
                radius, width, height, fraction
            ), (radius, fraction)


def test_orb_rows_cover_the_disc_with_rim_and_core_runs() -> None:
    for radius in (2.0, 7.25, 14.5, 28.0):
        rows = orb_rows(radius, 86, 29)
        cells = circle_cells(radius, 86, 29)
        mask = core_mask(radius, 86, 29, 0.6)
        for row, text, inner in zip(rows, cells, mask, strict=True):
            assert "".join(r[0] for r in row) == text
            at = 0
            for chunk, component, _ in row:
                want = {
                    "breath-guide--core" if inner[x] else "breath-guide--orb"
                    for x in range(at, at + len(chunk))
                }
                assert want == {component}
                at += len(chunk)


def test_every_orb_size_is_cheap_to_draw_the_first_time() -> None:
    # Drawing each of a breath's ~140 sizes used to take 9-10 ms each at 120x40 and held up
    # key presses in the first in-breath; from spans it is well under a millisecond.
    orb_rows.cache_clear()
    circle_cells.cache_clear()
    started = time.perf_counter()
    for k in range(140):
        orb_rows(6.0 + k * RADIUS_STEP, 86, 29)
    assert time.perf_counter() - started < 0.7  # about 0.05 s on an idle machine


def test_resolve_one_gives_the_practice_the_library_gives(paths: Paths) -> None:
    library = Library.load(paths)
    for practice_id in ("box-breathing", "coherent-breathing", library.ids()[-1]):
        assert Library.resolve_one(paths, practice_id) == library.resolve(practice_id)


def test_resolve_one_prefers_the_users_file_of_that_id(paths: Paths) -> None:
    bundled = (paths.bundled_practices / "box-breathing.toml").read_text(encoding="utf-8")
    paths.practices_dir.mkdir(parents=True, exist_ok=True)
    mine = bundled.replace('title = "Box breathing"', 'title = "My box"', 1)
    assert mine != bundled
    (paths.practices_dir / "box-breathing.toml").write_text(mine, encoding="utf-8")
    practice = Library.resolve_one(paths, "box-breathing")
    assert practice.title == "My box"
    assert practice == Library.load(paths).resolve("box-breathing")


def test_resolve_one_reports_what_the_library_reports(paths: Paths, tmp_path: Path) -> None:
    with pytest.raises(UnknownPractice) as unknown:
        Library.resolve_one(paths, "box-breathin")
    assert "box-breathing" in unknown.value.close
    paths.practices_dir.mkdir(parents=True, exist_ok=True)
    (paths.practices_dir / "broken.toml").write_text("title = \n", encoding="utf-8")
    with pytest.raises(PracticeError):
        Library.resolve_one(paths, "broken")
    file = tmp_path / "elsewhere.toml"
    file.write_text(
        (paths.bundled_practices / "box-breathing.toml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert Library.resolve_one(paths, str(file)).title == "Box breathing"


async def test_frames_wake_on_a_loop_timer_that_stops_with_the_screen(
    paths: Paths, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = make_app(
        paths=paths,
        practice=every_kind(tmp_path),
        clock=clock,
        player=RecordingPlayer(),
        journal=RecordingJournal(),
        config=Config(),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.sitting.started
        screen.tick()
        wake = screen._timer
        assert wake is not None
        handle = wake._handle
        assert not handle.cancelled()
        screen.tick()  # a new frame replaces the pending wake-up
        assert handle.cancelled() and screen._timer is not wake
        last = screen._timer
        assert last is not None
        screen.finish(completed=False)
        await pilot.pause()
        assert last._handle.cancelled()
