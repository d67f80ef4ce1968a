"""The installed `companion` command in a real terminal (tmux): practice, note, summary, quit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import COMPANION, NEEDS_TMUX, ROOT, Term, until

pytestmark = [pytest.mark.slow, NEEDS_TMUX]

PRACTICES = ROOT / "practices"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home whose box-breathing runs even before the bundled sounds exist."""
    folder = tmp_path / "home" / "practices"
    folder.mkdir(parents=True)
    text = (PRACTICES / "box-breathing.toml").read_text()
    if not any((PRACTICES.parent / "sounds").glob("bowl.*")):
        text = text.replace('start = "bowl"', 'start = "none"').replace(
            'end = "bowl"', 'end = "none"'
        )
        (folder / "box-breathing.toml").write_text(text)
    return tmp_path


@pytest.fixture
def term_factory(home: Path) -> Iterator[list[Term]]:
    made: list[Term] = []
    yield made
    for term in made:
        term.close()


def test_run_note_summary_quit(home: Path, term_factory: list[Term]) -> None:
    term = Term(home, f"{COMPANION} run box-breathing --no-sound", home=home / "home")
    term_factory.append(term)
    # A capture can land mid-paint, so wait for the title too rather than assert it.
    term.wait_for("Breathe naturally", "Breathe in", "Arriving")
    term.wait_for("Box breathing", every=True)
    term.keys("t")
    term.wait_for("thinking - noted")
    assert "1" in term.screen()
    term.keys("Escape")
    text = term.wait_for("Ended early")
    assert "thinking" in text
    term.keys("q")
    term.wait_for("EXIT=0")


def test_home_lists_practices(home: Path, term_factory: list[Term]) -> None:
    term = Term(home, f"{COMPANION} --no-sound", home=home / "home")
    term_factory.append(term)
    term.wait_for("Box breathing", "box-breathing")
    term.wait_for("Quick session")  # the status line, drawn with the first full frame
    term.keys("q")
    term.wait_for("EXIT=0")


def test_a_filter_typed_ahead_while_the_app_starts_is_kept(
    home: Path, term_factory: list[Term]
) -> None:
    # Sent as the command starts, so the keys wait in the terminal and reach the app in one
    # burst (enter as a line feed): a q in the words must not quit, nor a t open the timer.
    term = Term(home, f"{COMPANION} --no-sound", home=home / "home")
    term_factory.append(term)
    term.keys("/quiett", "BSpace", "Enter")
    term.wait_for("Quiet sitting, ten minutes", "Quick session")

    def filtered() -> str | None:
        text = term.screen()
        return text if "Box breathing" not in text and "Quiet sitting" in text else None

    text = str(until(filtered, 15.0, "the list filtered to the quiet sittings"))
    assert "EXIT=" not in text
    assert "quiet" in text.split("Quiet sitting")[0]  # the words are in the filter box
    term.keys("q")  # enter kept the filter and gave the list its keys back
    term.wait_for("EXIT=0")


def test_one_key_from_home_starts_a_quick_practice(home: Path, term_factory: list[Term]) -> None:
    term = Term(home, f"{COMPANION} --no-sound", home=home / "home")
    term_factory.append(term)
    term.wait_for("Quick session (space): Three-minute breathing space")
    term.keys("Space")
    term.wait_for("What is here", "Three-minute breathing space", every=True)
    term.keys("Escape")
    term.wait_for("Ended early")
    term.keys("q")
    term.wait_for("EXIT=0")


SHORT_RETENTION = """
title = "Short retention"
prepare = "2s"
[bells]
start = "none"
end = "none"
[[segment]]
kind = "rounds"
times = 2
  [[segment.part]]
  kind = "breath"
  breaths = 1
  pattern = { in = 1, out = 1 }
  [[segment.part]]
  kind = "hold"
  title = "Hold"
  until = "key"
  max = "2m"
  [[segment.part]]
  kind = "breath"
  title = "Recovery"
  breaths = 1
  pattern = { in = 1, hold = 1, out = 1 }
"""


def test_retention_rounds_hold_until_space(home: Path, term_factory: list[Term]) -> None:
    folder = home / "home" / "practices"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "short-retention.toml").write_text(SHORT_RETENTION)
    term = Term(home, f"{COMPANION} run short-retention --no-sound", home=home / "home")
    term_factory.append(term)
    term.wait_for("Starting in")
    term.wait_for("space when you need to breathe", timeout=20)
    term.wait_for("s held", every=True)
    term.keys("Space")
    term.wait_for("round 2 of 2", timeout=20)
    term.wait_for("space when you need to breathe", timeout=20)
    term.keys("Space")
    text = term.wait_for("Breath held:", timeout=30)
    assert "Completed" in text
    term.keys("q")
    term.wait_for("EXIT=0")


def test_plain_retention_counts_down_and_reads_enter(home: Path, term_factory: list[Term]) -> None:
    folder = home / "home" / "practices"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "short-retention.toml").write_text(SHORT_RETENTION)
    term = Term(home, f"{COMPANION} run short-retention --plain --no-sound", home=home / "home")
    term_factory.append(term)
    term.wait_for("Starting in 2")
    term.wait_for("press Enter when you need to breathe", timeout=20)
    term.keys("Enter")
    term.wait_for("held for", timeout=10)
    term.keys("Enter")  # typed while breathing: it must not end the next hold at once
    deadline = time.monotonic() + 20
    while term.screen().count("press Enter when") < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.5)
    assert term.screen().count("held for") == 1  # the early Enter was dropped
    term.keys("Enter")
    text = term.wait_for("Well done for taking the time", timeout=30)
    assert text.count("held for") == 2
    term.wait_for("EXIT=0")
