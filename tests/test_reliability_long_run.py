"""Two hours of an open practice at 30 frames a second on the fake clock: memory stays flat and
the time shown is exact at the end.

The whole screen's per-frame path (PracticeScreen.tick: engine state, every widget, the next
frame's timer, the repaint) costs about 0.7 ms a frame here, too slow for 216,000 frames in a
test. So the whole screen runs at 30 frames a second for its first three minutes and its last
second, and what runs every frame of the two hours is the engine with the widget that changes
every frame (the breath guide), its repaint check included; the time line follows each second.

Counted plainly, the whole screen's memory grows for a long while and then stops: caches that
are bounded by design fill up. rich keeps the widths of up to 4096 texts and each second of an
open practice shows new ones ("04:00 so far"), which takes about 17 minutes; a frame widget
keeps up to 4096 finished lines and the time line makes a new one each second. So those caches
are emptied before each count (see _empty_bounded_caches); what is left to grow would grow
for ever.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
import rich.cells

from companion.engine.clock import FakeClock
from companion.journal import JournalError, NullRecorder, RunRow, Stats
from companion.practice.load import load_practice
from companion.ui.app import CompanionApp
from companion.ui.screens.practice import PracticeScreen
from companion.ui.widgets import braille, breath_guide
from companion.ui.widgets.breath_guide import BreathGuide
from companion.ui.widgets.progress_line import ProgressLine
from tests.support import AppBuilder, screen_text, write_practice

pytestmark = pytest.mark.slow

# An 11-second breath that never ends: 7200 s is 654 cycles and 6 s, the very start of an
# out-breath, so a clock a hair early or late at the end shows the wrong word.
OPEN = """
title = "Open breath"
[bells]
start = "none"
end = "none"
[[segment]]
kind = "breath"
duration = "open"
pattern = { in = 4, hold = 2, out = 5 }
"""
FPS = 30
MINUTE = 60 * FPS
FRAMES = 120 * MINUTE  # 216,000
TRACED = 5 * MINUTE  # each stretch watched by tracemalloc: one minute to prime, four measured
BLOCKS_BOUND = 1_000  # allocated blocks a stretch may add (a leak of one a frame: 3,600 or more)
TRACED_BOUND = 32 * 1024  # bytes four traced minutes may keep (8 bytes a frame: 57,600)


class QuietJournal:
    """A journal that records nothing and keeps nothing (so it cannot grow either)."""

    notice = None

    def recorder(self) -> NullRecorder:
        return NullRecorder()

    def next_course_day(self, course: str) -> int:
        return 1

    def stats(self, *, today: date | None = None, streak: bool = False) -> Stats:
        raise JournalError("a quiet journal keeps no figures", Path("quiet"))

    def runs(self, limit: int | None = None) -> list[RunRow]:
        raise JournalError("a quiet journal keeps no figures", Path("quiet"))


def _app(build_app: AppBuilder, tmp_path: Path) -> tuple[CompanionApp, FakeClock]:
    file = write_practice(tmp_path, "open", OPEN)
    return build_app(load_practice(file, sounds=None), journal=QuietJournal())


def _empty_bounded_caches(screen: PracticeScreen) -> None:
    """Empty the caches that are bounded by design, so a count shows only unbounded growth.

    rich's cell-length cache (4096 texts), the shape caches of the widget modules (lru_cache,
    a few hundred entries each) and each frame widget's caches of painted rows and finished
    lines (cleared by the widget itself when they reach their limit).
    """
    rich.cells.cached_cell_len.cache_clear()
    for module in (braille, breath_guide):
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()
    for widget in screen.walk_children(with_self=False):
        for kept in ("_strips", "_lines"):  # painted rows; finished lines (both bounded)
            cache = getattr(widget, kept, None)
            if isinstance(cache, dict):
                cache.clear()


def _blocks(screen: PracticeScreen) -> int:
    """Python's count of allocated memory blocks, the bounded caches emptied first."""
    _empty_bounded_caches(screen)
    gc.collect()
    return sys.getallocatedblocks()


