"""Breathing while a command runs: `companion run PRACTICE --until "CMD ..."`.

The command starts in the background, in a session of its own (so Ctrl+C in the practice's
terminal never reaches it), with no input and its output going to a log file, never over
the practice. The practice runs until the command finishes: an open practice runs on, and
a practice with a length is repeated (`rounds`), its last segment left open. When the
command ends, the owner rings the end bell and ends the sitting as completed; the result
says how the command ended and how long it ran.

Pure: imports neither textual nor pygame. The TUI and the plain runner are thin callers: they
start an `UntilCommand`, hand `watch` a way to reach their own thread, and show `describe`.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from companion.practice.durations import clock_text
from companion.practice.model import Practice

ROUNDS_HOURS = 12.0  # a practice with a length is repeated to cover this long
MAX_SEGMENTS = 400  # ...or this many segments, whichever comes first; then its end runs on
STOP_GRACE = 3.0  # seconds between asking the command to stop (SIGTERM) and insisting


class UntilError(Exception):
    """The command could not be started; the message says why and what to do."""


@dataclass(frozen=True)
class UntilResult:
    """How the command stands: its exit status (None while it runs) and how long it ran."""

    command: str
    pid: int
    log: Path
    seconds: float
    code: int | None  # the exit status; negative: ended by that signal; None: still running
    stopped: bool = False  # companion stopped it (the user said so)

    @property
    def running(self) -> bool:
        """True while the command has not finished."""
        return self.code is None


def shell_argv(command: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """The command as the user's shell (`$SHELL -c`, else /bin/sh) would run it typed."""
    env = os.environ if environ is None else environ
    shell = env.get("SHELL") or "/bin/sh"
    return [shell, "-c", command]


def rounds(practice: Practice) -> Practice:
    """The practice repeated until the command ends: open already, or rounds with an open end."""
    segments = practice.segments
    if any(s.is_open for s in segments):
        return practice
    total = sum(s.duration or 0.0 for s in segments)
    if not segments or total <= 0:
        return practice
    count = max(1, math.ceil(ROUNDS_HOURS * 3600.0 / total))
    count = max(1, min(count, MAX_SEGMENTS // len(segments)))
    repeated = list(segments) * count
    repeated[-1] = repeated[-1]._replace(duration=None)  # the end runs on until the command does
    return practice._replace(segments=tuple(repeated))


def log_path(folder: Path, now: datetime | None = None) -> Path:
    """A new log file's name: until-YYYYmmdd-HHMMSS.log (with -2, -3... if taken)."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = folder / f"until-{stamp}.log"
    n = 2
    while path.exists():
        path = folder / f"until-{stamp}-{n}.log"
        n += 1
    return path


class UntilCommand:
    """One background command: `start()`, then `watch()` for its end, or `stop()` it."""

    def __init__(
        self,
        command: str,
        log_folder: Path,
        *,
        argv: list[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.command = command
        self.argv = argv if argv is not None else shell_argv(command)
        self.log_folder = log_folder
        self.log = log_folder / "until.log"  # the real name is chosen by start()
        self._clock = clock
        self._proc: subprocess.Popen[bytes] | None = None
        self._began = 0.0
        self._ended: float | None = None
        self._stopped = False
        self._prepared = False
        self._lock = threading.Lock()

    def prepare(self) -> None:
        """Find the shell and make the log file now: a problem is said before the practice.

        UntilError (in plain words) when either cannot be had.
        """
        if self._prepared:
            return
        shell = self.argv[0]
        if shutil.which(shell) is None:
            raise UntilError(
                f"cannot start {shell} to run the command (not found, or not executable); "
                "set SHELL to a shell that exists"
            )
        try:
            self.log_folder.mkdir(parents=True, exist_ok=True)
            self.log = log_path(self.log_folder)
            with open(self.log, "xb") as out:
                started = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z")
                out.write(f"# companion run --until, {started}\n$ {self.command}\n".encode())
        except OSError as exc:
            raise UntilError(
                f"cannot write the command's log in {self.log_folder} "
                f"({exc.strerror or exc}); `companion paths` shows where it goes"
            ) from None
        self._prepared = True

    def start(self) -> None:
        """Start the command in the background (when the practice begins, so the two line up).

        UntilError (in plain words) when it cannot be started.
        """
        self.prepare()
        try:
            with open(self.log, "ab") as out:
                self._proc = subprocess.Popen(
                    self.argv,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # Ctrl+C in our terminal is for the practice
                )
        except OSError as exc:
            raise UntilError(
                f"cannot start {self.argv[0]} to run the command ({exc.strerror or exc}); "
                "set SHELL to a shell that exists"
            ) from None
        self._began = self._clock()

    @property
    def pid(self) -> int:
        """The command's process id (0 before start)."""
        return self._proc.pid if self._proc is not None else 0

    def poll(self) -> UntilResult:
        """How the command stands now (never waits)."""
        proc = self._proc
        if proc is not None and proc.poll() is not None:
            self._mark_ended()
        return self._result()

    def _mark_ended(self) -> None:
        with self._lock:
            if self._ended is None:
                self._ended = self._clock()

    def _result(self) -> UntilResult:
        proc = self._proc
        code = proc.returncode if proc is not None else None
        end = self._ended if self._ended is not None else self._clock()
        return UntilResult(
            self.command, self.pid, self.log, max(0.0, end - self._began), code, self._stopped
        )

    def watch(self, done: Callable[[UntilResult], None]) -> None:
        """Call `done(result)` once, from a background thread, when the command finishes.

        `done` must hand the work to the owner's thread (app.call_from_thread, a JobQueue).
        """
        proc = self._proc
        if proc is None:
            return

        def wait() -> None:
            proc.wait()
            self._mark_ended()
            done(self._result())

        threading.Thread(target=wait, name="companion-until", daemon=True).start()

    def stop(self, grace: float = STOP_GRACE) -> UntilResult:
        """Stop the command and everything it started: SIGTERM, then SIGKILL after `grace`."""
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return self.poll()
        self._stopped = True
        kill = getattr(signal, "SIGKILL", signal.SIGTERM)  # Windows has no SIGKILL
        for sig, wait in ((signal.SIGTERM, grace), (kill, grace)):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if hasattr(os, "killpg"):
                    os.killpg(proc.pid, sig)  # its own session: the group is the command's
                else:  # no process groups (Windows): the command itself
                    proc.send_signal(sig)
            try:
                proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        return self.poll()


def describe(result: UntilResult) -> str:
    """One line: how the command ended (or that it runs on) and how long it ran."""
    name = f"`{result.command}`"
    ran = clock_text(round(result.seconds))  # `sleep 6` ran 00:06, not 00:05
    if result.pid == 0:
        return f"{name} was not started (the practice ended before it began)."
    if result.code is None:
        return f"{name} is still running (process {result.pid}); its output goes to {result.log}"
    if result.stopped:
        return f"{name} was stopped after {ran}."
    if result.code < 0:
        try:
            how = signal.Signals(-result.code).name
        except ValueError:
            how = f"signal {-result.code}"
        return f"{name} ended by {how} after {ran}."
    return f"{name} finished: exit {result.code} after {ran}."


def result_line(result: UntilResult) -> str:
    """`describe`, and where the output went once the command has finished."""
    return describe(result) + ("" if result.running else f" Its output: {result.log}")
