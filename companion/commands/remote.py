"""`companion note`, `pause`, `resume`, `end` and `status`: reach a running practice from outside."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from companion.commands import Context

POLL_SECONDS = 0.25  # how often `status --follow` asks; it prints only when the line changes
LOOK_EVERY = 8  # polls between looks for a newer practice (without --pid the newest answers)

STATUS_EPILOG = """\
fields for --format: {title} {id} {pid} {segment} {segment_index} {segments} {phase} {what}
  {phase_left} {left} {elapsed} {notes} {paused} {state}
--follow prints a line only when it would read differently: with the default line or with
fields such as {phase} {segment} {notes}, once per phase, segment, note or pause; with
{left}, {phase_left} or {elapsed}, once a second.

examples:
  companion status                               what is running now
  companion status --follow --idle ''            for tmux's status-right or i3blocks
  companion status --follow --format '{what} {left}'
  companion status --follow --json               one JSON object per line (waybar)"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add note, pause, resume, end and status."""
    pid_help = "the practice running as this process id (default: the newest)"

    p = sub.add_parser(
        "note",
        help="note to the running practice, as if its key were pressed (e.g. thinking, or t)",
    )
    p.add_argument("label", metavar="LABEL", help="a noting label such as thinking, or its key")
    p.add_argument("--pid", type=int, help=pid_help)
    p.set_defaults(func=cmd_note)

    for name, what in (
        ("pause", "pause the running practice (as space does)"),
        ("resume", "resume a paused practice"),
        ("end", "end the running practice early (as escape does); it is kept in the journal"),
    ):
        p = sub.add_parser(name, help=what)
        p.add_argument("--pid", type=int, help=pid_help)
        p.set_defaults(func=cmd_control, op=name)

    p = sub.add_parser(
        "status",
        help="the running practice: segment, phase, time left, notes (exit 1: not practising)",
        epilog=STATUS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--json", action="store_true", help="print JSON (one object per line with --follow)"
    )
    p.add_argument(
        "--follow", action="store_true", help="keep running; print a line each time it changes"
    )
    p.add_argument("--format", metavar="FMT", help="one line from fields, e.g. '{what} {left}'")
    p.add_argument(
        "--idle",
        metavar="TEXT",
        default="not practising",
        help="with --follow: the line while nothing runs (default: 'not practising')",
    )
    p.add_argument("--pid", type=int, help=pid_help)
    p.set_defaults(func=cmd_status)


def _ask(args: argparse.Namespace, ctx: Context, op: str, **fields: Any) -> tuple[int, Any]:
    """(pid, result) from the chosen practice, or (exit code, None) after saying why not."""
    from companion.remote import NotPractising, RemoteError, Unavailable, connect

    try:
        with connect(ctx.paths.runtime_dir, args.pid) as conn:
            return conn.endpoint.pid, conn.ask(op, **fields)
    except NotPractising as exc:
        text = str(exc)
        if text == "not practising":
            text = "Not practising: no practice is running. `companion run PRACTICE` starts one."
        print(text, file=ctx.err)
    except (Unavailable, RemoteError) as exc:
        print(str(exc), file=ctx.err)
    return 1, None


def cmd_note(args: argparse.Namespace, ctx: Context) -> int:
    """Take a note in the running practice."""
    from companion.remote.protocol import reply_from_dict

    code, result = _ask(args, ctx, "note", label=args.label)
    if result is None:
        return code
    reply = reply_from_dict(result)
    if not reply.taken:
        valid = ", ".join(f"{label} ({key})" for key, label in reply.labels)
        print(
            f"{args.label!r} is not a noting label in this practice. Labels here: "
            f"{valid or 'none'}.",
            file=ctx.err,
        )
        return 2
    count = f"{reply.count} note" + ("" if reply.count == 1 else "s")
    print(f"Noted: {reply.label} ({count} so far).", file=ctx.out)
    return 0


