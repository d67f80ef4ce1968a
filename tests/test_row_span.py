"""changed_span: the cells a frame widget repaints must cover every cell that changed."""

from __future__ import annotations

import itertools

import pytest

from companion.ui.widgets.braille import ring_cells
from companion.ui.widgets.breath_guide import orb_rows
from companion.ui.widgets.frame import Row, centred, run
from companion.ui.widgets.row_span import changed_span


def cells(row: Row, width: int) -> list[tuple[str, str, float]]:
    """The row as painted, one cell at a time: cropped to width, padded with plain spaces."""
    out = [(char, comp, alpha) for text, comp, alpha in row for char in text][:width]
    return out + [(" ", "", 1.0)] * (width - len(out))


def brute_span(old: Row, new: Row, width: int) -> tuple[int, int] | None:
    """The first and past-the-last differing cell, found by comparing every cell."""
    changed = [
        x
        for x, (a, b) in enumerate(zip(cells(old, width), cells(new, width), strict=True))
        if a != b
    ]
    return (changed[0], changed[-1] + 1) if changed else None


WIDTH = 40
CASES: dict[str, tuple[Row, Row]] = {
    "same": ((run("ab", "x"),), (run("ab", "x"),)),
    "one cell": ((run("abc"),), (run("abd"),)),
    "longer new row": ((run("ab"),), (run("abcd"),)),
    "shorter new row": ((run("abcd"),), (run("ab"),)),
    "style only": ((run("ab", "x"), run("cd", "y")), (run("ab", "x"), run("cd", "z"))),
    "fade only": ((run("abc", "x", 1.0),), (run("abc", "x", 0.5),)),
    "runs split differently, same look": ((run("abcd", "x"),), (run("ab", "x"), run("cd", "x"))),
    "empty to text": ((), (run("  hi"),)),
    "text to empty": ((run("  hi"),), ()),
    "both empty": ((), ()),
    "spaces styled vs plain": ((run("    ", "x"),), ()),
    "past the width": ((run("a" * 50),), (run("a" * 45 + "b" * 5),)),
    "an empty run": ((run("ab"), run("", "x"), run("cd")), (run("ab"), run("ce"))),
    "centred words": (
        centred((run("3 · breath 4"),), WIDTH),
        centred((run("2 · breath 4"),), WIDTH),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_span_is_exactly_the_cells_that_differ(name: str) -> None:
    old, new = CASES[name]
    assert changed_span(old, new, WIDTH) == brute_span(old, new, WIDTH)


def test_every_pair_of_orb_sizes_gives_the_span_of_its_changed_cells() -> None:
    """The guide's own rows: any orb size after any other (and the still outline's ring)."""
    width, height = 60, 20
    radii = [r / 4 for r in range(4, 4 * 19)]
    frames = [orb_rows(r, width, height) for r in radii]
    frames.append(
        tuple(((text, "breath-guide--outline", 1.0),) for text in ring_cells(15.0, width, height))
    )
    for old, new in itertools.combinations(frames, 2):
        for a, b in zip(old, new, strict=True):
            assert changed_span(a, b, width) == brute_span(a, b, width)
            assert changed_span(b, a, width) == brute_span(b, a, width)


def test_wide_characters_repaint_the_whole_row() -> None:
    old, new = (run("心 calm"),), (run("心 rest"),)
    assert changed_span(old, new, WIDTH) == (0, WIDTH)
    assert changed_span(old, old, WIDTH) is None
