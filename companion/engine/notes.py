"""A noting label taken during a practice, stamped with where the practice was."""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple


# Records made while a practice starts are NamedTuples, not frozen dataclasses: Python 3.11
# compiles each dataclass method from source at import, about 0.6 ms a class (issue 18).
class Note(NamedTuple):
    """One note: practice time, key, label, segment index (0-based) and body region if scanning."""

    t: float
    key: str
    label: str
    segment: int
    region: str | None = None


def counts_by_label(notes: list[Note]) -> Counter[str]:
    """How many notes carried each label."""
    return Counter(n.label for n in notes)


def counts_by_region(notes: list[Note]) -> dict[str, Counter[str]]:
    """For notes taken during a body scan: region -> label counts (the body map)."""
    out: dict[str, Counter[str]] = {}
    for n in notes:
        if n.region:
            out.setdefault(n.region, Counter())[n.label] += 1
    return out


# Self-critical notes are moments of noticing the inner critic. They are shown in words,
# never as a bar, a share or a rank: a count of self-criticism must not read as a score.
NOTICING_LABELS = frozenset({"self-critical"})


def is_noticing(label: str) -> bool:
    """True for a label whose notes are moments of noticing (shown in words, not bars)."""
    return label in NOTICING_LABELS


def noticing_words(n: int) -> str:
    """'1 moment of noticing', '3 moments of noticing'."""
    return "1 moment of noticing" if n == 1 else f"{n} moments of noticing"


def label_count(label: str, n: int) -> str:
    """A label and its count for a one-line list: 'thinking 3', 'self-critical: 2 moments of noticing'."""
    return f"{label}: {noticing_words(n)}" if is_noticing(label) else f"{label} {n}"
