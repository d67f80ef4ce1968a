"""Body regions a body scan can visit, and where each sits on the drawn figure.

Positions are fractions of the figure's height, 0.0 at the crown and 1.0 at the soles. The
anchor is where the band of light rests while the region is being visited; the figure is
standing with the hands together at the heart, so the anchors run strictly downwards in the
default head-to-feet order and the band never jumps back up.
"""

from __future__ import annotations

# name: (anchor, top, bottom, default weight). Weights follow the usual share of a scan's
# time (feet and hands get longer, small places shorter); see docs/practice-format.md.
REGIONS: dict[str, tuple[float, float, float, float]] = {
    "crown": (0.01, 0.00, 0.03, 0.6),
    "head": (0.04, 0.00, 0.10, 1.0),
    "face": (0.07, 0.03, 0.10, 1.2),
    "jaw": (0.10, 0.08, 0.12, 0.8),
    "throat": (0.13, 0.11, 0.15, 0.6),
    "neck": (0.14, 0.11, 0.16, 0.8),
    "shoulders": (0.18, 0.16, 0.21, 1.0),
    "arms": (0.23, 0.18, 0.32, 0.9),
    "hands": (0.27, 0.24, 0.31, 1.2),
    "chest": (0.30, 0.20, 0.35, 1.0),
    "upper back": (0.31, 0.20, 0.35, 1.0),
    "back": (0.42, 0.20, 0.48, 1.0),
    "belly": (0.39, 0.35, 0.47, 1.0),
    "lower back": (0.45, 0.38, 0.49, 1.0),
    "hips": (0.49, 0.46, 0.53, 1.1),
    "pelvis": (0.51, 0.47, 0.54, 1.1),
    "thighs": (0.60, 0.53, 0.68, 1.1),
    "knees": (0.70, 0.67, 0.73, 0.9),
    "lower legs": (0.80, 0.73, 0.89, 1.0),
    "feet": (0.93, 0.89, 1.00, 1.6),
    "toes": (0.97, 0.95, 1.00, 1.0),
    "whole body": (0.50, 0.00, 1.00, 1.5),
}

DEFAULT_REGIONS: tuple[str, ...] = (
    "head",
    "face",
    "neck",
    "shoulders",
    "arms",
    "hands",
    "chest",
    "belly",
    "back",
    "hips",
    "thighs",
    "knees",
    "lower legs",
    "feet",
)

KNOWN_REGIONS: tuple[str, ...] = tuple(REGIONS)


def anchor(name: str) -> float:
    """Where the band rests for a region (0 top .. 1 bottom)."""
    return REGIONS[name][0]


def span(name: str) -> tuple[float, float]:
    """The part of the figure a region covers (top, bottom)."""
    _, top, bottom, _ = REGIONS[name]
    return top, bottom


def default_weight(name: str) -> float:
    """How long a region is visited relative to others when the file gives no weight."""
    return REGIONS[name][3]
