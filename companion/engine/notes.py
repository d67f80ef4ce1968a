"""A noting label taken during a practice, stamped with where the practice was."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
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
