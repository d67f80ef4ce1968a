"""Courses as files, like practices: validate one, list them all (as a table or JSON).

Also the bell note `validate` prints when a start bell's strikes do not fit the practice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from companion.commands import Context
from companion.engine.timeline import START_STRIKE_GAP, STRIKE_CLEARANCE, build_timeline
from companion.library.library import Library
from companion.practice.course import load_course, looks_like_course
from companion.practice.errors import PracticeError, Problem
from companion.practice.load import read_toml
from companion.practice.model import Practice


def is_course(path: Path) -> bool:
    """True when the file is a course (in a courses/ folder, or made of days)."""
    if path.parent.name == "courses":
        return True
    try:
        data = read_toml(path)
    except PracticeError:
        return False  # let the practice loader name the problem and its line
    return looks_like_course(path, data)


def course_problems(path: Path, name: str, paths: Any) -> list[Problem]:
    """Every problem in a course file; days are checked against the practices that exist."""
    known = frozenset(Library.load(paths).entries)
    try:
        load_course(path, known, display=name)
    except PracticeError as exc:
        return exc.problems
    return []


def list_courses(library: Library, ctx: Context, *, as_json: bool) -> int:
    """`companion list --courses`: every course, broken ones with their errors."""
    courses = library.sorted_courses()
    if as_json:
        rows = []
        for c in courses:
            course = c.course
            rows.append(
                {
                    "id": c.id,
                    "title": course.title if course else None,
                    "summary": course.summary if course else None,
                    "days": [
                        {"number": d.number, "practice": d.practice, "title": d.title}
                        for d in (course.days if course else ())
                    ],
                    "source": c.source,
                    "path": str(c.path),
                    "errors": [str(p) for p in c.problems],
                }
            )
        print(json.dumps(rows, indent=2, ensure_ascii=False), file=ctx.out)
        return 0
    if not courses:
        print("No courses found.", file=ctx.out)
        return 0
    width = max(len(c.id) for c in courses)
    for c in courses:
        if c.course is None:
            print(f"{c.id:<{width}}  (broken: see below)  {c.source}", file=ctx.out)
            for problem in c.problems:
                print(f"{'':<{width}}    {problem}", file=ctx.out)
            continue
        count = len(c.course.days)
        days = f"{count} day" + ("" if count == 1 else "s")
        print(f"{c.id:<{width}}  {c.course.title}  {days}  {c.source}", file=ctx.out)
    return 0


def bell_notes(practice: Practice, name: str) -> list[str]:
    """A line when some opening strikes will not ring because the practice is too short."""
    bells = practice.bells
    if bells.start == "none" or bells.start_strikes <= 1:
        return []
    kept = len(build_timeline(practice).start_strikes())
    if kept >= bells.start_strikes:
        return []
    dropped = bells.start_strikes - kept
    need = (bells.start_strikes - 1) * START_STRIKE_GAP
    if bells.end != "none":
        need += STRIKE_CLEARANCE
    return [
        f"{name}: bells.start_strikes: note: {dropped} of {bells.start_strikes} opening "
        f"strikes will not ring: they would fall at or near the end (strikes are "
        f"{START_STRIKE_GAP:g}s apart, so {bells.start_strikes} need a practice longer than "
        f"{need:g}s); lower start_strikes or lengthen the practice"
    ]
