"""The home screen's list: its rows from the library, or as kept from the last start.

Rows are plain data (`companion/library/last_list.py`: an option id, the words and their
styles) so the list the library gives can be kept and shown again in the next start's first
frame, before the library is read (issue 18).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Span, Text
from textual.widgets.option_list import Option

from companion.library.choose import grouped, matching, matching_courses, quick_practice
from companion.library.last_list import Row, ShownList
from companion.ui.screens.home_text import length_text

if TYPE_CHECKING:
    from companion.library.library import Entry, Library
    from companion.practice.model import Practice

COURSE = "course:"  # option ids of courses carry this prefix


def library_rows(library: Library | None, query: str) -> list[Row]:
    """The grouped list of what matches `query`: headings, practices, courses, broken files."""
    if library is None:
        return []
    rows: list[Row] = []
    groups, broken = grouped(matching(library, query))
    for group in groups:
        rows.append(_row(None, Text(group.heading, style="bold")))
        for entry in group.entries:
            rows.append(_row(entry.id, _practice_words(entry)))
    courses = matching_courses(library, query)
    if courses:
        rows.append(_row(None, Text("Courses", style="bold")))
        for course in courses:
            words = Text(f"  {course.title}")
            words.append(f"  {course.days} days", style="dim")
            rows.append(_row(f"{COURSE}{course.id}", words))
    if broken:
        rows.append(_row(None, Text("Broken files", style="bold")))
        for entry in broken:
            rows.append(_row(entry.id, Text(f"  ! {entry.id} (broken)")))
    return rows


def _practice_words(entry: Entry) -> Text:
    p = entry.practice
    assert p is not None
    words = Text(f"  {p.title}")
    words.append(f"  {length_text(p.total)}", style="dim")
    if entry.source == "user":
        words.append("  yours", style="dim italic")
    if entry.problems:
        words.append("  !", style="bold")
    return words


def _row(oid: str | None, text: Text) -> Row:
    """A row as plain data: a style of the whole text becomes a span over all of it."""
    spans = [Span(0, len(text.plain), text.style)] if text.style else []
    spans += text.spans
    return oid, text.plain, tuple((s.start, s.end, str(s.style)) for s in spans)


def options(rows: list[Row]) -> list[Option]:
    """The option list's options for rows: a heading (no id) cannot be chosen."""
    return [
        Option(Text(words, spans=[Span(*s) for s in spans]), id=oid, disabled=oid is None)
        for oid, words, spans in rows
    ]


def quick_words(practice: Practice | None) -> str:
    """How the status line names the quick session."""
    if practice is None:
        return "none found"
    return f"{practice.title}, {length_text(practice.total)}"


def shown_list(library: Library, rows: list[Row]) -> ShownList:
    """What to keep of the unfiltered list: its rows, and the quick session for any last one.

    The quick session is the last practice done (named by id in `by_last`), else the one
    chosen when that is not a readable practice (`otherwise`): see choose.quick_practice.
    """
    by_last = {
        entry.id: quick_words(entry.practice)
        for entry in library.entries.values()
        if entry.practice is not None
    }
    return ShownList(rows, quick_words(quick_practice(library, "")), by_last)

