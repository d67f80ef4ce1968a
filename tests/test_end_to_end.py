"""The installed `companion` command in a real terminal (tmux): practice, note, summary, quit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _installed() -> str | None:
    """The console script: on PATH, or beside this Python (a venv not on PATH)."""
    beside = Path(sys.executable).parent / "companion"
    return shutil.which("companion") or (str(beside) if beside.is_file() else None)


COMPANION = _installed()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(COMPANION is None, reason="companion is not installed"),
]

PRACTICES = Path(__file__).resolve().parent.parent / "practices"


class Term:
    """One tmux server with one window running a command."""

    def __init__(self, tmp: Path, command: str) -> None:
        self.socket = f"companion-test-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "TMUX_TMPDIR": str(tmp),
            "COMPANION_HOME": str(tmp / "home"),
            "SDL_AUDIODRIVER": "dummy",
            "PYGAME_HIDE_SUPPORT_PROMPT": "1",
            "TERM": "xterm-256color",
        }
        self.env.pop("TMUX", None)
        self.tmux(
            "new-session", "-d", "-x", "100", "-y", "30", f"{command}; echo EXIT=$?; sleep 30"
        )

    def tmux(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-L", self.socket, *args], env=self.env, capture_output=True, text=True
        )
        return out.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def wait_for(self, *words: str, timeout: float = 15.0, every: bool = False) -> str:
        """Poll the pane until any of the words (all of them with every=True) shows (bounded)."""
        deadline = time.monotonic() + timeout
        text = ""
        found = all if every else any
        while time.monotonic() < deadline:
            text = self.screen()
            if found(w in text for w in words):
                return text
            time.sleep(0.1)
        raise AssertionError(f"not {words} ({'all' if every else 'any'}); screen was:\n{text}")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def close(self) -> None:
        self.tmux("kill-server")


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
    term = Term(home, f"{COMPANION} run box-breathing --no-sound")
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
    term = Term(home, f"{COMPANION} --no-sound")
    term_factory.append(term)
    term.wait_for("Box breathing", "box-breathing")
    term.wait_for("Quick session")  # the status line, drawn with the first full frame
    term.keys("q")
    term.wait_for("EXIT=0")


def test_one_key_from_home_starts_a_quick_practice(home: Path, term_factory: list[Term]) -> None:
    term = Term(home, f"{COMPANION} --no-sound")
    term_factory.append(term)
    term.wait_for("Quick session (space): Three-minute breathing space")
    term.keys("Space")
    term.wait_for("What is here", "Three-minute breathing space", every=True)
    term.keys("Escape")
    term.wait_for("Ended early")
    term.keys("q")
    term.wait_for("EXIT=0")
