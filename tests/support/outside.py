"""Real practices in tmux, and the real `companion` commands beside them, for the tests of
outside control, the window title and `run --until`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest

WAIT = 20.0  # generous: the machine is shared; every wait ends as soon as its answer arrives
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., object])


def installed() -> str | None:
    """The console script: on PATH, or beside this Python (a venv not on PATH)."""
    beside = Path(sys.executable).parent / "companion"
    return str(beside) if beside.is_file() else shutil.which("companion")


COMPANION = installed()
needs_tmux = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(COMPANION is None, reason="companion is not installed"),
]


def e2e(test: F) -> F:
    """Mark a test as end-to-end: slow, and skipped without tmux or the console script."""
    for mark in needs_tmux:
        test = mark(test)
    return test


@contextmanager
def short_home() -> Iterator[Path]:
    """A home folder with a short path (a Unix socket's path must fit in about 100 bytes)."""
    root = Path(tempfile.mkdtemp(prefix="cw-", dir="/tmp"))
    try:
        yield root / "home"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def env_for(home: Path) -> dict[str, str]:
    """The environment of companion processes using `home`."""
    env = dict(os.environ)
    env.update(
        {
            "COMPANION_HOME": str(home),
            "SDL_AUDIODRIVER": "dummy",
            "PYGAME_HIDE_SUPPORT_PROMPT": "1",
            "TERM": "xterm-256color",
            # bash, as a user's shell would be: a pane run by dash would die with the
            # practice on Ctrl+C (dash does not wait to see whether its child handles it).
            "SHELL": shutil.which("bash") or "/bin/sh",
        }
    )
    for name in ("TMUX", "XDG_RUNTIME_DIR"):
        env.pop(name, None)
    return env


def run(home: Path, *args: str, user: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `companion ARGS` as its own process."""
    assert COMPANION is not None
    return subprocess.run(
        [*(user or []), COMPANION, *args],
        capture_output=True,
        text=True,
        env=env_for(home),
        timeout=WAIT * 2,
    )


def status(home: Path) -> dict[str, Any] | None:
    """`companion status --json` (None when not practising)."""
    done = run(home, "status", "--json")
    data: dict[str, Any] = json.loads(done.stdout)
    return data if data.get("practising") else None


def eventually(what: str, probe: Callable[[], T | None], timeout: float = WAIT) -> T:
    """Ask `probe` until it answers (not None); fail naming `what` if it never does."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout}s")
        time.sleep(0.1)


class Term:
    """One tmux server of our own running one command in a 100x30 window."""

    def __init__(self, home: Path, command: str, *, width: int = 100) -> None:
        self.home = home
        self.socket = f"cw-{uuid.uuid4().hex[:8]}"
        self.env = env_for(home)
        self.env["TMUX_TMPDIR"] = str(home.parent)
        home.mkdir(parents=True, exist_ok=True)
        self.tmux(
            "new-session", "-d", "-x", str(width), "-y", "30", f"{command}; echo EXIT=$?; sleep 60"
        )

    def tmux(self, *args: str) -> str:
        """One tmux command against our server; its output."""
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], env=self.env, capture_output=True, text=True
        )
        return done.stdout

    def screen(self) -> str:
        """The pane's text now."""
        return self.tmux("capture-pane", "-p")

    def title(self) -> str:
        """The pane's title as tmux sees it (what the program set with OSC 2)."""
        return self.tmux("display-message", "-p", "#{pane_title}").rstrip("\n")

    def wait_for(self, *words: str, timeout: float = WAIT) -> str:
        """The screen, once every one of the words shows on it."""
        seen = [""]

        def probe() -> str | None:
            seen[0] = self.screen()
            return seen[0] if all(w in seen[0] for w in words) else None

        try:
            return eventually(f"{words} on screen", probe, timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the screen was:\n{seen[0]}") from None

    def keys(self, *keys: str) -> None:
        """Type into the pane."""
        self.tmux("send-keys", *keys)

    def close(self) -> None:
        """End the tmux server (and whatever still runs in it)."""
        self.tmux("kill-server")


def companion_command(*args: str) -> str:
    """A shell line running the installed companion with ARGS."""
    assert COMPANION is not None
    quoted = " ".join("'" + a.replace("'", "'\\''") + "'" for a in args)
    return f"'{COMPANION}' {quoted}"


def as_nobody() -> list[str]:
    """A prefix that runs a command as the user `nobody` (or skip the test)."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run a client as another user")
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
