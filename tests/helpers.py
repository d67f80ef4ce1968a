"""Small builders shared by tests."""

from __future__ import annotations

import tomllib
from pathlib import Path

from companion.practice.load import parse_practice
from companion.practice.model import Practice

SOUNDS = frozenset({"bowl", "bell", "tick", "tingsha", "gong"})


def practice_from(text: str, practice_id: str = "t", sounds: frozenset[str] | None = SOUNDS) -> Practice:
    """Parse practice TOML text as the loader would a file called t.toml."""
    return parse_practice(
        tomllib.loads(text), path=f"{practice_id}.toml", practice_id=practice_id, sounds=sounds
    )


BOX = """
title = "Box"
[[segment]]
kind = "breath"
duration = "1m"
whole_breaths = false
pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }
"""


def write_wav(path: Path, seconds: float = 0.05) -> None:
    """A short, valid, silent 16-bit mono WAV file (what `validate` accepts as playable)."""
    import wave

    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\x00\x00" * int(22050 * seconds))
