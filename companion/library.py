"""Finding practices, courses and sounds: the bundled ones, and the user's own, which win by id.

Pure: reads files only. A broken user file is reported with its problems and never hides
the others.
"""

from __future__ import annotations

import difflib
import wave
from dataclasses import dataclass, field, replace
from pathlib import Path

from companion.paths import Paths
from companion.practice.course import Course, load_course
from companion.practice.errors import PracticeError, Problem
from companion.practice.load import load_practice
from companion.practice.model import Practice

SOUND_SUFFIXES = (".wav", ".ogg")


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


class UnknownPractice(LookupError):
    """No practice has that id; `close` lists the nearest ids."""

    def __init__(self, name: str, close: list[str], what: str = "practice") -> None:
        self.name = name
        self.close = close
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        super().__init__(f"No {what} called {name!r}.{hint} `companion list` shows them all.")


def sound_files(paths: Paths) -> dict[str, tuple[Path, str]]:
    """Every sound by name -> (file, source); the user's own win over bundled ones."""
    found: dict[str, tuple[Path, str]] = {}
    for folder, source in ((paths.bundled_sounds, "bundled"), (paths.sounds_dir, "user")):
        if not folder.is_dir():
            continue
        for file in sorted(folder.iterdir()):
            if file.suffix.lower() in SOUND_SUFFIXES and file.is_file():
                found[file.stem] = (file, source)
    return found


def sound_problem(file: Path) -> str | None:
    """Why a sound file cannot be played, or None when its header reads cleanly.

    Only the header is read: enough to catch a renamed text file, a truncated download or an
    encoding pygame does not play, without loading audio.
    """
    try:
        if file.suffix.lower() == ".ogg":
            with file.open("rb") as f:
                if f.read(4) != b"OggS":
                    return "is not an Ogg file"
            return None
        with wave.open(str(file), "rb") as w:
            if w.getnframes() == 0:
                return "holds no sound"
            if w.getsampwidth() not in (1, 2, 4):
                return f"uses {8 * w.getsampwidth()}-bit samples; save it as 16-bit PCM"
    except (wave.Error, EOFError) as exc:
        return f"is not a WAV file pygame can play ({exc}); save it as 16-bit PCM WAV"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc.__class__.__name__})"
    return None


def sound_uses(practice: Practice) -> list[tuple[str, str]]:
    """Every sound a practice names, as (place in the file, name)."""
    uses: list[tuple[str, str]] = []
    bells = practice.bells
    for key, name in (("start", bells.start), ("end", bells.end)):
        if name != "none":
            uses.append((f"bells.{key}", name))
    if bells.interval and bells.interval_sound != "none":
        uses.append(("bells.interval_sound", bells.interval_sound))
    for i, seg in enumerate(practice.segments, 1):
        if seg.chime:
            uses.append((f"segment[{i}].chime", seg.chime))
        if seg.phase_sound:
            uses.append((f"segment[{i}].phase_sound", seg.phase_sound))
    return uses


def sound_names(paths: Paths) -> frozenset[str]:
    """The names practice files may use for sounds."""
    return frozenset(sound_files(paths))


@dataclass
class Library:
    """The practices available to this user."""

    paths: Paths
    entries: dict[str, Entry] = field(default_factory=dict)
    courses: dict[str, CourseEntry] = field(default_factory=dict)

    @classmethod
    def load(cls, paths: Paths) -> Library:
        """Read every bundled and user practice file."""
        library = cls(paths)
        sounds = sound_names(paths)
        bundled = _files(paths.bundled_practices)
        for file in bundled:
            library.entries[file.stem] = _entry(file, "bundled", sounds)
        for file in _files(paths.practices_dir):
            entry = _entry(file, "user", sounds)
            if file.stem in library.entries:
                entry = Entry(
                    entry.id, entry.path, entry.source, entry.practice, entry.problems, True
                )
            library.entries[file.stem] = entry
        # Courses are read after practices so a day can be checked against every id,
        # the user's own practices included.
        known = frozenset(library.entries)
        for file in _files(paths.bundled_courses):
            library.courses[file.stem] = _course_entry(file, "bundled", known)
        for file in _files(paths.courses_dir):
            course = _course_entry(file, "user", known)
            if file.stem in library.courses:
                course = replace(course, overrides=True)
            library.courses[file.stem] = course
        return library

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

    @classmethod
    def resolve_one(cls, paths: Paths, name: str) -> Practice:
        """`Library.load(paths).resolve(name)` without reading every other file.

        `companion run ID` needs one practice: this reads the user's file of that id if there
        is one (it wins, as in the library), else the bundled one. Only when neither exists
        does it load the whole library, for the same error naming the closest ids.
        """
        candidate = Path(name).expanduser()
        if name.endswith(".toml") or "/" in name or candidate.is_file():
            return cls(paths).resolve(name)
        for folder, source in ((paths.practices_dir, "user"), (paths.bundled_practices, "bundled")):
            file = folder / f"{name}.toml"
            if file.is_file():
                entry = _entry(file, source, sound_names(paths))
                if entry.practice is None:
                    raise PracticeError(list(entry.problems))
                return entry.practice
        return cls.load(paths).resolve(name)

    def resolve(self, name: str) -> Practice:
        """A practice by id, or by path to a .toml file; raises PracticeError or UnknownPractice."""
        candidate = Path(name).expanduser()
        if name.endswith(".toml") or "/" in name or candidate.is_file():
            if not candidate.is_file():
                raise PracticeError([Problem(name, "no such file")])
            return load_practice(candidate, source="file", sounds=sound_names(self.paths))
        entry = self.get(name)
        if entry.practice is None:
            raise PracticeError(list(entry.problems))
        return entry.practice


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def _entry(file: Path, source: str, sounds: frozenset[str]) -> Entry:
    try:
        practice = load_practice(file, source=source, sounds=sounds)
    except PracticeError as exc:
        return Entry(file.stem, file, source, None, tuple(exc.problems))
    return Entry(file.stem, file, source, practice)


def _course_entry(file: Path, source: str, known: frozenset[str]) -> CourseEntry:
    try:
        course = load_course(file, known, source=source)
    except PracticeError as exc:
        return CourseEntry(file.stem, file, source, None, tuple(exc.problems))
    return CourseEntry(file.stem, file, source, course)
