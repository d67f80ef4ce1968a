"""The installed `companion` command in a real terminal (tmux): practice, note, summary, quit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import COMPANION, NEEDS_TMUX, ROOT, Term

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
