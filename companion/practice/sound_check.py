"""The `[sound]` table of a practice: its soundscape and the sounds of eyes-closed mode.

```toml
[sound]
background = "rain"         # a soundscape, or "off"
background_volume = 0.3     # 0.0 to 1.0
eyes_closed = true          # start in eyes-closed mode
breath_in = "breath-in"     # eyes-closed sounds (or "none")
breath_out = "breath-out"
region = "region"
phrase = "phrase"
segment = "bell"
```
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from companion.practice.check import Checker
from companion.practice.durations import type_name
from companion.practice.model import SoundChoice, is_name
from companion.practice.suggest import suggest

SOUND_KEYS = (
    "background",
    "background_volume",
    "eyes_closed",
    "breath_in",
    "breath_out",
    "region",
    "phrase",
    "segment",
)
CUE_SOUND_KEYS = ("breath_in", "breath_out", "region", "phrase", "segment")
BACKGROUND_OFF = "off"


def read_sound_table(
    checker: Checker, data: Mapping[str, Any], soundscapes: Collection[str] | None
) -> SoundChoice:
    """The `[sound]` table checked, each problem recorded with its place; defaults for the rest."""
    table = checker.table(data, "sound", "")
    if table is None:
        return SoundChoice()
    checker.unknown(table, SOUND_KEYS, "sound")
    cues: dict[str, str | None] = {}
    for key in CUE_SOUND_KEYS:
        if key in table:
            cues[key] = checker.sound(table, key, "sound", None) or "none"
    return SoundChoice(
        background=_background(checker, table, soundscapes),
        background_volume=_volume(checker, table),
        eyes_closed=_flag(checker, table),
        **cues,
    )


def _background(
    checker: Checker, table: Mapping[str, Any], soundscapes: Collection[str] | None
) -> str | None:
    if "background" not in table:
        return None
    value = table["background"]
    place = "sound.background"
    if not isinstance(value, str):
        checker.add(
            place, f'must be a soundscape name in quotes, or "off" (got {type_name(value)})'
        )
        return None
    name = value.strip()
    if name.lower() in ("", BACKGROUND_OFF, "none"):
        return BACKGROUND_OFF
    if not is_name(name):
        checker.add(
            place,
            f'is not a soundscape name (got {value!r}); write a name such as "rain" '
            "(letters, digits, - and _), without a folder or ending",
        )
        return None
    if soundscapes is not None and name not in soundscapes:
        known = ", ".join(sorted(soundscapes)) or "none installed"
        checker.add(
            place,
            f"unknown soundscape {name!r}{suggest(name, soundscapes)} (known soundscapes: "
            f'{known}; or "off")',
        )
        return None
    return name


def _volume(checker: Checker, table: Mapping[str, Any]) -> float | None:
    if "background_volume" not in table:
        return None
    value = table["background_volume"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        checker.add(
            "sound.background_volume",
            f"must be a number from 0.0 to 1.0, like 0.3 (got {value!r})",
        )
        return None
    return float(value)


def _flag(checker: Checker, table: Mapping[str, Any]) -> bool | None:
    if "eyes_closed" not in table:
        return None
    value = table["eyes_closed"]
    if not isinstance(value, bool):
        checker.add("sound.eyes_closed", f"must be true or false (got {type_name(value)})")
        return None
    return value
