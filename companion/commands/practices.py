"""`companion list` (practices, then courses), `companion show` and `companion validate`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from companion.commands import Context, find_practice
from companion.commands.courses import bell_notes, course_problems, is_course, list_courses
from companion.library.library import Library
from companion.outline import outline, outline_text
from companion.paths import Paths
from companion.practice.durations import format_duration
from companion.practice.errors import PracticeError, Problem
from companion.practice.load import load_practice
from companion.practice.model import Practice
from companion.sound.files import sound_files, sound_problem, sound_uses
from companion.user_files import entry_problem, shown


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add list, show and validate."""
    p = sub.add_parser(
        "list", help="every practice (id, title, length, kinds, source), then every course"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument(
        "--courses",
        action="store_true",
        help="list only the courses (with --json: an array of courses, with their days)",
    )
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="the outline of a practice (segments, timings, bells)")
    p.add_argument("practice", metavar="PRACTICE", help="a practice id or a path to a .toml file")
    p.add_argument("--json", action="store_true", help="print the outline as JSON (stable format)")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser(
        "validate",
        help="check practice and course files; exit 0 when all are valid, else 1 with every "
        "problem",
    )
    p.add_argument(
        "paths",
        metavar="PATH",
        nargs="+",
        help="practice or course files (.toml); a course is a file in a courses/ folder or "
        "one made of [[day]] tables",
    )
    p.set_defaults(func=cmd_validate)


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    """Print every practice; broken files are listed with their errors."""
    library = Library.load(ctx.paths)
    entries = library.sorted()
    if getattr(args, "courses", False):
        return list_courses(library, ctx, as_json=args.json)
    if args.json:
        rows = []
        for e in entries:
            rows.append(
                {
                    "id": e.id,
                    "title": e.practice.title if e.practice else None,
                    "total": e.practice.total if e.practice else None,
                    "kinds": list(e.practice.kinds) if e.practice else [],
                    "source": e.source,
                    "path": shown(str(e.path)),
                    "errors": [str(p) for p in e.problems],
                }
            )
        print(json.dumps(rows, indent=2, ensure_ascii=False), file=ctx.out)
        for problem in library.folder_problems:
            print(problem, file=ctx.err)
        return 0
    for problem in library.folder_problems:  # an unreadable folder: said once, first
        print(problem, file=ctx.err)
    if not entries:
        print("No practices found.", file=ctx.out)
        return 0
    width = max(len(e.id) for e in entries)
    title_width = max((len(e.practice.title) for e in entries if e.practice), default=10)
    broken = 0
    for e in entries:
        source = e.source + (" (overrides bundled)" if e.overrides else "")
        if e.practice is None:
            broken += 1
            print(
                f"{e.id:<{width}}  {'(broken: see below)':<{title_width}}  {'':>7}  {'':<24}  {source}",
                file=ctx.out,
            )
            for problem in e.problems:
                print(f"{'':<{width}}    {problem}", file=ctx.out)
            continue
        total = e.practice.total
        length = format_duration(None if total is None else float(round(total)))
        kinds = ", ".join(e.practice.kinds)
        print(
            f"{e.id:<{width}}  {e.practice.title:<{title_width}}  {length:>7}  {kinds:<24}  {source}",
            file=ctx.out,
        )
    broken += _list_courses(library, ctx)
    if broken:
        print(
            f"\n{broken} practice file(s) could not be read; fix them and run `companion validate`.",
            file=ctx.out,
        )
    return 0


def _list_courses(library: Library, ctx: Context) -> int:
    """Print the Courses section (id, title, days, source); returns how many are broken."""
    courses = library.sorted_courses()
    if not courses:
        return 0
    print("\nCourses", file=ctx.out)
    width = max(len(c.id) for c in courses)
    title_width = max((len(c.course.title) for c in courses if c.course), default=10)
    broken = 0
    for c in courses:
        source = c.source + (" (overrides bundled)" if c.overrides else "")
        if c.course is None:
            broken += 1
            shown = "(broken: see below)"
            print(f"{c.id:<{width}}  {shown:<{title_width}}  {'':>7}  {source}", file=ctx.out)
            for problem in c.problems:
                print(f"{'':<{width}}    {problem}", file=ctx.out)
            continue
        count = len(c.course.days)
        days = f"{count} day" + ("" if count == 1 else "s")
        print(
            f"{c.id:<{width}}  {c.course.title:<{title_width}}  {days:>7}  {source}", file=ctx.out
        )
    return broken


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    """Print a practice's outline."""
    practice = find_practice(ctx, args.practice)
    if practice is None:
        return 1
    data = outline(practice)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False), file=ctx.out)
    else:
        print(outline_text(data), file=ctx.out)
    return 0


def _unplayable_sounds(
    practice: Practice,
    name: str,
    files: dict[str, tuple[Path, str]],
    cache: dict[str, str],
) -> list[Problem]:
    """Problems for sounds the practice names whose files exist but cannot be played."""
    problems: list[Problem] = []
    for where, sound in sound_uses(practice):
        if sound not in cache:
            file = files[sound][0]
            reason = sound_problem(file)
            cache[sound] = f"{file} {reason}" if reason else ""
        if cache[sound]:
            problems.append(
                Problem(
                    name,
                    f"sound {sound!r} cannot be played: {cache[sound]}; "
                    "replace the file or choose another sound",
                    where=where,
                )
            )
    return problems


def scape_names(paths: Paths) -> frozenset[str]:
    """The soundscapes a practice's `[sound] background` may name."""
    from companion.sound.files import soundscape_files

    return frozenset(soundscape_files(paths))


def cmd_validate(args: argparse.Namespace, ctx: Context) -> int:
    """Check files; every problem in every file is printed."""
    files = sound_files(ctx.paths)
    sounds = frozenset(files)
    unplayable: dict[str, str] = {}  # checked once, only for sounds some file names
    bad = 0
    for name in args.paths:
        path = Path(name)
        problems: list[Problem] = []
        notes: list[str] = []
        name = shown(name)  # a name that is not UTF-8 is shown with \xNN, never crashes print
        if path.is_dir():
            problems = [Problem(name, "is a folder; name the .toml files inside it")]
        elif not path.exists():  # a link that loops or leads nowhere says so
            odd = entry_problem(path) if path.is_symlink() else None
            problems = [Problem(name, odd or "no such file")]
        else:
            if is_course(path):
                problems = course_problems(path, name, ctx.paths)
            else:
                try:
                    practice = load_practice(
                        path, sounds=sounds, display=name, soundscapes=scape_names(ctx.paths)
                    )
                except PracticeError as exc:
                    problems = exc.problems
                else:
                    problems = _unplayable_sounds(practice, name, files, unplayable)
                    notes = bell_notes(practice, name)
        if problems:
            bad += 1
            for problem in problems:
                print(problem, file=ctx.out)
        else:
            print(f"{name}: ok", file=ctx.out)
            for note in notes:
                print(note, file=ctx.out)
    return 1 if bad else 0
