"""Finding practices and courses: the bundled ones, and the user's own, which win by id.

Pure: reads files only. A broken user file is reported with its problems and never hides
the others.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from companion.library.cache import Data, TomlCache, key_of
from companion.library.one import UnknownPractice, is_path, load_alone
from companion.paths import Paths
from companion.practice.errors import PracticeError, Problem
from companion.practice.model import Practice
from companion.sound.files import sound_names
from companion.user_files import checked, entry_problem, listing, shown

if TYPE_CHECKING:  # the loaders are imported when a file is read: not when all come from
    # the cache (issue 18)
    from companion.library.watch import Change
    from companion.practice.course import Course


@dataclass(frozen=True)
class Entry:
    """One practice file found on disk: its practice, or why it could not be read."""

    id: str
    path: Path
    source: str  # bundled | user | file
    practice: Practice | None = None
    problems: tuple[Problem, ...] = ()
    overrides: bool = False  # a user file that replaces a bundled one of the same id

    @property
    def ok(self) -> bool:
        """True when the file loaded cleanly."""
        return self.practice is not None


@dataclass(frozen=True)
class CourseEntry:
    """One course file found on disk: its course, or why it could not be read."""

    id: str
    path: Path
    source: str  # bundled | user
    course: Course | None = None
    problems: tuple[Problem, ...] = ()
    overrides: bool = False  # a user file that replaces a bundled one of the same id

    @property
    def ok(self) -> bool:
        """True when the file loaded cleanly."""
        return self.course is not None


@dataclass
class Library:
    """The practices available to this user."""

    paths: Paths
    entries: dict[str, Entry] = field(default_factory=dict)
    courses: dict[str, CourseEntry] = field(default_factory=dict)
    # A folder that cannot be read at all: one line each, the bundled practices still there.
    folder_problems: list[Problem] = field(default_factory=list)

    @classmethod
    def load(cls, paths: Paths) -> Library:
        """Read every bundled and user practice file (unchanged ones from the cache)."""
        library = cls(paths)
        sounds = sound_names(paths)
        cache = TomlCache.open(paths.cache_dir)
        bundled = _files(paths.bundled_practices)
        for file in bundled:
            entry = _entry(file, "bundled", sounds, cache)  # ours: plain names
            library.entries[file.stem] = entry
        for file in library._user_files(paths.practices_dir):
            entry = _entry(file, "user", sounds, cache)
            if entry.id in library.entries:
                entry = replace(entry, overrides=True)
            library.entries[entry.id] = entry
        # Courses are read after practices so a day can be checked against every id,
        # the user's own practices included.
        known = frozenset(library.entries)
        for file in _files(paths.bundled_courses):
            library.courses[file.stem] = _course_entry(file, "bundled", known, cache)
        for file in library._user_files(paths.courses_dir):
            course = _course_entry(file, "user", known, cache)
            if course.id in library.courses:
                course = replace(course, overrides=True)
            library.courses[course.id] = course
        cache.save()
        return library

    def _user_files(self, folder: Path) -> list[Path]:
        """The .toml files in a user folder; loops, pipes, devices and odd names come back too,
        so each is listed as broken with its reason (`_entry` says it without opening them)."""
        found = listing(folder, (".toml",))
        where = shown(str(folder))
        # courses/ is inside practices/: an unreadable practices folder is said once.
        if found.problem is not None and not any(
            where.startswith(p.path + os.sep) for p in self.folder_problems
        ):
            self.folder_problems.append(Problem(where, found.problem))
        return sorted([f.path for f in found.files] + [s.path for s in found.skipped])

    def sorted_courses(self) -> list[CourseEntry]:
        """Course entries by id."""
        return [self.courses[k] for k in sorted(self.courses)]

    def get_course(self, course_id: str) -> CourseEntry:
        """The course entry for an id, or UnknownPractice naming the closest course ids."""
        if course_id in self.courses:
            return self.courses[course_id]
        close = difflib.get_close_matches(course_id, sorted(self.courses), n=3, cutoff=0.5)
        raise UnknownPractice(course_id, close, what="course")

    def sorted(self) -> list[Entry]:
        """Entries by id."""
        return [self.entries[k] for k in sorted(self.entries)]

    def ids(self) -> list[str]:
        """Every known id."""
        return sorted(self.entries)

    def get(self, practice_id: str) -> Entry:
        """The entry for an id, or UnknownPractice with the closest ids."""
        if practice_id in self.entries:
            return self.entries[practice_id]
        close = difflib.get_close_matches(practice_id, self.ids(), n=3, cutoff=0.5)
        if not close:
            close = [i for i in self.ids() if practice_id.lower() in i][:3]
        raise UnknownPractice(practice_id, close)

    def resolve(self, name: str) -> Practice:
        """A practice by id, or by path to a .toml file; raises PracticeError or UnknownPractice."""
        candidate = Path(name).expanduser()
        if is_path(name):
            if not candidate.is_file():
                # A pipe, a device or a link that loops says what it is, and is not opened.
                odd = (
                    entry_problem(candidate)
                    if candidate.is_symlink() or candidate.exists()
                    else None
                )
                raise PracticeError([Problem(shown(name), odd or "no such file")])
            return load_alone(candidate, "file", self.paths)
        entry = self.get(name)
        if entry.practice is None:
            raise PracticeError(list(entry.problems))
        return entry.practice

    def apply(self, change: Change, in_progress: str | None = None) -> None:
        """Bring the library up to date with one change the watcher found.

        Reloaded: the new practice replaces the entry. Invalid: the entry keeps its last good
        practice (None if it never had one) and carries the new problems. Removed: the bundled
        practice of that id comes back if there is one; otherwise the entry goes, unless it is
        the practice in progress, which stays until the session ends.
        """
        old = self.entries.get(change.id)
        bundled = self.paths.bundled_practices / f"{change.id}.toml"
        overrides = bundled.is_file()
        if change.kind == "reloaded":
            self.entries[change.id] = Entry(
                change.id, change.path, "user", change.practice, (), overrides
            )
        elif change.kind == "invalid":
            keep = change.practice
            if keep is None and old is not None and old.source == "user":
                keep = old.practice
            self.entries[change.id] = Entry(
                change.id, change.path, "user", keep, change.problems, overrides
            )
        elif overrides:
            self.entries[change.id] = _entry(bundled, "bundled", sound_names(self.paths))
        elif change.id != in_progress:
            self.entries.pop(change.id, None)


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def _cached_toml(file: Path, st: os.stat_result | None, cache: TomlCache | None) -> Data | None:
    """The file's TOML as parsed last time, if unchanged (else parsed and kept); None: no cache.

    Raises PracticeError, as reading it would.
    """
    if cache is None or st is None:
        return None
    from companion.practice.syntax import read_toml

    return cache.data(key_of(file, st), lambda: read_toml(file))


def _entry(
    file: Path, source: str, sounds: frozenset[str], cache: TomlCache | None = None
) -> Entry:
    from companion.practice.load import load_practice

    unsafe, st = checked(file)
    if unsafe is not None:  # a loop, a pipe, a device or a name that is not UTF-8: never opened
        return Entry(shown(file.stem), file, source, None, (Problem(shown(str(file)), unsafe),))
    try:
        data = _cached_toml(file, st, cache)
        practice = load_practice(file, source=source, sounds=sounds, data=data)
    except PracticeError as exc:
        return Entry(file.stem, file, source, None, tuple(exc.problems))
    return Entry(file.stem, file, source, practice)


def _course_entry(
    file: Path, source: str, known: frozenset[str], cache: TomlCache | None = None
) -> CourseEntry:
    unsafe, st = checked(file)
    if unsafe is not None:
        problem = Problem(shown(str(file)), unsafe)
        return CourseEntry(shown(file.stem), file, source, None, (problem,))
    from companion.practice.course import load_course

    try:
        course = load_course(file, known, source=source, data=_cached_toml(file, st, cache))
    except PracticeError as exc:
        return CourseEntry(file.stem, file, source, None, tuple(exc.problems))
    return CourseEntry(file.stem, file, source, course)