def _traced() -> int:
    """Bytes tracemalloc sees held now.

    Counted from when tracing began, so a cache entry made after the start that replaces
    one made before counts as growth; hence each traced stretch primes for a minute first.
    """
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


async def test_an_open_practice_for_two_hours_keeps_memory_flat_and_time_exact(
    build_app: AppBuilder,
    tmp_path: Path,
) -> None:
    app, clock = _app(build_app, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        deadline = time.monotonic() + 10.0
        while not (isinstance(app.screen, PracticeScreen) and app.screen.sitting.started):
            assert time.monotonic() < deadline, "the practice never began"
            await pilot.pause(0.01)
        while not app.screen.query("#breath"):  # mounted after the first frame (issue 18)
            assert time.monotonic() < deadline, "the practice screen was never built whole"
            await pilot.pause(0.01)
        screen = app.screen
        session = screen.sitting.session
        assert session is not None and session.origin is not None
        origin = session.origin
        guide = screen.query_one("#breath", BreathGuide)
        line = screen.query_one("#progress", ProgressLine)

        async def whole_screen(frames: range) -> None:
            for k in frames:
                clock.set(origin + k / FPS)  # from the frame number: no float drift
                screen.tick()
                await asyncio.sleep(0)  # the loop turns once a frame, as in the real app

        async def engine_and_widget(frames: range) -> None:
            for k in frames:
                clock.set(origin + k / FPS)
                state = session.state()
                guide.update_from(state)
                if k % FPS == 0:
                    line.set_time(state.t)  # an open practice's line changes once a second

        async def traced(frames: range) -> int:
            """Bytes the frames after the first minute left held (see _traced)."""
            tracemalloc.start()
            try:
                await engine_and_widget(frames[:MINUTE])
                start = _traced()
                await engine_and_widget(frames[MINUTE:])
                return _traced() - start
            finally:
                tracemalloc.stop()

        growth: dict[str, int] = {}
        await whole_screen(range(1, MINUTE + 1))  # the first minute settles
        before = _blocks(screen)
        await whole_screen(range(MINUTE + 1, 3 * MINUTE + 1))
        growth["whole screen, minutes 1-3"] = _blocks(screen) - before
        before = _blocks(screen)
        early = await traced(range(3 * MINUTE + 1, 3 * MINUTE + TRACED + 1))
        await engine_and_widget(range(3 * MINUTE + TRACED + 1, FRAMES - FPS - TRACED + 1))
        late = await traced(range(FRAMES - FPS - TRACED + 1, FRAMES - FPS + 1))
        growth["engine and guide, minutes 3-120"] = _blocks(screen) - before
        await whole_screen(range(FRAMES - FPS + 1, FRAMES))  # the last second, whole

        # Time exact: the frame before two hours is the hold, two hours is the out-breath.
        assert session.elapsed() == pytest.approx((FRAMES - 1) / FPS, abs=1e-9)
        assert guide._breath is not None and guide._breath.word == "Hold"
        clock.set(origin + FRAMES / FPS)
        screen.tick()
        await pilot.pause(0)
        assert session.elapsed() == 7200.0
        state = session.state()
        assert state.breath is not None
        assert (state.breath.phase, state.breath.cycle) == ("out", 655)  # the 655th breath
        assert state.breath.remaining == pytest.approx(5.0)
        deadline = time.monotonic() + 5.0
        while "2:00:00" not in (text := screen_text(app)):
            assert time.monotonic() < deadline, text
            await pilot.pause(0.01)
        assert "Breathe out" in text and "Hold" not in text
        assert "2:00:00 so far" in " ".join(text.split())

    assert early < TRACED_BOUND, f"minutes 4-8 kept {early} bytes"
    assert late < TRACED_BOUND, f"minutes 115-120 kept {late} bytes"
    assert all(g < BLOCKS_BOUND for g in growth.values()), growth
