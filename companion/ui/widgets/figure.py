"""The standing human figure shared by the body-scan figure and the body map.

The figure is described once, in fractions of its height (0 at the crown, 1 at the soles,
x measured from the centre line), so it scales to any number of rows and lines up with the
region spans in companion.practice.regions. It stands with palms together at the heart; the
arms are drawn in front of the body with a one-dot gap around them so they stay visible
inside the silhouette. Pure: no Textual.
"""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import pairwise

from companion.practice.regions import REGIONS
from companion.ui.widgets.braille import raster

MIN_ROWS = 4
HALF_WIDTH = 0.16  # widest point (the elbows) from the centre line, in figure heights

# Half-width of the torso at heights down the body: neck base, shoulders, chest, waist, hips.
TORSO: tuple[tuple[float, float], ...] = (
    (0.140, 0.000),
    (0.150, 0.040),
    (0.160, 0.074),
    (0.175, 0.091),
    (0.200, 0.096),
    (0.260, 0.091),
    (0.330, 0.080),
    (0.400, 0.077),
    (0.470, 0.087),
    (0.520, 0.092),
    (0.550, 0.084),
    (0.565, 0.000),
)

Capsule = tuple[float, float, float, float, float, float]  # ax, ay, bx, by, radius a, radius b

NECK: Capsule = (0.0, 0.095, 0.0, 0.155, 0.023, 0.025)
LEGS: tuple[Capsule, ...] = (
    (0.052, 0.500, 0.046, 0.715, 0.044, 0.028),  # thigh
    (0.046, 0.715, 0.045, 0.790, 0.028, 0.030),  # calf
    (0.045, 0.790, 0.042, 0.925, 0.030, 0.017),  # shin to ankle
)
# In front of the body: upper arm, forearm (elbow out, wrist at the heart), joined hands.
ARMS: tuple[Capsule, ...] = (
    (0.096, 0.198, 0.128, 0.325, 0.028, 0.024),
    (0.128, 0.325, 0.028, 0.298, 0.023, 0.018),
)
HANDS: Capsule = (0.0, 0.298, 0.0, 0.225, 0.026, 0.013)
HEAD = (0.0, 0.056, 0.045, 0.056)  # centre x, centre y, half width, half height
FOOT = (0.060, 0.963, 0.036, 0.032)  # centre x (mirrored), centre y, half width, half height


def _capsule(x: float, y: float, c: Capsule) -> float:
    """Signed distance from (x, y) to a tapered capsule (negative inside)."""
    ax, ay, bx, by, ra, rb = c
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
    px, py = ax + dx * t, ay + dy * t
    return math.hypot(x - px, y - py) - (ra + (rb - ra) * t)


def _torso_half_width(y: float) -> float:
    if y <= TORSO[0][0] or y >= TORSO[-1][0]:
        return -1.0
    for (y0, w0), (y1, w1) in pairwise(TORSO):
        if y0 <= y <= y1:
            f = (y - y0) / (y1 - y0)
            # Smoothstep between knots so the outline curves instead of kinking.
            f = f * f * (3 - 2 * f)
            return w0 + (w1 - w0) * f
    return -1.0


def _ellipse(x: float, y: float, e: tuple[float, float, float, float]) -> bool:
    cx, cy, hw, hh = e
    return ((x - cx) / hw) ** 2 + ((y - cy) / hh) ** 2 <= 1.0


def _in_front(x: float, y: float) -> float:
    """Signed distance to the arms and hands, which sit in front of the body."""
    ax = abs(x)
    d = _capsule(0.0 if abs(x) < 1e-9 else x, y, HANDS)
    for c in ARMS:
        d = min(d, _capsule(ax, y, c))
    return d


def _in_body(x: float, y: float) -> bool:
    ax = abs(x)
    if _ellipse(x, y, HEAD) or _capsule(x, y, NECK) <= 0:
        return True
    if ax <= _torso_half_width(y):
        return True
    if any(_capsule(ax, y, c) <= 0 for c in LEGS):
        return True
    return _ellipse(ax, y, FOOT)


def figure_width(rows: int) -> int:
    """How many cells wide the figure is when drawn `rows` tall."""
    dots_tall = rows * 4
    dots_wide = math.ceil(2 * HALF_WIDTH * dots_tall) + 2
    return max(1, math.ceil(dots_wide / 2))


@lru_cache(maxsize=8)
def figure_rows(rows: int) -> tuple[str, ...]:
    """The figure in braille, `rows` cells tall, as equal-width strings."""
    rows = max(MIN_ROWS, rows)
    width = figure_width(rows)
    scale = rows * 4  # dots per figure height
    centre = width  # in dots: the middle of width*2
    gap = 1.0 / scale  # one dot: the space that separates the arms from the body

    def inside(px: float, py: float) -> bool:
        x = (px - centre) / scale
        y = py / scale
        front = _in_front(x, y)
        if front <= 0:
            return True
        if front <= gap:
            return False
        return _in_body(x, y)

    return raster(inside, width, rows)


def region_rows(name: str, rows: int) -> range:
    """The rows of a figure `rows` tall that a region covers (empty for unknown names)."""
    if name not in REGIONS or rows <= 0:
        return range(0)
    _, top, bottom, _ = REGIONS[name]
    first = min(rows - 1, int(top * rows))
    last = max(first, min(rows - 1, math.ceil(bottom * rows) - 1))
    return range(first, last + 1)


def band_row(band: float, rows: int) -> int:
    """The row the band of light sits on for a band position 0 (crown) .. 1 (soles)."""
    if rows <= 1:
        return 0
    return max(0, min(rows - 1, round(band * (rows - 1))))
