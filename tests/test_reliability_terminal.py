"""The terminal: tiny, small and huge windows, and a storm of resizes mid-breath.

Pilot with the fake clock proves the phase word is exact; the real app in tmux proves a real
terminal's resize signals neither crash it nor move its timing.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events
from textual.geometry import Size
from textual.pilot import Pilot

from companion.ui.app import CompanionApp
from companion.ui.screens.practice import PracticeScreen
from companion.ui.screens.summary import SummaryScreen
from tests.support import (
    COMPANION,
    NEEDS_TMUX,
    STARTS,
    TOTAL,
    AppBuilder,
    Term,
    every_kind,
    screen_text,
    write_paced,
)

TOO_SMALL = "Make the window a little larger"
# Every kind's box breath (4-4-4-4 from t=10): (time into the practice, word on the screen).
SIZES = [(20, 6), (40, 12), (300, 90), (100, 30), (61, 19), (39, 40), (140, 11)]
BOX = [(10.0, "Breathe in"), (14.0, "Hold"), (18.0, "Breathe out"), (22.0, "Hold")]


def _practice(app: CompanionApp) -> PracticeScreen:
    screen = app.screen
    assert isinstance(screen, PracticeScreen) and screen.sitting.started
    return screen


def _text(app: CompanionApp) -> str:
    return " ".join(screen_text(app).split())


async def _resize(pilot: Pilot[int], width: int, height: int) -> None:
    """Pilot.resize_terminal without its wait for the process to go idle.

    That wait lasts up to a second whenever the practice's own 30 fps frame timer keeps the
    process busy, which would stretch a two-second storm over a minute. Waiting for the
    screen to take its queued messages (pause(0)) is all the storm needs.
    """
    size = Size(width, height)
    # The app takes its size from the Resize event itself (the driver's size only seeds it).
    pilot.app.post_message(events.Resize(size, size))
    await pilot.pause(0)


async def _until_shown(pilot: Pilot[int], app: CompanionApp, words: str) -> str:
    """Let the app draw until the words are on its screen (bounded); the screen's text."""
    deadline = time.monotonic() + 5.0
    while words not in (text := _text(app)):
        assert time.monotonic() < deadline, f"{words!r} never shown; the screen: {text}"
        await pilot.pause(0.01)
    return text


def _word_at(t: float) -> str:
    """The box breath's word at practice time t, from the table above (a 16 s cycle)."""
    u = (t - STARTS["breath"]) % 16.0
    return [w for start, w in BOX if start - STARTS["breath"] <= u][-1]


@pytest.mark.parametrize(
    "size", [(20, 6), (39, 12), (40, 11), (40, 12), (300, 90)], ids=lambda s: f"{s[0]}x{s[1]}"
)
async def test_every_segment_at_tiny_small_and_huge_sizes(
    build_app: AppBuilder, tmp_path: Path, size: tuple[int, int]
) -> None:
    tiny = size[0] < 40 or size[1] < 12
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=size) as pilot:
        screen = _practice(app)
        for _ in range(100):  # the visuals are mounted after the first frame (issue 18)
            if screen.query("#breath"):
                break
            await pilot.pause(0.01)
        origin = screen.sitting.session.origin
        assert origin is not None
        for kind, start in STARTS.items():
            clock.set(origin + start + 1.0)
            screen.tick()
            text = await _until_shown(pilot, app, TOO_SMALL if tiny else "Every kind")
            if not tiny:
                assert TOO_SMALL not in text, (kind, text)
            if kind == "breath":
                # The guide takes the place of the settle's still title: let it lay out.
                if not tiny:
                    text = await _until_shown(pilot, app, _word_at(start + 1.0))
                assert (_word_at(start + 1.0) in text) is not tiny, text
        clock.set(origin + TOTAL + 1.0)
        screen.tick()
        deadline = time.monotonic() + 5.0
        while not isinstance(app.screen, SummaryScreen):  # the end still comes, at any size
            assert time.monotonic() < deadline, "no summary"
            await pilot.pause(0.01)
        await pilot.pause(0.05)
        assert screen_text(app).strip()


