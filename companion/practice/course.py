"""Courses: an ordered run of days, each naming a practice, with a line to reflect on after.

Pure: reads TOML and checks it with the same kind of located messages as practice files.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion.practice.check import Checker
from companion.practice.durations import type_name
from companion.practice.errors import PracticeError, Problem
from companion.practice.suggest import suggest
from companion.practice.syntax import read_toml

COURSE_KEYS = ("title", "summary", "description", "day")
DAY_KEYS = ("practice", "title", "reflection")
MAX_DAYS = 100
PRACTICE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")

# Words people reach for in a course file that mean one of ours.
COURSE_ALIASES: dict[str, str] = {
    "days": "day",
    "name": "title",
    "practice_id": "practice",
    "id": "practice",
    "note": "reflection",
}


@dataclass(frozen=True)
class Day:
    """One day of a course: which practice, what it is called, and a line for afterwards."""

    number: int  # 1-based
    practice: str
    title: str
    reflection: str = ""


@dataclass(frozen=True)
class Course:
    """A course: a title, a summary and its days in order."""

    id: str
    title: str
    days: tuple[Day, ...]
    summary: str = ""
    description: str = ""
    path: Path | None = None
    source: str = "file"  # bundled | user | file

    @property
    def practice_ids(self) -> tuple[str, ...]:
        """The practice id of every day, in order."""
        return tuple(d.practice for d in self.days)


def load_course(
    path: Path,
    known_ids: Collection[str] | None = None,
    *,
    source: str = "file",
    course_id: str | None = None,
    display: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> Course:
    """Load and check one course file; `known_ids`, when given, are the practices days may name.

    `data` is the file's TOML already parsed (the library's cache); it is checked all the same.
    """
    shown = display or str(path)
    if data is None:
        data = read_toml(path, shown)
    return parse_course(
        data,
        path=shown,
        course_id=course_id or path.stem,
        known_ids=known_ids,
        source=source,
        file_path=path,
    )


def parse_course(
    data: Mapping[str, Any],
    *,
    path: str,
    course_id: str,
    known_ids: Collection[str] | None = None,
    source: str = "file",
    file_path: Path | None = None,
) -> Course:
    """Turn parsed TOML into a Course, or raise PracticeError listing every problem."""
    checker = _CourseChecker(path, known_ids)
    course = checker.course(data, course_id, source, file_path)
    if checker.problems or course is None:
        raise PracticeError(checker.problems or [Problem(path, "is not a course")])
    return course


def _course_suggest(word: str, choices: Collection[str]) -> str:
    alias = COURSE_ALIASES.get(word.lower())
    if alias in choices:
        return f"; did you mean '{alias}'?"
    return suggest(word, choices)


class _CourseChecker(Checker):
    """The practice checker's readers (text, unknown keys), pointed at a course's keys."""

    def __init__(self, path: str, known_ids: Collection[str] | None) -> None:
        super().__init__(path, None)
        self.known_ids = known_ids

    def unknown(self, table: Mapping[str, Any], allowed: Collection[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                place = f"{where}.{key}" if where else str(key)
                self.add(place, f"unknown key{_course_suggest(str(key), allowed)}")

    def course(
        self, data: Mapping[str, Any], course_id: str, source: str, file_path: Path | None
    ) -> Course | None:
        if not isinstance(data, Mapping):
            self.add("", "is not a TOML table")
            return None
        self.unknown(data, COURSE_KEYS, "")
        title = self.text(data, "title", "", required=True, one_line=True, limit=120)
        summary = self.text(data, "summary", "", one_line=True, limit=300)
        description = self.text(data, "description", "")
        days = self.days(data)
        if self.problems:
            return None
        return Course(
            id=course_id,
            title=title.strip(),
            days=tuple(days),
            summary=summary.strip(),
            description=description.strip(),
            path=file_path,
            source=source,
        )

    def days(self, data: Mapping[str, Any]) -> list[Day]:
        raw = data.get("day")
        if raw is None:
            self.add("day", "a course needs at least one [[day]] with a practice and a title")
            return []
        if not isinstance(raw, list) or not all(isinstance(d, dict) for d in raw):
            self.add("day", "must be a list of [[day]] tables")
            return []
        if not raw:
            self.add("day", "a course needs at least one [[day]]")
            return []
        too_many = len(raw) > MAX_DAYS
        if too_many:
            self.add("day", f"has {len(raw)} days; the most is {MAX_DAYS}")
            raw = raw[:MAX_DAYS]
        out: list[Day] = []
        for number, table in enumerate(raw, 1):
            where = f"day[{number}]"
            self.unknown(table, DAY_KEYS, where)
            practice = self.practice_id(table, where)
            title = self.text(table, "title", where, required=True, one_line=True, limit=120)
            reflection = self.text(table, "reflection", where, limit=600)
            out.append(Day(number, practice, title.strip(), reflection.strip()))
        if too_many:
            return out  # the file is already refused for its length; one line says why
        seen: dict[tuple[str, str], int] = {}
        for day in out:
            key = (day.practice, day.title.casefold())
            if day.practice and key in seen:
                # The same practice under the same title is a copy-paste slip far more often
                # than a plan: a repeated practice reads better with its own title.
                self.add(
                    f"day[{day.number}]",
                    f"repeats day {seen[key]} (same practice and title); give it its own "
                    "title or remove it",
                )
            seen.setdefault(key, day.number)
        return out

    def practice_id(self, table: Mapping[str, Any], where: str) -> str:
        place = f"{where}.practice"
        if "practice" not in table:
            self.add(place, 'is required: the id of a practice, like practice = "box-breathing"')
            return ""
        value = table["practice"]
        if not isinstance(value, str):
            self.add(place, f"must be a practice id in quotes (got {type_name(value)})")
            return ""
        if not PRACTICE_ID.match(value):
            self.add(
                place,
                f"is not a practice id (got {value!r}); use the practice file's name without "
                'the folder or .toml, like "box-breathing"',
            )
            return ""
        if self.known_ids is not None and value not in self.known_ids:
            hint = suggest(value, self.known_ids)
            self.add(place, f"no practice called {value!r}{hint} (`companion list` shows them all)")
        return value


def looks_like_course(path: Path, data: Mapping[str, Any] | None) -> bool:
    """True for a file in a courses/ folder, or one with [[day]] tables and no [[segment]]."""
    if path.parent.name == "courses":
        return True
    return isinstance(data, Mapping) and "day" in data and "segment" not in data
