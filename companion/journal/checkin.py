"""The optional check-in: a five-step scale of words, asked before and after a practice."""

from __future__ import annotations

QUESTIONS: dict[str, str] = {
    "before": "How are you arriving?",
    "after": "How are you now?",
}

# value -> words; the value is stored, the words are shown. Nothing here is a grade.
SCALE: list[tuple[int, str]] = [
    (1, "heavy"),
    (2, "unsettled"),
    (3, "okay"),
    (4, "steady"),
    (5, "at ease"),
]

WHEN: tuple[str, ...] = ("before", "after")


def word_for(value: int) -> str:
    """The words for a scale value (1..5)."""
    return dict(SCALE)[value]


def valid(when: str, value: object) -> bool:
    """True for a known moment and a whole value on the scale."""
    return (
        when in WHEN and isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
    )
