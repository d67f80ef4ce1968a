"""A private tmux server with one pane, read and driven over a control-mode connection.

Why control mode: `tmux capture-pane` as a separate command costs a fork and exec, about
4 ms on this machine (more when it is busy), which would be the resolution of every
timing. A control-mode client (`tmux -C`) takes commands on stdin and answers in
%begin/%end blocks, about 0.15 ms a capture, so polling can be nearly continuous.

Each Tmux has its own socket and TMUX_TMPDIR, so it never touches anyone else's tmux.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from bench.measure import Capture

# status off: the pane gets all 40 rows; remain-on-exit: a crash leaves its traceback to read.
CONFIG = "set -g status off\nset -g remain-on-exit on\nset -g history-limit 0\n"
_names = itertools.count()


class TmuxError(RuntimeError):
    """tmux failed or the pane's program went away."""


class Tmux:
    """One tmux server, one session of width x height, one program in it."""

    def __init__(self, width: int = 120, height: int = 40) -> None:
        self.width = width
        self.height = height
        self.tmpdir = Path(tempfile.mkdtemp(prefix="bench-tmux-"))
        self.socket = f"bench-{os.getpid()}-{next(_names)}"
        (self.tmpdir / "tmux.conf").write_text(CONFIG, encoding="utf-8")
        # UTF-8 so braille cells come back as braille, not as underscores.
        self.env = {**os.environ, "TMUX_TMPDIR": str(self.tmpdir), "LANG": "C.UTF-8"}
        self.env.pop("TMUX", None)
        self._ctl: subprocess.Popen[bytes] | None = None

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self.tmpdir / "tmux.conf"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise TmuxError(f"tmux {args[0]}: {result.stderr.strip()}")
        return result.stdout

    def start(
        self, argv: list[str], env: Mapping[str, str], start_file: Path | None = None
    ) -> None:
        """Run argv in the pane with env added; with start_file, the wall time (seconds) just
        before the program is exec'd is written there, so start-up is timed from that moment."""
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        program = " ".join(shlex.quote(a) for a in argv)
        stamp = f"date +%s.%N > {shlex.quote(str(start_file))}; " if start_file else ""
        # exec: the pane's pid is then the program's pid, which /proc is read for.
        command = f"{stamp}exec env {assignments} {program}"
        self._tmux(
            "new-session", "-d", "-s", "main", "-x", str(self.width), "-y", str(self.height),
            command,
        )  # fmt: skip
        self._ctl = subprocess.Popen(
            ["tmux", "-L", self.socket, "-C", "attach-session", "-t", "main"],
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )
        # The attach itself answers with one %begin/%end block; commands sent before it has
        # arrived are refused ("no current client") and every later answer would be one off.
        self._answer("attach-session")
        # The control client must not be sent the pane's output, only answers to commands.
        self.command("refresh-client -f no-output")
        size = self.command("display-message -p -t main '#{pane_width}x#{pane_height}'")[0]
        if size != f"{self.width}x{self.height}":
            raise TmuxError(f"the pane is {size}, not {self.width}x{self.height}")

    def command(self, line: str) -> list[str]:
        """Send one tmux command over the control connection; its output lines."""
        ctl = self._ctl
        if ctl is None or ctl.stdin is None:
            raise TmuxError("tmux is not running")
        ctl.stdin.write(line.encode() + b"\n")
        return self._answer(line)

    def _answer(self, line: str) -> list[str]:
        """Read the next %begin ... %end block from the control connection."""
        ctl = self._ctl
        if ctl is None or ctl.stdout is None:
            raise TmuxError("tmux is not running")
        out: list[str] = []
        inside = False
        while True:
            raw = ctl.stdout.readline()
            if not raw:
                raise TmuxError("the tmux control connection closed")
            text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if text.startswith("%begin"):
                inside, out = True, []
            elif text.startswith(("%end", "%error")) and inside:
                if text.startswith("%error"):
                    raise TmuxError(f"tmux {line!r}: {' '.join(out)}")
                return out
            elif text.startswith("%exit"):
                raise TmuxError("the tmux session ended")
            elif inside:
                out.append(text)

    def capture(self) -> Capture:
        """The pane's text now, with the wall-clock interval the snapshot was taken in."""
        start = time.time()
        lines = self.command("capture-pane -p -t main")
        return Capture(start, time.time(), "\n".join(lines))

    def send_keys(self, *keys: str) -> None:
        """Press keys in the pane (tmux key names: Space, Escape, or plain characters)."""
        self.command("send-keys -t main " + " ".join(shlex.quote(k) for k in keys))

    def pane_pid(self) -> int:
        """The pid of the program in the pane."""
        return int(self.command("display-message -p -t main '#{pane_pid}'")[0])

    def pane_dead(self) -> bool:
        """True once the program has exited (the pane stays to be read)."""
        return self.command("display-message -p -t main '#{pane_dead}'")[0] == "1"

    def wait_for(self, marker: str, timeout: float = 15.0, poll: float = 0.005) -> Capture:
        """Poll until marker is on screen; the capture that first showed it."""
        deadline = time.time() + timeout
        while True:
            cap = self.capture()
            if marker in cap.text:
                return cap
            if self.pane_dead():
                raise TmuxError("the program exited: " + _last_lines(cap.text))
            if cap.end > deadline:
                raise TmuxError(
                    f"{marker!r} did not appear in {timeout:g} s: {_last_lines(cap.text)}"
                )
            time.sleep(poll)

    def close(self) -> None:
        """Stop the control client, the program and the server; remove the temporary folder."""
        pid: int | None = None
        with contextlib.suppress(TmuxError, ValueError, IndexError):
            pid = self.pane_pid() if self._ctl is not None else None
        if self._ctl is not None:
            with contextlib.suppress(Exception):
                if self._ctl.stdin is not None:
                    self._ctl.stdin.close()
                self._ctl.wait(timeout=2)
            if self._ctl.poll() is None:
                self._ctl.kill()
            self._ctl = None
        with contextlib.suppress(TmuxError):
            self._tmux("kill-server")
        if pid is not None:
            _reap(pid)
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    def __enter__(self) -> Tmux:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _reap(pid: int, grace: float = 1.0) -> None:
    """Make sure the pane's program has gone. It gets SIGHUP with the server, but a Textual
    app hit by SIGHUP while writing a frame can deadlock in its shutdown (the main thread in
    WriterThread.stop waiting on the writer queue; seen about once in three first-frame
    launches, and it then ignores SIGTERM), so after a grace period it is killed by its pid."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists() or _zombie(pid):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


def _zombie(pid: int) -> bool:
    """True when the process has exited and only waits for its parent to collect it."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def _last_lines(text: str, n: int = 3) -> str:
    """The last few non-blank lines of a screen, for an error message."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " / ".join(lines[-n:]) or "(blank screen)"
