"""The real `companion` command in a tmux terminal, and the journal read back with plain sqlite3
(not through the code under test)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest


def _installed() -> str | None:
    """The console script: on PATH, or beside this Python (a venv not on PATH)."""
    beside = Path(sys.executable).parent / "companion"
    return shutil.which("companion") or (str(beside) if beside.is_file() else None)


COMPANION = _installed()
NEEDS_TMUX = pytest.mark.skipif(
    shutil.which("tmux") is None or COMPANION is None,
    reason="needs tmux and the installed companion command",
)
ROOT = Path(__file__).resolve().parents[2]


def until(check: Callable[[], object], timeout: float, what: str, step: float = 0.05) -> object:
    """Poll `check` until it returns something truthy (bounded); fail saying `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(step)


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


class Term:
    """One tmux server (its own socket and TMUX_TMPDIR) whose only pane runs a shell command.

    The command runs as `CMD; echo EXIT=$?; sleep 600`, like a user's shell: after
    the app ends, the pane shows what the app left behind (alternate screen, cursor), and
    `app_pid` is the app itself, the shell's only child.
    """

    def __init__(
        self,
        tmp: Path,
        command: str,
        *,
        home: Path,
        size: tuple[int, int] = (100, 30),
        env: Mapping[str, str | None] | None = None,
    ) -> None:
        self.socket = f"ch-{uuid.uuid4().hex[:10]}"
        tmux_dir = tmp / "tmux"
        tmux_dir.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "TMUX_TMPDIR": str(tmux_dir),
            "COMPANION_HOME": str(home),
            "SDL_AUDIODRIVER": "dummy",
            "PYGAME_HIDE_SUPPORT_PROMPT": "1",
            "TERM": "xterm-256color",
        }
        self.env.pop("TMUX", None)
        for key, value in (env or {}).items():
            if value is None:
                self.env.pop(key, None)
            else:
                self.env[key] = value
        self.pid: int | None = None
        script = f"{command}; echo EXIT=$?; sleep 600"
        # tmux runs the script with its shell, which stays as the pane's process.
        self.tmux("new-session", "-d", "-x", str(size[0]), "-y", str(size[1]), script)

    def tmux(self, *args: str) -> str:
        """Run a tmux command on this server; its output."""
        out = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            env=self.env, capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        return out.stdout

    def fmt(self, spec: str) -> str:
        """A tmux format of the pane, e.g. '#{alternate_on}'."""
        return self.tmux("display-message", "-p", spec).strip()

    def screen(self, *extra: str) -> str:
        """The visible text of the pane."""
        return self.tmux("capture-pane", "-p", *extra)

    def wait_for(self, *words: str, timeout: float = 15.0, every: bool = False) -> str:
        """Poll the pane until any of the words (all of them with every=True) shows (bounded)."""
        seen = [""]
        found = all if every else any

        def look() -> str | None:
            seen[0] = self.screen()
            return seen[0] if found(w in seen[0] for w in words) else None

        try:
            return str(until(look, timeout, f"{'all' if every else 'any'} of {words}"))
        except AssertionError:
            which = "all" if every else "any"
            raise AssertionError(f"not {which} of {words}; screen was:\n{seen[0]}") from None

    def keys(self, *keys: str) -> None:
        """Type keys into the pane."""
        self.tmux("send-keys", *keys)

    def app_pid(self, timeout: float = 10.0) -> int:
        """The app's process id: the pane's shell's child."""
        if self.pid is None:
            shell = int(self.fmt("#{pane_pid}"))

            def child() -> int | None:
                try:
                    text = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
                except OSError:
                    return None
                return int(text[0]) if text else None

            self.pid = int(str(until(child, timeout, "the app process")))
        return self.pid

    def wait_gone(self, timeout: float = 15.0) -> None:
        """Wait until the app process has ended."""
        pid = self.app_pid()
        until(lambda: not alive(pid), timeout, f"process {pid} to end")

    def close(self) -> None:
        """Kill the tmux server, then make sure the app process has gone too."""
        if self.pid is None and "EXIT=" not in self.screen():
            # Found now if never asked for. When the app has already ended (the pane says so)
            # there is none, and looking would only wait out the timeout.
            with contextlib.suppress(AssertionError, ValueError):
                self.app_pid(timeout=1.0)
        self.tmux("kill-server")
        if self.pid is not None and alive(self.pid):
            deadline = time.monotonic() + 5.0
            while alive(self.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if alive(self.pid):
                os.kill(self.pid, signal.SIGKILL)


def journal_rows(path: Path) -> list[tuple[str, float, list[str]]]:
    """(status, practised, note labels in order) for every run, oldest first."""
    if not path.exists():
        return []
    db = sqlite3.connect(path, timeout=5.0)
    try:
        try:
            runs = db.execute("SELECT id, status, practised FROM runs ORDER BY id").fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return []  # the app is still creating the journal
            raise
        return [
            (
                str(status),
                float(practised),
                [
                    str(r[0])
                    for r in db.execute(
                        "SELECT label FROM notes WHERE run_id = ? ORDER BY offset, id", (run_id,)
                    )
                ],
            )
            for run_id, status, practised in runs
        ]
    finally:
        db.close()
