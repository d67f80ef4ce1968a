"""Braille-cell drawing: 2x4 dots per terminal cell, so round shapes come out round.

A terminal cell is about twice as tall as it is wide, and a braille cell holds 2 dots across
and 4 down, so one dot is close to square: a radius in dots is the same in both directions.
Pure functions, no Textual; results are cached because a widget redraws the same few shapes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache

BLANK = 0x2800
# Bit for the dot at (column, row) inside a cell, in Unicode's braille numbering.
DOT_BITS: tuple[tuple[int, ...], ...] = (
    (0x01, 0x02, 0x04, 0x40),  # left column, top to bottom
    (0x08, 0x10, 0x20, 0x80),  # right column
)
FULL = chr(BLANK + 0xFF)


def cell_char(bits: int) -> str:
    """The braille character for a dot mask; an empty mask is a plain space."""
    return " " if bits == 0 else chr(BLANK + bits)


def dots_to_rows(dots: Sequence[Sequence[bool]], width: int, height: int) -> tuple[str, ...]:
    """Pack a dot grid (rows of booleans, height*4 x width*2) into braille rows of cells."""
    rows: list[str] = []
    for cy in range(height):
        chars: list[str] = []
        for cx in range(width):
            bits = 0
            for dy in range(4):
                line = dots[cy * 4 + dy]
                for dx in range(2):
                    if line[cx * 2 + dx]:
                        bits |= DOT_BITS[dx][dy]
            chars.append(cell_char(bits))
        rows.append("".join(chars))
    return tuple(rows)


def raster(inside: Callable[[float, float], bool], width: int, height: int) -> tuple[str, ...]:
    """Braille rows for a shape given as inside(x, y) over dot centres (in dots, origin top left)."""
    dots = [[inside(px + 0.5, py + 0.5) for px in range(width * 2)] for py in range(height * 4)]
    return dots_to_rows(dots, width, height)


@lru_cache(maxsize=512)
def circle_cells(radius: float, width: int, height: int) -> tuple[str, ...]:
    """A filled disc of `radius` dots centred in a width x height block of cells.

    Built from each dot row's span across the disc instead of testing every dot: the same
    cells as `raster` (tests compare them) at about 0.4 ms instead of 10 ms for a 120x30
    block, so a size drawn for the first time never holds up the event loop.
    """
    cx, cy = width, height * 2  # the centre in dots (width*2/2, height*4/2)
    r2 = radius * radius
    rows: list[str] = []
    for row in range(height):
        spans = [
            _span(cx, r2 - (row * 4 + dy + 0.5 - cy) ** 2, 0.5, 1, width * 2) for dy in range(4)
        ]
        rows.append(_spans_row(spans, width))
    return tuple(rows)


Span = tuple[int, int] | None  # first and last index inside, or None for none


def _span(centre: float, room: float, offset: float, scale: int, limit: int) -> Span:
    """Indices i in [0, limit) with (i*scale + offset - centre)**2 <= room, as (first, last).

    A square root finds the ends; the exact test then settles them, so rounding in the root
    never moves a dot compared with testing each one.
    """
    if room < 0:
        return None
    h = math.sqrt(room)
    lo = math.ceil((centre - h - offset) / scale)
    hi = math.floor((centre + h - offset) / scale)

    def inside(i: int) -> bool:
        return (i * scale + offset - centre) ** 2 <= room

    while inside(lo - 1):
        lo -= 1
    while lo <= hi and not inside(lo):
        lo += 1
    while inside(hi + 1):
        hi += 1
    while hi >= lo and not inside(hi):
        hi -= 1
    lo, hi = max(lo, 0), min(hi, limit - 1)
    return (lo, hi) if lo <= hi else None


def _spans_row(spans: Sequence[Span], width: int) -> str:
    """One row of cells from its four dot rows' spans: blanks, edge cells, full cells."""
    active = [s for s in spans if s is not None]
    if not active:
        return " " * width
    first = min(s[0] for s in active) >> 1
    last = max(s[1] for s in active) >> 1
    if len(active) == 4:
        full_lo = (max(s[0] for s in active) + 1) >> 1  # both dots inside every span from here
        full_hi = (min(s[1] for s in active) - 1) >> 1  # to here
    else:
        full_lo, full_hi = last + 1, last

    def cell(c: int) -> str:
        bits = 0
        for dy, s in enumerate(spans):
            if s is not None:
                if s[0] <= 2 * c <= s[1]:
                    bits |= DOT_BITS[0][dy]
                if s[0] <= 2 * c + 1 <= s[1]:
                    bits |= DOT_BITS[1][dy]
        return cell_char(bits)

    if full_lo > full_hi:
        middle = "".join(cell(c) for c in range(first, last + 1))
    else:
        middle = (
            "".join(cell(c) for c in range(first, full_lo))
            + FULL * (full_hi - full_lo + 1)
            + "".join(cell(c) for c in range(full_hi + 1, last + 1))
        )
    return " " * first + middle + " " * (width - last - 1)


@lru_cache(maxsize=16)
def ring_cells(radius: float, width: int, height: int, thickness: float = 1.0) -> tuple[str, ...]:
    """An outline circle (a ring `thickness` dots wide) centred in width x height cells."""
    cx, cy = width, height * 2
    outer, inner = radius * radius, max(0.0, radius - thickness) ** 2

    def inside(x: float, y: float) -> bool:
        d2 = (x - cx) ** 2 + (y - cy) ** 2
        return inner < d2 <= outer

    return raster(inside, width, height)


def dot_count(rows: Sequence[str]) -> int:
    """How many dots are set in braille rows (for tests: a bigger shape has more)."""
    return sum(0 if ch == " " else (ord(ch) - BLANK).bit_count() for row in rows for ch in row)


def core_mask(
    radius: float, width: int, height: int, fraction: float
) -> tuple[tuple[bool, ...], ...]:
    """Which cells lie within `fraction` of the radius: the orb's brighter core."""
    return _core_mask(radius, width, height, fraction)


@lru_cache(maxsize=512)
def _core_mask(
    radius: float, width: int, height: int, fraction: float
) -> tuple[tuple[bool, ...], ...]:
    return tuple(
        (False,) * width
        if s is None
        else (False,) * s[0] + (True,) * (s[1] - s[0] + 1) + (False,) * (width - s[1] - 1)
        for s in core_spans(radius, width, height, fraction)
    )


@lru_cache(maxsize=512)
def core_spans(radius: float, width: int, height: int, fraction: float) -> tuple[Span, ...]:
    """Per row, the first and last cell within `fraction` of the radius (None: no such cell).

    The cells whose centres lie in the smaller disc: a contiguous run in every row.
    """
    cx, cy = width, height * 2
    limit = (radius * fraction) ** 2
    return tuple(_span(cx, limit - (y * 4 + 2 - cy) ** 2, 1, 2, width) for y in range(height))
