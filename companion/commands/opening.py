"""Opening the Textual app from the command line, and closing it well on a signal.

Its own module, light on imports: `companion` with no command comes through here, and what
`run` needs (the practice model, the engine, the loaders) is not needed before the home
screen's first frame (issue 18).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import gc
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING

from companion.commands import Context
from companion.system import is_hangup, stop_signals

if TYPE_CHECKING:
    from companion.practice.model import Practice
    from companion.ui.app import CompanionApp
    from companion.until import UntilCommand


def open_app(
    args: object,  # the parsed command line: its no_sound and reduce_motion, if any
    ctx: Context,
    practice: Practice | None = None,
    until: UntilCommand | None = None,
) -> int:
    """Open the Textual app (home screen, or straight into a practice)."""
    # Starting makes a few hundred thousand objects (Textual's modules, styles, widgets) and
    # next to no garbage, yet the cyclic collector walked them dozens of times before the
    # first frame: about a fifteenth of the wait (issue 18). It is off until the app has
    # drawn its first frame (CompanionApp._after_first_frame turns it back on).
    gc.disable()
    try:
        from companion.ui.app import make_app

        app = make_app(
            paths=ctx.paths,
            practice=practice,
            no_sound=bool(getattr(args, "no_sound", False)),
            reduce_motion=bool(getattr(args, "reduce_motion", False)),
            until=until,
        )
        previous = {s: signal.signal(s, _app_stopper(app)) for s in stop_signals()}
        try:
            app.run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    finally:
        gc.enable()  # whatever happened before the first frame
    return int(app.return_code or 0)


def _app_stopper(app: CompanionApp) -> Callable[[int, FrameType | None], None]:
    """A handler for SIGTERM and SIGHUP (a closed terminal) that quits the app as `q` does.

    Left to Python's default, these signals kill the process at once: the terminal stays in
    the alternate screen with the cursor hidden, and the journal's run is closed only by the
    next start. Quitting instead restores the terminal and records the run as ended early.
    The handler only schedules the exit on the app's loop, which is safe from a signal.

    After SIGHUP the terminal is gone and every write to it fails. Textual's output thread
    dies on the first failed write, and its shutdown then waits for ever on that thread's full
    queue: the process would linger after its window closed (and ignore SIGTERM). So when the
    terminal has hung up the output goes to /dev/null, where writes succeed (a SIGHUP sent to a
    live terminal restores it as SIGTERM does); and whatever the signal, if the app
    has still not ended LINGER seconds later (the journal is closed first, in the unmount),
    the process ends there.
    """

    def stop(signum: int, frame: FrameType | None) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # Not yet (or no longer) running: nothing to restore, so end as the signal asks.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if is_hangup(signum) and _hung_up():
            _away_from_the_terminal()
        _end_after(LINGER, 128 + signum)
        loop.call_soon_threadsafe(app.exit)

    return stop


LINGER = 5.0  # seconds the app has to close after SIGTERM or SIGHUP before the process ends


def _hung_up(fd: int = 2) -> bool:
    """True when fd is a terminal that has hung up (its window closed): it answers EIO."""
    try:
        import termios
    except ImportError:  # Windows: no termios, and no SIGHUP to ask about
        return False
    try:
        termios.tcgetattr(fd)
    except termios.error as exc:
        return bool(exc.args) and exc.args[0] == errno.EIO
    return False


def _away_from_the_terminal() -> None:
    """Point stdout and stderr (where Textual draws) at /dev/null: the terminal has hung up."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    for fd in (1, 2):
        with contextlib.suppress(OSError):
            os.dup2(null, fd)
    os.close(null)


def _end_after(seconds: float, code: int) -> None:
    """End the process after `seconds` unless it has ended by then (set once)."""
    if any(t.name == "companion-last-resort" for t in threading.enumerate()):
        return
    timer = threading.Timer(seconds, os._exit, (code,))
    timer.name = "companion-last-resort"
    timer.daemon = True
    timer.start()
