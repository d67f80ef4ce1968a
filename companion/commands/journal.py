"""`companion history`, `companion stats`, `companion export` and `companion import`."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from companion.commands import Context
from companion.practice.durations import clock_text

# The journal is imported inside the commands: every `companion` start registers these
# subcommands, and only these four need SQLite.
if TYPE_CHECKING:
    from companion.journal import Journal, JournalError, RunRow, Stats


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add history, stats, export and import."""
    p = sub.add_parser("history", help="the practices you have done, newest first")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV (one row a practice)")
    p.add_argument("--limit", type=_count, metavar="N", help="only the latest N practices")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("stats", help="days, minutes, what you note most, check-ins, courses")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--streak", action="store_true", help="also count the days in a row")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("export", help="write the whole journal to a JSON file")
    p.add_argument("file", metavar="FILE", help="where to write (use - for the screen)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import", help="add the practices in an exported JSON file (twice adds nothing twice)"
    )
    p.add_argument("file", metavar="FILE", help="a file written by `companion export`")
    p.set_defaults(func=cmd_import)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--limit takes a whole number (got {text!r})") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"--limit must be 1 or more (got {text})")
    return value


def _journal(ctx: Context) -> Journal:
    from companion.journal import open_journal

    journal = open_journal(ctx.paths)
    if journal.notice:
        print(journal.notice, file=ctx.err)
    return journal


def _problem(exc: JournalError, ctx: Context) -> int:
    print(f"The journal cannot be read: {exc.reason} ({exc.path}).", file=ctx.err)
    return 1


def _name_bad_rows(journal: Journal, ctx: Context) -> None:
    """One line on stderr for each row edited into nonsense (left out of what was shown)."""
    from companion.journal.sanity import bad_rows

    with journal.read() as db:
        lines = bad_rows(db)
    for line in lines:
        print(line, file=ctx.err)
    if lines:
        print(
            f"Those rows of {journal.path} were skipped; the file is unchanged. "
            "`companion export` shows every field.",
            file=ctx.err,
        )


def _minutes(seconds: float | None) -> str:
    return "open" if seconds is None else clock_text(seconds)


def cmd_history(args: argparse.Namespace, ctx: Context) -> int:
    """List runs, newest first."""
    from companion.journal import JournalError

    try:
        journal = _journal(ctx)
        runs = journal.runs(args.limit)
        _name_bad_rows(journal, ctx)
    except JournalError as exc:
        return _problem(exc, ctx)
    if args.json:
        print(json.dumps([r.to_dict() for r in runs], indent=2, ensure_ascii=False), file=ctx.out)
        return 0
    if args.csv:
        import csv

        writer = csv.writer(ctx.out)
        writer.writerow(
            ["date", "started_at", "practice", "title", "planned", "practised", "status",
             "course", "day", "notes", "labels"]
        )  # fmt: skip
        for r in runs:
            writer.writerow(
                [r.local_date, r.started_at, r.practice_id, r.title,
                 "" if r.planned is None else round(r.planned), round(r.practised), r.status,
                 r.course or "", "" if r.day is None else r.day, r.note_count,
                 "; ".join(f"{k} {v}" for k, v in r.labels.items())]
            )  # fmt: skip
        return 0
    if not runs:
        print("Nothing recorded yet. Practices you do are remembered here.", file=ctx.out)
        return 0
    for r in runs:
        print(_history_line(r), file=ctx.out)
    return 0


def _history_line(r: RunRow) -> str:
    from companion.engine.notes import label_count
    status = {"running": "in progress"}.get(r.status, r.status)
    course = f"  [{r.course} day {r.day}]" if r.course and r.day else ""
    line = (
        f"{r.local_date or r.started_at[:10]}  {r.title}{course}  "
        f"{clock_text(r.practised)} of {_minutes(r.planned)}  {status}"
    )
    if r.labels:
        line += "  notes: " + ", ".join(label_count(k, v) for k, v in r.labels.items())
    if r.holds:
        line += "  holds: " + ", ".join(clock_text(h) for h in r.holds)
    return line


def cmd_stats(args: argparse.Namespace, ctx: Context) -> int:
    """Print the figures of the History screen."""
    from companion.journal import JournalError

    try:
        journal = _journal(ctx)
        stats = journal.stats(streak=args.streak)
        _name_bad_rows(journal, ctx)
    except JournalError as exc:
        return _problem(exc, ctx)
    if args.json:
        print(json.dumps(stats.to_dict(), indent=2, ensure_ascii=False), file=ctx.out)
    else:
        print(stats_text(stats), file=ctx.out)
    return 0


