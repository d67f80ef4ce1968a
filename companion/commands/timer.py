"""`companion timer`: a quiet sitting on the fly (countdown, start bell, interval bells, end bell)."""

from __future__ import annotations

import argparse

from companion.commands import Context
from companion.commands.ear_flags import add_ear_flags, apply_ear_flags
from companion.practice.durations import DurationError, parse_duration


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add timer."""
    p = sub.add_parser(
        "timer",
        help="a quiet timer: start bell, interval bells, end bell (journalled as 'timer')",
        description="Sit with a timer: an optional countdown, a start bell, bells at an "
        "interval, and an end bell. It runs in the app (or --plain) and is kept in the "
        "journal as the practice 'timer'.",
    )
    p.add_argument(
        "minutes",
        nargs="?",
        default="10",
        metavar="MINUTES",
        help='how long, in minutes (default 10), or "open" to sit until you end it',
    )
    p.add_argument("--interval", metavar="TIME", help='a bell every TIME, like "5m" or "90s"')
    p.add_argument("--prepare", metavar="TIME", help='a quiet countdown first, like "10s"')
    p.add_argument("--bell", metavar="NAME", default="bowl", help="the bell (default bowl)")
    p.add_argument("--plain", action="store_true", help="no TUI: print each bell as it rings")
    p.add_argument("--no-sound", action="store_true", help="no bells")
    add_ear_flags(p)
    p.add_argument("--reduce-motion", action="store_true", help="still figures, no motion")
    p.add_argument(
        "--until",
        metavar="CMD",
        help="run CMD in the background and sit until it finishes (as `companion run --until`)",
    )
    p.add_argument(
        "--title", action="store_true", help="with --plain: the time left in the terminal's title"
    )
    p.set_defaults(func=cmd_timer)


def _seconds(text: str | None, flag: str, ctx: Context) -> tuple[bool, float | None]:
    """(ok, seconds) for a flag's time; says what is wrong when not ok."""
    if text is None:
        return True, None
    try:
        return True, parse_duration(text)
    except DurationError as exc:
        print(f"{flag}: {exc}", file=ctx.err)
        return False, None


def cmd_timer(args: argparse.Namespace, ctx: Context) -> int:
    """Build the timer and run it like `companion run`."""
    from companion.practice.suggest import suggest
    from companion.practice.timer import TimerChoice, TimerError, timer_practice
    from companion.sound.files import sound_names

    minutes: float | None
    if str(args.minutes).strip().lower() == "open":
        minutes = None
    else:
        try:
            minutes = float(args.minutes)
        except ValueError:
            print(
                f'timer: MINUTES is a number of minutes or "open" (got {args.minutes!r})',
                file=ctx.err,
            )
            return 2
    ok_interval, interval = _seconds(args.interval, "--interval", ctx)
    ok_prepare, prepare = _seconds(args.prepare, "--prepare", ctx)
    if not (ok_interval and ok_prepare):
        return 2
    known = sound_names(ctx.paths)
    if args.bell not in known:
        print(
            f"--bell: no sound called {args.bell!r}{suggest(args.bell, known)} "
            f"(sounds: {', '.join(sorted(known))})",
            file=ctx.err,
        )
        return 2
    choice = TimerChoice(minutes=minutes, interval=interval, prepare=prepare or 0.0, bell=args.bell)
    try:
        practice = timer_practice(choice)
    except TimerError as exc:
        print(f"timer: {exc}", file=ctx.err)
        return 2
    heard = apply_ear_flags(practice, args, ctx)
    if heard is None:
        return 2
    from companion.commands.run import run_loaded

    return run_loaded(heard, args, ctx)
