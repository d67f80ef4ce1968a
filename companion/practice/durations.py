"""Durations as people write them: 90, 90.5, "90s", "5m", "1m30s", "1h", "open"."""

from __future__ import annotations

import datetime
import functools
import math
import re

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(h|m|s)")
_WHOLE = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*[hms]\s*)+$")


class DurationError(ValueError):
    """The text is not a duration we understand."""


def parse_duration(value: object, *, allow_open: bool = False) -> float | None:
    """Return seconds (None for "open" when allowed) or raise DurationError with a hint."""
    if isinstance(value, bool):
        raise DurationError(
            'must be a number of seconds or a text such as "90s", "5m" or "1m30s" '
            f"(got {type_name(value)})"
        )
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        parsed = _parse_text(value, allow_open)
        if parsed is None:
            return None
        seconds = parsed
    else:
        raise DurationError(
            f'must be a number of seconds or a text such as "5m" (got {type_name(value)})'
        )
    if not math.isfinite(seconds):
        raise DurationError(f"must be a finite number of seconds (got {value!r})")
    return seconds


@functools.lru_cache(maxsize=1024)
def _parse_text(value: str, allow_open: bool) -> float | None:
    """Seconds for a written duration (cached: a dense practice repeats "6s" thousands of times)."""
    text = value.strip().lower()
    if text == "open":
        if allow_open:
            return None
        raise DurationError('"open" is only allowed for a segment\'s duration')
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if not _WHOLE.match(text):
        raise DurationError(
            f'is not a duration (got {value!r}); write seconds like 90, or "90s", "5m", "1m30s"'
        )
    units = {"h": 3600.0, "m": 60.0, "s": 1.0}
    seen: set[str] = set()
    seconds = 0.0
    for number, unit in _PART.findall(text):
        if unit in seen:
            raise DurationError(
                f"names '{unit}' twice (got {value!r}); write each of h, m and s "
                'at most once, in that order, like "1h30m"'
            )
        seen.add(unit)
        seconds += float(number) * units[unit]
    return seconds


def format_duration(seconds: float | None) -> str:
    """Write seconds back the way a person would: 240 -> "4m", 90 -> "1m30s", None -> "open"."""
    if seconds is None:
        return "open"
    if seconds != int(seconds):
        return f"{seconds:g}s"
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    out = ""
    if hours:
        out += f"{hours}h"
    if minutes:
        out += f"{minutes}m"
    if secs or not out:
        out += f"{secs}s"
    return out


def clock_text(seconds: float) -> str:
    """mm:ss (or h:mm:ss) for a count of seconds, rounded down."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def type_name(value: object) -> str:
    """How a TOML value's type is named in messages."""
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"a text ({shown!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.datetime):
        return f"a date and time ({value.isoformat()})"
    if isinstance(value, datetime.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, datetime.time):
        return f"a time of day ({value.isoformat()})"
    return type(value).__name__
