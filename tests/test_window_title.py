"""The terminal's title while practising: the phase and time left, at phase changes only."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.engine.timeline import build_timeline
from companion.practice.load import load_practice
from companion.window_title import POP, PUSH, WindowTitle, osc_title, title_text
from tests.support.outside import (
    Term,
    companion_command,
    e2e,
    eventually,
    run,
    short_home,
    status,
)

BOX = Path(__file__).resolve().parents[1] / "practices" / "box-breathing.toml"
TITLE = re.compile(
    r"^(Breathe in|Hold|Breathe out|Arriving|Resting|Paused) · Box breathing · \d\d:\d\d$"
)


@pytest.fixture
def home() -> Iterator[Path]:
    with short_home() as path:
        yield path


# -- the pure part --------------------------------------------------------------------------
def test_the_title_is_written_at_phase_changes_only_and_the_old_one_restored() -> None:
    timeline = build_timeline(load_practice(BOX))
    written: list[str] = []
    title = WindowTitle(written.append)
    # Every frame of the first 38 seconds at 24 frames a second: Arriving (30 s), then two
    # phases of box breathing (4 s each). Three titles, not 900.
    for frame in range(38 * 24):
        title.show(timeline.state_at(frame / 24), "Box breathing", paused=False)
    assert title.writes == 3
    assert written == [
        PUSH + osc_title("Arriving · Box breathing · 05:00"),
        osc_title("Breathe in · Box breathing · 04:30"),
        osc_title("Hold · Box breathing · 04:26"),
    ]
    title.show(timeline.state_at(38.0), "Box breathing", paused=True)
    assert written[-1] == osc_title("Paused · Box breathing · 04:22")
    title.restore()
    title.restore()  # once only
    assert written[-1] == POP and written.count(POP) == 1


def test_a_title_never_carries_control_characters() -> None:
    assert osc_title("Calm\x1b]2;evil\x07 · x") == "\x1b]2;Calm]2;evil · x\x07"


def test_an_open_practice_shows_the_time_so_far() -> None:

    box = load_practice(BOX)
    open_box = box._replace(segments=(box.segments[1]._replace(duration=None),))
    state = build_timeline(open_box).state_at(75.0)
    assert title_text(state, "Box breathing", paused=False).endswith(" · 01:15 so far")


def test_the_new_pure_modules_import_neither_textual_nor_pygame() -> None:
    modules = ["companion.until", "companion.window_title", "companion.remote.target",
               "companion.plain_outside"]  # fmt: skip
    code = (
        "import sys, importlib\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'pygame')]\n"
        "print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


# -- a real terminal ----------------------------------------------------------------------------
@e2e
def test_the_title_seen_by_tmux_follows_the_phase_and_is_restored(home: Path) -> None:
    term = Term(home, companion_command("run", "box-breathing", "--no-sound"))
    try:
        before = eventually("tmux's own title", lambda: term.title() or None)
        assert before != "" and "Box breathing" not in before
        eventually("the practice answers", lambda: status(home))
        arriving = "Arriving · Box breathing · 05:00"
        eventually("the first title", lambda: term.title() == arriving or None)
        term.keys("n")
        first = eventually(
            "a phase in the title",
            lambda: ((t := term.title()).startswith("Breathe") and t) or None,
        )
        assert TITLE.match(first), first
        following = eventually(
            "the next phase", lambda: ((t := term.title()) != first and t) or None
        )
        assert following.startswith("Hold · Box breathing · "), following
        assert run(home, "pause").returncode == 0
        eventually("paused in the title", lambda: term.title().startswith("Paused · ") or None)
        term.keys("Escape")
        term.wait_for("Ended early")
        assert eventually("the title given back", lambda: term.title() == before or None)
        term.keys("q")
        term.wait_for("EXIT=0")
        assert term.title() == before
    finally:
        term.close()


@e2e
def test_the_setting_off_leaves_the_title_alone(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "config.toml").write_text("[settings]\nwindow_title = false\n")
    term = Term(home, companion_command("run", "box-breathing", "--no-sound"))
    try:
        before = eventually("tmux's own title", lambda: term.title() or None)
        eventually("the practice answers", lambda: status(home))
        term.keys("n")
        eventually("paced breathing", lambda: ((s := status(home)) and s["phase"]) or None)
        term.wait_for("Breathe")
        assert term.title() == before
    finally:
        term.close()


@e2e
def test_plain_with_title_sets_and_restores_it(home: Path) -> None:
    term = Term(home, companion_command("run", "box-breathing", "--plain", "--no-sound", "--title"))
    try:
        eventually("the practice answers", lambda: status(home))
        assert eventually("the title", lambda: TITLE.match(term.title()) and term.title())
        assert run(home, "end").returncode == 0
        term.wait_for("EXIT=0")
        assert "Box breathing" not in term.title()
    finally:
        term.close()
