"""`companion run` (the practice screen, or plain timestamped lines) and opening the app."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import os
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING

from companion.commands import Context, find_practice
from companion.engine.clock import MonotonicClock
from companion.engine.rescale import rescale
from companion.practice.durations import clock_text
from companion.practice.model import Practice
from companion.system import is_hangup, stop_signals

if TYPE_CHECKING:  # named only: `companion list` and friends must not load them
    from companion.sound.player import Player
    from companion.ui.app import CompanionApp


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add run."""
    p = sub.add_parser("run", help="start a practice (in the app, or --plain as text lines)")
    p.add_argument("practice", metavar="PRACTICE", help="a practice id or a path to a .toml file")
    p.add_argument(
        "--minutes",
        type=_minutes,
        metavar="N",
        help="fit the practice to N minutes (breath keeps its pace)",
    )
    p.add_argument(
        "--plain",
        action="store_true",
        help="no TUI: print each cue, phase, region, phrase and bell as it happens",
    )
    p.add_argument("--no-sound", action="store_true", help="no bells or chimes")
    p.add_argument(
        "--reduce-motion",
        action="store_true",
        help="no growing shapes: still figures and bars (TEXTUAL_ANIMATIONS=none or basic "
        "does the same)",
    )
    p.set_defaults(func=cmd_run)


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--minutes takes a number of minutes (got {text!r})"
        ) from None
    if not 0.5 <= value <= 720:
        raise argparse.ArgumentTypeError(f"--minutes must be between 0.5 and 720 (got {text})")
    return value


def load_for_run(name: str, ctx: Context, minutes: float | None) -> Practice | None:
    """Find and (optionally) rescale a practice; prints a clear message and returns None if not."""
    practice = find_practice(ctx, name)
    if practice is None:
        return None
    if minutes is not None:
        practice = rescale(practice, minutes * 60.0)
    return practice


def cmd_run(args: argparse.Namespace, ctx: Context) -> int:
    """Run a practice."""
    practice = load_for_run(args.practice, ctx, args.minutes)
    if practice is None:
        return 1
    if args.plain:
        return run_plain_command(practice, ctx, sound=not args.no_sound)
    return open_app(args, ctx, practice=practice)


class _Stop(Exception):
    """SIGTERM or SIGHUP arrived: end the plain practice cleanly."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def run_plain_command(practice: Practice, ctx: Context, *, sound: bool) -> int:
    """The plain runner with the real clock, real sleep and (if possible) real bells."""
    from companion.journal import open_journal
    from companion.plain import play_sitting
    from companion.sitting import Sitting, SittingEvent

    player: Player | None = None
    if sound:
        from companion.sound import make_player

        player = make_player(ctx.paths)
        # The mixer opens in the background; wait for it so the first strike is on time
        # and a device that fails late still gets its one-line notice.
        player.wait_ready(2.0)
        if player.notice:
            print(player.notice, file=ctx.err)
    journal = open_journal(ctx.paths)
    if journal.notice and journal.usable:
        print(journal.notice, file=ctx.err)  # e.g. a damaged journal was moved aside
    sitting = Sitting(practice, MonotonicClock())

    def tell(event: SittingEvent) -> None:
        # Said once, whenever it happens: this practice will not be remembered.
        if event.kind == "journal":
            print(event.notice, file=ctx.err, flush=True)

    sitting.listen(tell)
    previous = {s: signal.signal(s, _raise_stop) for s in stop_signals()}
    try:
        # No player for the sitting: the runner rings each bell as it prints its line.
        sitting.begin(recorder=journal.recorder())
        play_sitting(
            sitting,
            time.sleep,
            ctx.out,
            play=(lambda name, role: player.play(name, role=role)) if player is not None else None,
        )
        outcome = sitting.end(completed=True)
        if player is not None:
            # Let the last strike ring out before the process (and the mixer) goes away.
            ring_out = sitting.session.practice_time_to_clock(sitting.timeline.last_sound_time())
            time.sleep(min(8.0, max(0.0, ring_out + 6.0 - sitting.clock.now())))
        print(
            f"Practised {clock_text(outcome.practised)}. Well done for taking the time.",
            file=ctx.out,
        )
        return 0
    except (KeyboardInterrupt, _Stop):
        outcome = sitting.end(completed=False)
        print(
            f"\nEnded early after {clock_text(outcome.practised)}. That still counts.", file=ctx.out
        )
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if player is not None:
            player.close()


def open_app(args: argparse.Namespace, ctx: Context, practice: Practice | None = None) -> int:
    """Open the Textual app (home screen, or straight into a practice)."""
    from companion.ui.app import make_app

    app = make_app(
        paths=ctx.paths,
        practice=practice,
        no_sound=bool(getattr(args, "no_sound", False)),
        reduce_motion=bool(getattr(args, "reduce_motion", False)),
    )
    previous = {s: signal.signal(s, _app_stopper(app)) for s in stop_signals()}
    try:
        app.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
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
