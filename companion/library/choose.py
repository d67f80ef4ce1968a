"""Choosing a practice: the home screen's groups, its filter, lengths and the quick practice.

Pure: the rules only, no widgets. The home screen draws what these return.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # named only: the home screen's first frame can show a kept list without
    # them (issue 18); what uses them has them by then
    from companion.library.library import Entry, Library
    from companion.practice.model import Practice

# (tag, heading) in the order the groups are listed; a practice's first known tag places it.
GROUPS: tuple[tuple[str, str], ...] = (
    ("breath", "Breath"),
    ("body", "Body"),
    ("noting", "Noting"),
    ("kindness", "Kindness"),
    ("quick", "Quick"),
)
OTHER = ("other", "Other")
LENGTHS: tuple[float | None, ...] = (None, 3.0, 5.0, 10.0, 20.0)  # None: the practice's own
QUICK_ID = "breathing-space-3"  # the quick session when no practice has been done yet
QUICK_MINUTES = 3.0  # a stand-in quick practice (QUICK_ID missing) is fitted to this


# NamedTuples, not frozen dataclasses: the home screen's first frame imports this module, and
# Python 3.11 compiles each dataclass method from source, about 0.6 ms a class (issue 18).
class Group(NamedTuple):
    """One heading of the list and its practices, by title."""

    key: str
    heading: str
    entries: tuple[Entry, ...]


class CourseRow(NamedTuple):
    """A readable course as the list shows it."""

    id: str
    title: str
    days: int


def group_of(practice: Practice) -> str:
    """The group a practice is listed under: its first tag we know, else 'other'."""
    known = {key for key, _ in GROUPS}
    for tag in practice.tags:
        if tag in known:
            return tag
    return "other"


def matching(library: Library, query: str) -> list[Entry]:
    """Every entry, by id, whose id, tags or title hold all the words typed."""
    words = query.lower().split()
    out = []
    for entry in library.sorted():
        p = entry.practice
        hay = " ".join([entry.id, *(p.tags if p else ()), p.title if p else ""]).lower()
        if all(w in hay for w in words):
            out.append(entry)
    return out


def grouped(entries: list[Entry]) -> tuple[list[Group], list[Entry]]:
    """The readable entries in their groups (in GROUPS order, then Other), and the broken ones."""
    groups: dict[str, list[Entry]] = {}
    broken: list[Entry] = []
    for entry in entries:
        if entry.practice is None:
            broken.append(entry)
        else:
            groups.setdefault(group_of(entry.practice), []).append(entry)
    out = [
        Group(key, heading, tuple(sorted(groups[key], key=_title)))
        for key, heading in (*GROUPS, OTHER)
        if key in groups
    ]
    return out, broken


def _title(entry: Entry) -> str:
    return entry.practice.title if entry.practice else ""


def matching_courses(library: Library, query: str) -> list[CourseRow]:
    """Each readable course whose id or title (or the word "course") holds all the words typed."""
    words = query.lower().split()
    out = []
    for entry in library.courses.values():
        course = entry.course
        if course is None:
            continue
        if all(w in f"{course.id} {course.title} course".lower() for w in words):
            out.append(CourseRow(course.id, course.title, len(course.days)))
    return out


def at_length(practice: Practice, minutes: float | None) -> Practice:
    """The practice fitted to a length in minutes (None, or a length it cannot fit: its own).

    `fit_problem` says why a length does not fit, for the screen to show beside it.
    """
    if minutes is None:
        return practice
    from companion.engine.rescale import RescaleError, rescale

    try:
        return rescale(practice, minutes * 60.0)
    except RescaleError:
        return practice


def fit_problem(practice: Practice, minutes: float | None) -> str | None:
    """Why the practice cannot be fitted to `minutes` (None when it can, or none is asked)."""
    if minutes is None:
        return None
    from companion.engine.rescale import RescaleError, rescale

    try:
        rescale(practice, minutes * 60.0)
    except RescaleError as exc:
        return str(exc)
    return None


def quick_practice(library: Library, last: str) -> Practice | None:
    """The last practice done, else the three-minute breathing space, else a stand-in.

    The stand-in is the first quick breath practice (or any practice) fitted to three minutes.
    """
    entry = library.entries.get(last) if last else None
    if entry is not None and entry.practice is not None:
        return entry.practice
    entry = library.entries.get(QUICK_ID)
    if entry is not None and entry.practice is not None:
        return entry.practice
    candidates = [e.practice for e in library.sorted() if e.practice is not None]
    quick = [p for p in candidates if "quick" in p.tags and "breath" in p.tags]
    pick = quick[0] if quick else (candidates[0] if candidates else None)
    if pick is None:
        return None
    return at_length(pick, QUICK_MINUTES)
