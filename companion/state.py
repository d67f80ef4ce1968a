"""What the app remembers for itself (last practice, length, course), kept out of config.toml.

Pure: imports no textual. The file is `state.json` in the data folder; the user's
config.toml holds only what the user chose. A missing or damaged state file simply means
starting fresh: nothing here is precious, so it never stops the app and never warns.
Older versions kept `last_practice` in config.toml; it is read from there once, and the
user's file is left as it is.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from companion.paths import Paths

HISTORY_WEEKS = 12  # the History screen's window when none is remembered
_MAX_BYTES = 64 * 1024  # a state file is a few hundred bytes; anything huge is not ours


# A NamedTuple, not a frozen dataclass: read before every home screen's first frame, and Python
# 3.11 compiles each dataclass method from source, about 0.6 ms a class (issue 18).
class State(NamedTuple):
    """The app's own memory: last practice and length, course in progress, History window."""

    last_practice: str = ""
    last_length: float | None = None  # minutes chosen on the home screen; None: the practice's own
    last_course: str = ""
    history_weeks: int = HISTORY_WEEKS

    def with_(self, **changes: Any) -> State:
        """A copy with some values changed."""
        return self._replace(**changes)


def load_state(paths: Paths, legacy: dict[str, Any] | None = None) -> State:
    """The remembered state; `legacy` holds values an old config.toml had (used when no file)."""
    file = paths.state_file
    try:
        if file.stat().st_size > _MAX_BYTES:
            return State()
        data = json.loads(file.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return _parse(legacy or {})
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return State()
    return _parse(data) if isinstance(data, dict) else State()


def _parse(data: dict[str, Any]) -> State:
    """Each value that fits its type; the rest keep their defaults."""
    state = State()
    last = data.get("last_practice")
    if isinstance(last, str):
        state = state.with_(last_practice=last)
    length = data.get("last_length")
    if isinstance(length, int | float) and _number(length) and 0 < length <= 24 * 60:
        state = state.with_(last_length=float(length))
    course = data.get("last_course")
    if isinstance(course, str):
        state = state.with_(last_course=course)
    weeks = data.get("history_weeks")
    if isinstance(weeks, int) and not isinstance(weeks, bool) and 1 <= weeks <= 520:
        state = state.with_(history_weeks=weeks)
    return state


def _number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def save_state(paths: Paths, state: State) -> bool:
    """Write the state atomically; False (and nothing changed) when it cannot be written."""
    file = paths.state_file
    text = json.dumps(state._asdict(), indent=2, sort_keys=True) + "\n"
    try:
        if file.read_text(encoding="utf-8") == text:
            return True  # unchanged: no write at all
    except (OSError, UnicodeDecodeError):
        pass
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".state-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, file)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
            raise
    except OSError:
        return False
    return True
