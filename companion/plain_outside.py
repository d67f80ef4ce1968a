"""What a plain practice has beside its lines: outside control, the window title, --until.

`companion run --plain` builds one `PlainOutside` around its sitting. Every job from another
thread (a `companion note` from another terminal, the --until command finishing) is queued
and run on the runner's own thread while it waits (`sleep`), so the sitting is only ever
touched by one thread. Pure: imports neither textual nor pygame.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from companion.practice.durations import clock_text
from companion.remote.jobs import JobQueue
from companion.remote.server import Server
from companion.sitting import Sitting, SittingEvent
from companion.until import UntilCommand, UntilError, UntilResult, result_line
from companion.window_title import WindowTitle, stream_writer


class PlainOutside:
    """The socket, the title and the background command of one plain practice."""

    def __init__(
        self,
        sitting: Sitting,
        out: TextIO,
        err: TextIO,
        *,
        runtime_dir: Path,
        title: bool = False,
        until: UntilCommand | None = None,
        ring: Callable[[str, str], None] | None = None,
        nap: Callable[[float], None] = time.sleep,
    ) -> None:
        self.sitting = sitting
        self.nap = nap  # the runner's own sleep, when nothing from outside can wake it
        self.out = out
        self.err = err
        self.runtime_dir = runtime_dir
        self.until = until
        self.until_result: UntilResult | None = None
        self.ring = ring
        self.jobs = JobQueue()
        self.server: Server | None = None
        self.title: WindowTitle | None = None
        if title:
            stream = _terminal(out, err)
            if stream is not None:
                self.title = WindowTitle(stream_writer(stream))

    # -- the runner's hooks -------------------------------------------------------------------
    def sleep(self, seconds: float) -> None:
        """Wait, running jobs from other threads as they come (a pause or end wakes it)."""
        if (self.server is None or not self.server.listening) and self.until is None:
            self.nap(seconds)  # no socket and no command: nothing can send a job
            return
        self.jobs.wait(seconds, wake_on_job=True)

    def shown(self) -> None:
        """After each printed line: the window title follows the phase."""
        if self.title is not None:
            self.title.show(self.sitting.state(), self.sitting.practice.title, self.sitting.paused)

    def start(self) -> None:
        """Listen for other terminals and for the command's end (call after sitting.begin)."""
        from companion.remote.target import serve_sitting

        self.sitting.listen(self._on_sitting)
        self.server = serve_sitting(
            self.sitting,
            self.jobs.submit,
            self.runtime_dir,
            tell=lambda notice: print(notice, file=self.err, flush=True),
        )
        until = self.until
        if until is not None:
            try:
                until.start()  # now, with the practice's first moment, so the two line up
            except UntilError as exc:
                print(str(exc), file=self.err, flush=True)
                self.sitting.end(completed=False)
                return
            print(
                f"Practising until `{until.command}` finishes (process {until.pid}); "
                f"its output goes to {until.log}",
                file=self.out,
                flush=True,
            )
            until.watch(lambda result: self.jobs.submit(lambda: self._until_done(result)))
        self.shown()

    def _on_sitting(self, event: SittingEvent) -> None:
        stamp = f"[{clock_text(event.t)}]"
        if event.kind == "noted" and event.note is not None:
            count = len(self.sitting.notes)
            notes = f"{count} note" + ("" if count == 1 else "s")
            print(f"{stamp} noted: {event.note.label} ({notes} so far)", file=self.out, flush=True)
        elif event.kind == "paused":
            print(f"{stamp} paused; `companion resume` carries on", file=self.out, flush=True)
        elif event.kind == "resumed":
            print(f"{stamp} resumed", file=self.out, flush=True)
        if event.kind in ("paused", "resumed"):
            self.shown()

    def _until_done(self, result: UntilResult) -> None:
        """The command finished: ring the end bell and end the practice as completed."""
        self.until_result = result
        sitting = self.sitting
        if sitting.ended:
            return
        bell = sitting.practice.bells.end
        if self.ring is not None and bell != "none":
            self.ring(bell, "end")
        sitting.end(completed=True)

    # -- the end ------------------------------------------------------------------------------
    def close(self) -> None:
        """Give the terminal its title back and stop listening (answers in flight are sent)."""
        self.sitting.unlisten(self._on_sitting)
        server = self.server
        if server is not None:
            server.stop()
            server.wait_answered()
        if self.title is not None:
            self.title.restore()

    def settle_command(self, stdin: TextIO | None = None) -> str | None:
        """After the practice: the command's line; asks before stopping one still running.

        With a terminal to ask on, "Stop it? [y/N]"; without one the command is left running
        and the line says so. None when there is no command.
        """
        until = self.until
        if until is None:
            return None
        result = self.until_result or until.poll()
        if result.running:
            answer = _ask(
                f"`{until.command}` is still running. Stop it too? [y/N] ",
                stdin or sys.stdin,
                self.out,
            )
            if answer is not None and answer.strip().lower() in ("y", "yes"):
                result = until.stop()
        self.until_result = result
        return result_line(result)


def _terminal(out: TextIO, err: TextIO) -> TextIO | None:
    """The first of out and err that is a terminal (a title must not go into a pipe)."""
    for stream in (out, err):
        try:
            if stream.isatty():
                return stream
        except (AttributeError, ValueError, OSError):
            continue
    return None


def _ask(question: str, stdin: TextIO, out: TextIO) -> str | None:
    """One line of answer from a terminal; None when there is no terminal (or no answer)."""
    try:
        if not stdin.isatty():
            return None
        print(question, end="", file=out, flush=True)
        line = stdin.readline()
    except (OSError, ValueError, KeyboardInterrupt, EOFError):
        return None
    return line or None
