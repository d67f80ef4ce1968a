"""The practice file format: model, loader and validator. Pure: no textual, no pygame."""

from companion.practice.errors import PracticeError, Problem
from companion.practice.load import load_practice, parse_practice
from companion.practice.model import (
    Bells,
    Cue,
    Pattern,
    Practice,
    Ramp,
    Region,
    Segment,
)

__all__ = [
    "Bells",
    "Cue",
    "Pattern",
    "Practice",
    "PracticeError",
    "Problem",
    "Ramp",
    "Region",
    "Segment",
    "load_practice",
    "parse_practice",
]