async def test_a_storm_of_50_resizes_mid_breath_keeps_the_phase_word_exact(
    build_app: AppBuilder, tmp_path: Path
) -> None:
    rng = random.Random(8)
    app, clock = build_app(every_kind(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = _practice(app)
        origin = screen.sitting.session.origin
        assert origin is not None
        storm_start = STARTS["breath"] + 1.0
        # 50 resizes over two seconds of practice time, a frame drawn after each.
        for i in range(50):
            await _resize(pilot, *rng.choice(SIZES))
            t = storm_start + i * 0.04
            clock.set(origin + t)
            screen.tick()
            await pilot.pause(0)
            assert screen.sitting.session.elapsed() == pytest.approx(t, abs=1e-9)
            breath = screen.sitting.session.state().breath
            assert breath is not None and breath.word == _word_at(t)
        await _resize(pilot, 100, 30)
        await _until_shown(pilot, app, "Every kind")
        assert screen._timer is not None  # the frame timer survived the storm
        # After the storm each phase word switches exactly on its boundary, on the screen.
        for boundary in (14.0, 18.0, 22.0, 26.0, 30.0):
            for t, word in (
                (boundary - 0.001, _word_at(boundary - 0.001)),
                (boundary, _word_at(boundary)),
            ):
                clock.set(origin + t)
                screen.tick()
                # The fake clock stands still while the frame reaches the screen.
                text = await _until_shown(pilot, app, word)
                other = {"Breathe in", "Breathe out", "Hold"} - {word}
                assert not any(o in text for o in other), (t, text)


# -- the real app in tmux ------------------------------------------------------------------

PHASE = re.compile(r"Breathe (in|out)")
LEFT = re.compile(r"(\d\d):(\d\d) left")


@pytest.fixture
def terms() -> Iterator[list[Term]]:
    """Every terminal a test opens is closed afterwards, even when the test fails."""
    made: list[Term] = []
    yield made
    for term in made:
        term.close()


def _phase(term: Term) -> tuple[str | None, str]:
    text = term.screen()
    match = PHASE.search(text)
    return (match.group(1) if match else None), text


def _next_switch(term: Term, after: float = 0.0, timeout: float = 6.0) -> tuple[float, str, str]:
    """Poll as fast as tmux answers until the phase word changes at or after the monotonic time
    `after`; (when, the new word, the screen then).

    A change seen before `after` is not a switch: right after a resize tmux may still show the
    last frame drawn at the old size until the app's first frame at the new one arrives.
    """
    deadline = time.monotonic() + timeout
    last, _ = _phase(term)
    while time.monotonic() < deadline:
        word, text = _phase(term)
        now = time.monotonic()
        if word is not None and last is not None and word != last and now >= after:
            return now, word, text
        last = word if word is not None else last
    raise AssertionError(f"no phase change within {timeout} s:\n{term.screen()}")


@pytest.mark.slow
@NEEDS_TMUX
def test_the_real_app_through_sizes_and_a_resize_storm_keeps_time(
    tmp_path: Path, terms: list[Term]
) -> None:
    home = tmp_path / "home"
    write_paced(home)  # 2 s in, 2 s out, from the first second
    term = Term(tmp_path, f"{COMPANION} run paced --no-sound", home=home)
    terms.append(term)
    term.wait_for("Breathe in", "Breathe out")
    for size, shown in (((20, 6), "little larger"), ((40, 12), "Breathe"), ((300, 90), "Breathe")):
        term.tmux("resize-window", "-x", str(size[0]), "-y", str(size[1]))
        term.wait_for(shown)
    term.tmux("resize-window", "-x", "100", "-y", "30")
    t0, word0, text0 = _next_switch(term)  # a phase change measured before the storm
    rng = random.Random(8)
    storm_start = time.monotonic()
    for i in range(50):
        w, h = rng.choice(SIZES)
        term.tmux("resize-window", "-x", str(w), "-y", str(h))
        # Paced on the wall clock: 50 resizes spread over two seconds.
        pause = storm_start + (i + 1) * 0.04 - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    assert time.monotonic() - storm_start < 2.5
    term.tmux("resize-window", "-x", "100", "-y", "30")
    stormed = time.monotonic()
    term.wait_for("Breathe in", "Breathe out", timeout=1.0)  # caught up within a second
    t1, word1, text1 = _next_switch(term, after=stormed + 0.25)
    assert "Traceback" not in text1
    k = round((t1 - t0) / 2.0)
    assert k >= 1
    # The next switch after the storm comes on the 2-second grid measured before it.
    assert abs(t1 - (t0 + 2.0 * k)) <= 0.1, f"switched {t1 - t0 - 2.0 * k:+.3f} s off schedule"
    assert (word1 == word0) == (k % 2 == 0), "the phase word is out of step with the clock"
    # And the time left moved with the wall clock: the storm neither paused nor skipped it.
    assert abs((_left(text0) - _left(text1)) - (t1 - t0)) <= 1.1, (text0, text1)


def _left(text: str) -> int:
    match = LEFT.search(text)
    assert match is not None, text
    return int(match.group(1)) * 60 + int(match.group(2))
