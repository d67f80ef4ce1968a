"""The home screen's words: a practice's preview, a course's days, a length in words."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.text import Text

from companion.practice.durations import clock_text, format_duration

if TYPE_CHECKING:
    from companion.library.library import Entry
    from companion.practice.model import Practice

KEPT_LAST_GOOD = "Your latest edit has problems; using the last good version:"


def reflow(text: str) -> str:
    """Join the lines of each paragraph: files wrap descriptions by hand at their own width,
    and those breaks look ragged when the preview wraps again at another."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def preview_text(practice: Practice, own_length: bool) -> Text:
    """Title, summary, description, then each segment with its length and pattern."""
    # Here, not at the top: the outline needs the engine, which the home screen's first
    # frame does not (the preview is drawn just after it).
    from companion.outline import outline, segment_line

    data = outline(practice)
    text = Text()
    text.append(f"{practice.title}\n", style="bold")
    if practice.summary:
        text.append(f"{practice.summary}\n", style="italic")
    length = length_text(practice.total)
    text.append(f"\nLength: {length}{'' if own_length else ' (fitted)'}\n")
    if practice.description:
        text.append(f"\n{reflow(practice.description)}\n")
    text.append("\nSegments\n", style="bold")
    for item in data["segments"]:
        dur = "open" if item["duration"] is None else clock_text(item["duration"])
        text.append(f"  {clock_text(item['start'])}  {item['title']}  ({dur})\n")
        detail = segment_line(item)
        if detail:
            text.append(f"         {detail}\n", style="dim")
    text.append("\nEnter to begin.", style="italic")
    return text


def entry_text(entry: Entry, minutes: float | None) -> Text:
    """A practice's preview at a length (None: its own), or a broken file's problems."""
    from companion.library.choose import at_length, fit_problem

    if entry.practice is None:
        text = Text(f"{entry.id} cannot be used yet\n\n", style="bold")
        for problem in entry.problems:
            text.append(f"{problem}\n")
        text.append("\nFix the file and open companion again.", style="italic")
        return text
    text = Text()
    if entry.problems:
        text.append(f"{KEPT_LAST_GOOD}\n", style="bold")
        for problem in entry.problems:
            text.append(f"{problem}\n")
        text.append("\n")
    text.append_text(preview_text(at_length(entry.practice, minutes), minutes is None))
    misfit = fit_problem(entry.practice, minutes)
    if misfit is not None:
        text.append(f"\n\n{misfit}. It will run at its own length.", style="italic")
    if entry.source == "user":
        instead = " (in place of the bundled one)" if entry.overrides else ""
        # The name only: `companion paths` shows the folder, and a path would wrap.
        text.append(f"\n\nYour own file{instead}: {entry.path.name}", style="dim")
    return text


def course_text(course: Any, day: Any) -> Text:
    """A course's title, summary and days, with the next one marked."""
    text = Text()
    text.append(f"{course.title}\n", style="bold")
    if course.summary:
        text.append(f"{course.summary}\n", style="italic")
    text.append(f"\nNext: day {day.number} of {len(course.days)}\n\n")
    for d in course.days:
        mark = ">" if d.number == day.number else " "
        text.append(f" {mark} Day {d.number}: {d.title}\n", style="bold" if mark == ">" else "")
    text.append("\nEnter to begin the next day.", style="italic")
    return text


def length_text(seconds: float | None) -> str:
    """A practice's length in words, rounded to whole seconds (rescaling leaves crumbs)."""
    return format_duration(None if seconds is None else float(round(seconds)))
