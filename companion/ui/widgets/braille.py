"""Braille-cell drawing: 2x4 dots per terminal cell, so round shapes come out round.

A terminal cell is about twice as tall as it is wide, and a braille cell holds 2 dots across
and 4 down, so one dot is close to square: a radius in dots is the same in both directions.
Pure functions, no Textual; results are cached because a widget redraws the same few shapes.
"""

from __future__ import annotations

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
    """A filled disc of `radius` dots centred in a width x height block of cells."""
    cx, cy = width, height * 2  # the centre in dots (width*2/2, height*4/2)
    r2 = radius * radius

    def inside(x: float, y: float) -> bool:
        return (x - cx) ** 2 + (y - cy) ** 2 <= r2

    return raster(inside, width, height)


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
    cx, cy = width, height * 2
    limit = (radius * fraction) ** 2
    return tuple(
        tuple((x * 2 + 1 - cx) ** 2 + (y * 4 + 2 - cy) ** 2 <= limit for x in range(width))
        for y in range(height)
    )
