"""The checker's small readers: a text, a list of texts, a duration, a sound, a table.

Each reader records a located problem instead of stopping, so one run over a file reports
every mistake in it. The practice and course checkers build on these.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any

from companion.practice.durations import DurationError, parse_duration, type_name
from companion.practice.errors import Problem
from companion.practice.model import is_name
from companion.practice.suggest import suggest, unknown_key

MAX_TEXT = 4000
MAX_LIST = 500


class Checker:
    """Walks the parsed data once, collecting problems instead of stopping at the first."""

    def __init__(self, path: str, sounds: Collection[str] | None) -> None:
        self.path = path
        self.sounds = sounds
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        """Record a problem at a place (like segment[2].pattern.in)."""
        self.problems.append(Problem(self.path, message, where=where))

    # -- small readers -------------------------------------------------------------------
    def unknown(self, table: Mapping[str, Any], allowed: Collection[str], where: str) -> None:
        """Record every key of a table that is not one of `allowed`."""
        for key in table:
            if key not in allowed:
                place = f"{where}.{key}" if where else str(key)
                self.add(place, unknown_key(str(key), allowed))

    def text(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        *,
        required: bool = False,
        one_line: bool = False,
        limit: int = MAX_TEXT,
        example: str | None = None,
    ) -> str:
        """A text value ("" when missing or wrong), checked for type, emptiness and length."""
        place = f"{where}.{key}" if where else key
        if key not in table:
            if required:
                self.add(place, "is required; add " + (example or f'a line such as {key} = "..."'))
            return ""
        value = table[key]
        if not isinstance(value, str):
            self.add(place, f"must be a text in quotes (got {type_name(value)})")
            return ""
        if required and not value.strip():
            self.add(place, "must not be empty")
        if one_line and "\n" in value:
            self.add(place, "must be a single line")
        if len(value) > limit:
            self.add(place, f"is {len(value)} characters long; the most is {limit}")
            return value[:limit]
        return value

    def texts(
        self, table: Mapping[str, Any], key: str, where: str, *, limit: int = MAX_LIST
    ) -> list[str]:
        """A list of texts, each checked; wrong items are left out."""
        place = f"{where}.{key}" if where else key
        value = table.get(key, [])
        if not isinstance(value, list):
            self.add(place, f'must be a list of texts, like ["a", "b"] (got {type_name(value)})')
            return []
        if len(value) > limit:
            self.add(place, f"has {len(value)} items; the most is {limit}")
            value = value[:limit]
        out: list[str] = []
        for i, item in enumerate(value, 1):
            if not isinstance(item, str):
                self.add(f"{place}[{i}]", f"must be a text in quotes (got {type_name(item)})")
            elif not item.strip():
                self.add(f"{place}[{i}]", "must not be empty")
            elif len(item) > MAX_TEXT:
                self.add(f"{place}[{i}]", f"is {len(item)} characters long; the most is {MAX_TEXT}")
            else:
                out.append(item)
        return out

    def duration(
        self, table: Mapping[str, Any], key: str, where: str, *, allow_open: bool = False
    ) -> float | None:
        """Seconds from a duration value (None for "open" where allowed); NaN after a problem."""
        place = f"{where}.{key}" if where else key
        try:
            seconds = parse_duration(table[key], allow_open=allow_open)
        except DurationError as exc:
            self.add(place, str(exc))
            return math.nan
        if seconds is not None and seconds < 0:
            self.add(place, f"must be a positive duration (got {table[key]!r})")
            return math.nan
        return seconds

    def sound(
        self, table: Mapping[str, Any], key: str, where: str, default: str | None
    ) -> str | None:
        """A sound name, None for "none", or `default` after recording a problem."""
        place = f"{where}.{key}" if where else key
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, str):
            self.add(place, f'must be a sound name in quotes, or "none" (got {type_name(value)})')
            return default
        if value == "none":
            return None
        if "/" in value or "\\" in value or ".." in value or value.startswith("~"):
            self.add(
                place,
                f"must be a sound name, not a path (got {value!r}); put the file in your sounds "
                "folder (see `companion paths`) and write its name without the folder or ending",
            )
            return default
        if not is_name(value):
            stem, dot, ending = value.rpartition(".")
            if dot and ending.lower() in ("wav", "ogg") and is_name(stem):
                advice = f"write the name without its ending, like {stem!r}"
            else:
                advice = "use letters, digits, - and _ only"
            self.add(place, f"is not a sound name (got {value!r}); {advice}")
            return default
        if self.sounds is not None and value not in self.sounds:
            if not self.sounds:
                self.add(
                    place,
                    f"unknown sound {value!r} (no sounds are installed: put .wav or .ogg files "
                    'in your sounds folder, see `companion paths`, or write "none")',
                )
                return default
            hint = suggest(value, self.sounds)
            known = ", ".join(sorted(self.sounds))
            self.add(place, f"unknown sound {value!r}{hint} (known sounds: {known})")
            return default
        return value

    def table(self, parent: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any] | None:
        """A sub-table, or None when missing or after recording that it is not a table."""
        place = f"{where}.{key}" if where else key
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.add(place, f"must be a table, like {key} = {{ ... }} (got {type_name(value)})")
            return None
        return value
