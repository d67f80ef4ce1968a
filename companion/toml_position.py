"""Where tomllib says a TOML error is: one reading of its "(at line L, column C)" ending.

Used by the practice loader and the settings reader, which both name the place to fix.
"""

from __future__ import annotations

import re

_POSITION = re.compile(r"\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def toml_position(error: Exception | str) -> tuple[str, int, int] | None:
    """tomllib's message without its position, and the line and column; None when it has none."""
    shown = str(error)
    match = _POSITION.search(shown)
    if match is None:
        return None
    return shown[: match.start()], int(match["line"]), int(match["col"])
