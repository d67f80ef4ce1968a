"""The installed console script in a real terminal (tmux), for the end-to-end tests by subject."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path


def installed() -> str | None:
    """The console script: on PATH, or beside this Python (a venv not on PATH)."""
    beside = Path(sys.executable).parent / "companion"
    return shutil.which("companion") or (str(beside) if beside.is_file() else None)


COMPANION = installed()
HAVE_TMUX = shutil.which("tmux") is not None


class Terminal:
    """One tmux server with one 100x30 window running `command` (a shell command line)."""

    def __init__(self, tmp: Path, command: str, env: dict[str, str] | None = None) -> None:
        self.socket = f"companion-test-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "TMUX_TMPDIR": str(tmp),
            "COMPANION_HOME": str(tmp / "home"),
            "SDL_AUDIODRIVER": "dummy",
            "PYGAME_HIDE_SUPPORT_PROMPT": "1",
            "TERM": "xterm-256color",
            **(env or {}),
        }
        self.env.pop("TMUX", None)
        self.tmux("new-session", "-d", "-x", "100", "-y", "30", command)

    def tmux(self, *args: str) -> str:
        """Run a tmux command against this server; its output."""
        out = subprocess.run(
            ["tmux", "-L", self.socket, *args], env=self.env, capture_output=True, text=True
        )
        return out.stdout

    def screen(self) -> str:
        """What the window shows now."""
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
        """Type keys into the window (tmux send-keys names: Enter, Space, C-z...)."""
        self.tmux("send-keys", *keys)

    def close(self) -> None:
        """End the tmux server and whatever runs in it."""
        self.tmux("kill-server")


STILL_BOX = """
title = "Still box"
summary = "Box breathing from the first moment, for the terminal tests."

[bells]
start = "none"
end = "none"

[[segment]]
kind = "breath"
duration = "2m"
pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }
"""


def write_still_box(home: Path) -> None:
    """A user practice that paces the breath from its first second (no settling first)."""
    folder = home / "practices"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "still-box.toml").write_text(STILL_BOX)