def stats_text(s: Stats) -> str:
    """The figures as a few short, gentle paragraphs."""
    from companion.engine.notes import label_count
    if s.empty:
        return "Nothing recorded yet. Practices you do are remembered here."
    out = [
        f"{_days(s.days_this_week)} this week, {_days(s.days_this_month)} this month.",
        f"{_count_of(s.runs, 'practice')}, {_mins(s.total_minutes)} in all, on {_days(s.days_practised)}.",
    ]
    if s.streak:
        out.append(f"{_days(s.streak)} in a row.")
    out.append("")
    out.append("Minutes a week (last 12 weeks):")
    top = max((m for _, m in s.weekly_minutes), default=0.0) or 1.0
    for week, minutes in s.weekly_minutes:
        bar = "█" * round(20 * minutes / top)
        shown = "<1" if 0 < minutes < 1 else f"{minutes:.0f}"
        out.append(f"  {week:%d %b}  {bar:<20} {shown}")
    if s.top_practices:
        out += ["", "Done most:"]
        out += [
            f"  {p.title}: {_count_of(p.runs, 'time')}, {_mins(p.minutes)}" for p in s.top_practices
        ]
    if s.labels:
        out += ["", "What the mind brings most:"]
        out.append("  " + ", ".join(label_count(label, n) for label, n in s.labels[:8]))
        for month, labels in s.labels_by_month[-3:]:
            out.append(f"  {month}: " + ", ".join(label_count(label, n) for label, n in labels[:5]))
    if s.body_map:
        out += ["", "Where notes gathered in body scans:"]
        totals = sorted(s.region_totals().items(), key=lambda kv: (-kv[1], kv[0]))
        out.append("  " + ", ".join(f"{region} {n}" for region, n in totals[:10]))
    if s.checkin is not None:
        c = s.checkin
        out += ["", f"Check-ins ({c.runs}): arriving {c.before:.1f}, leaving {c.after:.1f} "
                    f"({c.change:+.1f} on a scale of 1 to 5)."]  # fmt: skip
    if s.courses:
        out += ["", "Courses:"]
        out += [f"  {c.course}: {_days(c.days_completed)} done, next is day {c.next_day}"
                for c in s.courses]  # fmt: skip
    return "\n".join(out)


def _count_of(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


def _mins(m: float) -> str:
    if 0 < m < 1:
        return "under a minute"
    return f"{m:.0f} minute" if round(m) == 1 else f"{m:.0f} minutes"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    """Write the whole journal as JSON."""
    from companion.journal import JournalError

    try:
        data = _journal(ctx).export()
    except JournalError as exc:
        return _problem(exc, ctx)
    # A value edited into raw bytes (SQLite keeps anything) is written as hex, not a traceback.
    text = json.dumps(data, indent=1, ensure_ascii=False, default=_plain) + "\n"
    if args.file == "-":
        ctx.out.write(text)
        return 0
    target = Path(args.file).expanduser()
    tmp = target.with_name(target.name + ".part")
    try:
        # Write beside and rename, so a full disk never leaves half a file under the real name.
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        print(
            f"{target}: cannot write the export ({exc.strerror}); choose another place.",
            file=ctx.err,
        )
        return 1
    runs = data["runs"]
    count = len(runs) if isinstance(runs, list) else 0
    print(f"Wrote {count} practices to {target}.", file=ctx.out)
    return 0


def _plain(value: object) -> str:
    """JSON for what json cannot write: bytes as hex, anything else as its text."""
    return value.hex() if isinstance(value, bytes) else str(value)


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    """Add the runs of an export that are not in the journal yet."""
    from companion.journal import JournalError
    from companion.journal.export import ImportProblem, import_journal, read_export

    try:
        # Checked whole before the journal is even opened: a bad file changes nothing.
        data = read_export(Path(args.file).expanduser())
        with _journal(ctx).read() as db:
            result = import_journal(db, data)
    except ImportProblem as exc:
        print(str(exc), file=ctx.err)
        return 1
    except JournalError as exc:
        return _problem(exc, ctx)
    if result.added == 0 and result.skipped:
        print(
            f"Nothing new: all {result.skipped} practices were already in the journal.",
            file=ctx.out,
        )
        return 0
    already = f"; {result.skipped} were already here" if result.skipped else ""
    print(
        f"Added {_count_of(result.added, 'practice')} with {_count_of(result.notes, 'note')}"
        f"{already}.",
        file=ctx.out,
    )
    return 0
