"""`companion run` (the practice screen, or plain timestamped lines) and opening the app."""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING

from companion.commands import Context, find_practice
from companion.commands.ear_flags import add_ear_flags, apply_ear_flags
from companion.commands.opening import open_app
from companion.config import load_config
from companion.engine.clock import MonotonicClock
from companion.engine.rescale import RescaleError, rescale
from companion.practice.durations import clock_text
from companion.practice.model import Practice
from companion.system import stop_signals

if TYPE_CHECKING:  # named only: `companion list` and friends must not load them
    from companion.plain_outside import PlainOutside
    from companion.sound.player import Player
    from companion.until import UntilCommand


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
    add_ear_flags(p)  # --background NAME, --eyes-closed
    p.add_argument(
        "--reduce-motion",
        action="store_true",
        help="no growing shapes: still figures and bars (TEXTUAL_ANIMATIONS=none or basic "
        "does the same)",
    )
    p.add_argument(
        "--until",
        metavar="CMD",
        help="run CMD (one string, given to your $SHELL with -c) in the background and "
        "practise until it finishes (a practice with a length repeats); its output goes to a "
        "log file named on screen; then its exit status and how long it ran are shown. "
        "Ending the practice first (Ctrl+C, escape) asks before stopping CMD",
    )
    p.add_argument(
        "--title",
        action="store_true",
        help="with --plain: show the phase and time left in the terminal's title "
        "(the app does this unless the window_title setting is off)",
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
        try:
            practice = rescale(practice, minutes * 60.0)
        except RescaleError as exc:
            print(f"{practice.id}: {exc}", file=ctx.err)
            return None
    return practice


def cmd_run(args: argparse.Namespace, ctx: Context) -> int:
    """Run a practice."""
    practice = load_for_run(args.practice, ctx, args.minutes)
    if practice is not None:
        practice = apply_ear_flags(practice, args, ctx)
    if practice is None:
        return 1
    return run_loaded(practice, args, ctx)


def run_loaded(practice: Practice, args: argparse.Namespace, ctx: Context) -> int:
    """Run a practice already found (`run`, `timer`): --until, then --plain or the app."""
    until = None
    if args.until is not None:
        # --until: the practice repeats until the command ends (companion.until)
        from companion.until import UntilCommand, UntilError, rounds

        if not args.until.strip():
            print("--until needs a command, for example --until 'make test'", file=ctx.err)
            return 2
        until = UntilCommand(args.until, ctx.paths.logs_dir)
        try:
            until.prepare()  # it starts with the practice's first moment
        except UntilError as exc:
            print(str(exc), file=ctx.err)
            return 1
    if args.plain:
        return run_plain_command(
            rounds(practice) if until is not None else practice,
            ctx,
            sound=not args.no_sound,
            title=args.title,
            until=until,
        )
    code = open_app(args, ctx, practice=practice, until=until)  # (the app repeats it itself)
    if until is not None:
        from companion.until import result_line

        # Said again on the terminal the app gave back: it may still run, or have ended since.
        print(result_line(until.poll()), file=ctx.out)
    return code


class _Stop(Exception):
    """SIGTERM or SIGHUP arrived: end the plain practice cleanly."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def run_plain_command(
    practice: Practice,
    ctx: Context,
    *,
    sound: bool,
    title: bool = False,
    until: UntilCommand | None = None,
) -> int:
    """The plain runner with the real clock, real sleep and (if possible) real bells."""
    from companion.journal import open_journal
    from companion.plain import play_sitting
    from companion.plain_outside import PlainOutside
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
    if player is not None:  # the soundscape, tones and voice, as in the app
        from companion.eyes_closed import accompany

        _, notice = accompany(sitting, player, load_config(ctx.paths)[0], ctx.paths)
        if notice:
            print(notice, file=ctx.err)
    ring = (lambda name, role: player.play(name, role=role)) if player is not None else None
    # Notes and pause from other terminals, the window title, --until (companion.plain_outside)
    outside = PlainOutside(
        sitting, ctx.out, ctx.err, runtime_dir=ctx.paths.runtime_dir, title=title,
        until=until, ring=ring, nap=time.sleep,
    )  # fmt: skip
    previous = {s: signal.signal(s, _raise_stop) for s in stop_signals()}
    try:
        # No player for the sitting: the runner rings each bell as it prints its line.
        sitting.begin(recorder=journal.recorder())
        outside.start()
        play_sitting(
            sitting,
            outside.sleep,
            ctx.out,
            play=ring,
            shown=outside.shown,
            wait_key=enter_on_stdin(),
        )
        outcome = sitting.end(completed=True)
        outside.close()
        if outcome.completed:
            print(
                f"Practised {clock_text(outcome.practised)}. Well done for taking the time.",
                file=ctx.out,
                flush=True,
            )
        else:  # ended from another terminal (`companion end`)
            print(
                f"Ended early after {clock_text(outcome.practised)}. That still counts.",
                file=ctx.out,
                flush=True,
            )
        _say_command(outside, ctx)
        if player is not None and outcome.completed:
            # Let the last strike ring out before the process (and the mixer) goes away.
            last = sitting.timeline.last_sound_time()
            ring_out = (
                sitting.session.practice_time_to_clock(last)
                if not math.isinf(last)
                else sitting.clock.now()  # --until: the end bell rang just now
            )
            time.sleep(min(8.0, max(0.0, ring_out + 6.0 - sitting.clock.now())))
        return 0
    except (KeyboardInterrupt, _Stop):
        outcome = sitting.end(completed=False)
        outside.close()
        print(
            f"\nEnded early after {clock_text(outcome.practised)}. That still counts.",
            file=ctx.out,
            flush=True,
        )
        _say_command(outside, ctx)
        return 0
    finally:
        outside.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sitting.stop_bells()
        if player is not None:
            player.close()


def _say_command(outside: PlainOutside, ctx: Context) -> None:
    """--until: the command's result as the last line (asking first if it still runs)."""
    line = outside.settle_command()
    if line is not None:
        print(line, file=ctx.out, flush=True)


def enter_on_stdin() -> Callable[[float], bool] | None:
    """A wait for Enter on stdin when it is a terminal (a hold's continue key), else None.

    The terminal stays in its ordinary line mode: Enter makes a line readable, which
    select() sees; what was typed is read and dropped. Lines typed before a hold began
    (while breathing) are dropped when it begins, so only a fresh Enter ends it: within a
    hold the runner asks again at once, so a pause between asks means a new hold.
    """
    import select

    stdin = sys.stdin
    try:
        if stdin is None or not stdin.isatty():
            return None
        fd = stdin.fileno()
    except (OSError, ValueError):
        return None
    closed = False
    last = -math.inf

    def ready(seconds: float) -> bool:
        found, _, _ = select.select([fd], [], [], max(0.0, seconds))
        return bool(found)

    def wait(seconds: float) -> bool:
        nonlocal closed, last
        if not closed:
            try:
                if time.monotonic() - last > NEW_HOLD_GAP:
                    while ready(0.0):  # typed before this hold began
                        if not os.read(fd, 4096):
                            raise EOFError
                if ready(seconds):
                    if os.read(fd, 4096):
                        return True
                    raise EOFError
                return False
            except (OSError, ValueError, EOFError):
                closed = True  # end of input (Ctrl+D) or an error: holds now run to their max
            finally:
                last = time.monotonic()
        time.sleep(max(0.0, seconds))
        return False

    return wait


NEW_HOLD_GAP = 0.5  # seconds between two asks that mean the runner has left the hold