def cmd_control(args: argparse.Namespace, ctx: Context) -> int:
    """Pause, resume or end the running practice."""
    from companion.practice.durations import clock_text
    from companion.remote.protocol import snapshot_from_dict

    code, result = _ask(args, ctx, args.op)
    if result is None:
        return code
    snap = snapshot_from_dict(result)
    at = clock_text(snap.elapsed)
    if args.op == "pause":
        text = f"Paused {snap.title} at {at}. `companion resume` carries on."
    elif args.op == "resume":
        text = f"Resumed {snap.title} at {at}."
    else:
        text = f"Ended {snap.title} after {at}."
    print(text, file=ctx.out)
    return 0


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    """Print the running practice once, or follow it."""
    from companion.remote import show
    from companion.remote.protocol import snapshot_from_dict

    if args.format is not None and (problem := show.check_format(args.format)):
        print(problem, file=ctx.err)
        return 2
    if args.follow:
        return _follow(args, ctx)
    pid, result = _ask_quietly(args, ctx)
    if result is None:
        if pid == 1:
            if args.json:
                print(json.dumps(show.idle_document()), file=ctx.out)
            else:
                print("not practising", file=ctx.out)
        return 1
    snap = snapshot_from_dict(result)
    if args.json:
        print(json.dumps(show.document(snap, pid, args.format), ensure_ascii=False), file=ctx.out)
    elif args.format is not None:
        print(show.line(snap, pid, args.format), file=ctx.out)
    else:
        print("\n".join(show.text_lines(snap, pid)), file=ctx.out)
    return 0


def _ask_quietly(args: argparse.Namespace, ctx: Context) -> tuple[int, Any]:
    """Like _ask for status: (pid, result); (1, None) not practising; (2, None) said why."""
    from companion.remote import NotPractising, RemoteError, Unavailable, connect

    try:
        with connect(ctx.paths.runtime_dir, args.pid) as conn:
            return conn.endpoint.pid, conn.ask("status")
    except NotPractising as exc:
        if args.pid is not None:
            print(str(exc), file=ctx.err)
        return 1, None
    except (Unavailable, RemoteError) as exc:
        print(str(exc), file=ctx.err)
        return 2, None


def _follow(args: argparse.Namespace, ctx: Context) -> int:
    """Print a line whenever the status would read differently; runs until interrupted."""
    from companion.remote import Connection, NotPractising, RemoteError, Unavailable, connect
    from companion.remote.client import running
    from companion.remote.protocol import snapshot_from_dict

    conn: Connection | None = None
    last: object = None
    seen = False
    polls = 0
    try:
        while True:
            snap = None
            polls += 1
            if conn is not None and args.pid is None and polls % LOOK_EVERY == 0:
                try:
                    newest = running(ctx.paths.runtime_dir)
                except Unavailable:
                    newest = []
                if newest and newest[0].pid != conn.endpoint.pid:
                    conn.close()
                    conn = None  # a practice started since: follow it instead
            if conn is None:
                try:
                    conn = connect(ctx.paths.runtime_dir, args.pid)
                except NotPractising:
                    conn = None
                except Unavailable as exc:
                    print(str(exc), file=ctx.err)
                    return 1
            if conn is not None:
                try:
                    snap = snapshot_from_dict(conn.ask("status"))
                except RemoteError:
                    conn.close()
                    conn = None  # it ended (or stalled): look again next time
            if snap is None or conn is None:
                if args.pid is not None and seen:
                    _emit_idle(args, ctx, last)
                    return 0
                last = _emit_idle(args, ctx, last)
            else:
                seen = True
                last = _emit(args, ctx, snap, conn.endpoint.pid, last)
            if _reader_gone(ctx.out):
                return 0  # the status bar that started us has gone: so do we
            time.sleep(POLL_SECONDS)
    finally:
        if conn is not None:
            conn.close()


def _reader_gone(out: Any) -> bool:
    """Whether nobody reads our output any more (a status bar restarted, tmux exited).

    A follower that prints only on change could otherwise wait forever for a write to fail.
    """
    import select

    try:
        fd = out.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    if not hasattr(select, "poll"):
        return False
    poller = select.poll()
    poller.register(fd, select.POLLERR | select.POLLHUP)  # a pipe's write end: reader closed
    return any(event & (select.POLLERR | select.POLLHUP) for _fd, event in poller.poll(0))


def _emit(args: argparse.Namespace, ctx: Context, snap: Any, pid: int, last: object) -> object:
    from companion.remote import show

    text = show.line(snap, pid, args.format)
    key: object = (show.visible(snap, pid), text) if args.json else text
    if key != last:
        out = (
            json.dumps(show.document(snap, pid, args.format), ensure_ascii=False)
            if args.json
            else text
        )
        print(out, file=ctx.out, flush=True)
    return key


def _emit_idle(args: argparse.Namespace, ctx: Context, last: object) -> object:
    from companion.remote import show

    key: object = ("idle", args.idle)
    if key != last:
        out = json.dumps(show.idle_document(args.idle)) if args.json else args.idle
        print(out, file=ctx.out, flush=True)
    return key
