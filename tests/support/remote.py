"""Real processes for the outside-control tests: a fake practice, the CLI, a follower."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path
from typing import IO

from tests.support.term import ROOT

FAKE = ROOT / "tests" / "support" / "remote_fake.py"
WAIT = 20.0  # generous: the machine is shared; every wait ends as soon as the line arrives


def env_for(home: Path) -> dict[str, str]:
    """The environment of a process using `home` as COMPANION_HOME."""
    env = dict(os.environ)
    env["COMPANION_HOME"] = str(home)
    env.pop("XDG_RUNTIME_DIR", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), sysconfig.get_paths()["purelib"]])
    return env


class Lines:
    """Lines a child prints, collected on a thread so a test can wait for the next one."""

    def __init__(self, stream: IO[str]) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def next(self, timeout: float = WAIT) -> str | None:
        """The next line (None at end of output); fails the test if none comes in time."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line within {timeout}s") from None

    def pending(self) -> list[str | None]:
        """Lines already printed and not yet read."""
        out: list[str | None] = []
        while not self._queue.empty():
            out.append(self._queue.get_nowait())
        return out


class FakePractice:
    """tests/support/remote_fake.py as a child process: a real server around a fake practice."""

    def __init__(self, home: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(FAKE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env_for(home),
        )
        assert self.proc.stdout is not None
        self.lines = Lines(self.proc.stdout)
        first = self.lines.next()
        assert first is not None and first.startswith("ready "), first
        self.pid = int(first.split()[1])
        self.socket = home / "run" / f"practice-{self.pid}.sock"

    def tell(self, command: str, reply: str = "ok") -> None:
        """Send one command and wait for its answer."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        if reply:
            self.expect(reply)

    def expect(self, reply: str) -> None:
        """Wait for a line the fake prints."""
        line = self.lines.next()
        assert line == reply, f"expected {reply!r}, got {line!r}"

    def close(self) -> None:
        """Quit (or kill, if it does not listen any more)."""
        if self.proc.poll() is None:
            try:
                self.tell("quit", reply="")
                self.proc.wait(WAIT)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdin is not None:
            self.proc.stdin.close()


def companion(
    home: Path, *args: str, user: list[str] | None = None, python: str = sys.executable
) -> subprocess.CompletedProcess[str]:
    """`python -m companion ARGS` as its own process (as another user if `user` is a prefix)."""
    return subprocess.run(
        [*(user or []), python, "-m", "companion", *args],
        capture_output=True,
        text=True,
        env=env_for(home),
        cwd=str(ROOT),
        timeout=WAIT * 2,
    )


class Follower:
    """`companion status --follow ...` running, its lines collected."""

    def __init__(self, home: Path, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "companion", "status", "--follow", *args],
            stdout=subprocess.PIPE,
            text=True,
            env=env_for(home),
            cwd=str(ROOT),
        )
        assert self.proc.stdout is not None
        self.lines = Lines(self.proc.stdout)

    def close(self) -> None:
        """Stop it."""
        self.proc.terminate()
        self.proc.wait(WAIT)
