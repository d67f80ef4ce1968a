"""The breath shape's easing: a half cosine, so motion starts and ends softly."""

from __future__ import annotations

import math


def ease(progress: float) -> float:
    """0..1 -> 0..1 along a half cosine (slow at both ends, like a real breath)."""
    p = min(1.0, max(0.0, progress))
    return (1.0 - math.cos(math.pi * p)) / 2.0
