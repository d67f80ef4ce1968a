"""Where two rows of a frame differ: the span of cells a frame widget marks for repainting.

Textual composites and writes each dirty region; an orb row that gains a dot at each edge
need not repaint the empty cells around it (issue 18). Rows are compared run by run (text
slices compared in C), never cell by cell, and the answer is cached: the orb's rows recur.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len

Run = tuple[str, str, float]  # as in frame.py: text, component class, opacity
Row = tuple[Run, ...]


@lru_cache(maxsize=4096)
def changed_span(old: Row, new: Row, width: int) -> tuple[int, int] | None:
    """The cells [start, end) in which old and new, drawn width cells wide, differ.

    None when they look the same. The whole row when a run holds characters wider than one
    cell (string places are then not cells). A change of style alone counts as a change.
    """
    old_text = "".join(r[0] for r in old)
    new_text = "".join(r[0] for r in new)
    if cell_len(old_text) != len(old_text) or cell_len(new_text) != len(new_text):
        return (0, width) if old != new else None
    old_text = old_text[:width].ljust(width)  # painted rows are padded with plain spaces
    new_text = new_text[:width].ljust(width)
    cuts = sorted({0, width, *_edges(old, width), *_edges(new, width)})
    old_styles, new_styles = _styles_at(old, cuts), _styles_at(new, cuts)
    start = end = -1
    for i in range(len(cuts) - 1):
        s, e = cuts[i], cuts[i + 1]
        if old_styles[i] == new_styles[i] and old_text[s:e] == new_text[s:e]:
            continue
        if start < 0:
            start = (
                s
                if old_styles[i] != new_styles[i]
                else s + _common_prefix(old_text, new_text, s, e)
            )
        end = e if old_styles[i] != new_styles[i] else e - _common_suffix(old_text, new_text, s, e)
    if start < 0:
        return None
    return (start, end)


def _edges(row: Row, width: int) -> list[int]:
    """Where the row's runs end (within width)."""
    edges: list[int] = []
    x = 0
    for text, _, _ in row:
        x += len(text)
        if x >= width:
            break
        edges.append(x)
    return edges


def _styles_at(row: Row, cuts: list[int]) -> list[tuple[str, float]]:
    """The style of each stretch between cuts (plain beyond the row's end)."""
    styles: list[tuple[str, float]] = []
    runs = iter(row)
    run_end = 0
    style = ("", 1.0)
    for start in cuts[:-1]:
        while start >= run_end:
            current = next(runs, None)
            if current is None:
                style, run_end = ("", 1.0), 1 << 30
                break
            run_end += len(current[0])
            style = (current[1], current[2])
        styles.append(style)
    return styles


def _common_prefix(a: str, b: str, start: int, end: int) -> int:
    n = 0
    while start + n < end and a[start + n] == b[start + n]:
        n += 1
    return n


def _common_suffix(a: str, b: str, start: int, end: int) -> int:
    n = 0
    while end - n > start and a[end - n - 1] == b[end - n - 1]:
        n += 1
    return n
