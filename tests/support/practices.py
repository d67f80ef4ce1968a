"""Practices written as text, and the one way tests turn text into a practice or a file."""

from __future__ import annotations

import os
import tomllib
import wave
from pathlib import Path

from companion.engine.timeline import Timeline, build_timeline
from companion.practice.load import load_practice, parse_practice
from companion.practice.model import Practice

SOUNDS = frozenset({"bowl", "bell", "tick", "tingsha", "gong"})


def practice_from(
    text: str, practice_id: str = "t", sounds: frozenset[str] | None = SOUNDS
) -> Practice:
    """Parse practice TOML text as the loader would a file called <practice_id>.toml.

    `sounds=None` leaves sound names unchecked.
    """
    return parse_practice(
        tomllib.loads(text), path=f"{practice_id}.toml", practice_id=practice_id, sounds=sounds
    )


def timeline_of(text: str) -> Timeline:
    """The timeline of a practice written inline (sound names unchecked)."""
    return build_timeline(practice_from(text, sounds=None))


def write_practice(folder: Path, name: str = "every-kind", text: str | None = None) -> Path:
    """Write a practice file (by default the one with every kind) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(ALL_KINDS if text is None else text, encoding="utf-8")
    return path


def every_kind(tmp: Path) -> Practice:
    """The practice with one segment of each kind, loaded from a file under `tmp`."""
    return load_practice(write_practice(tmp / "files"), sounds=None)


def write_paced(home: Path, duration: str = "10m", name: str = "paced") -> Path:
    """Put the paced practice in the user's practices folder; returns the file."""
    return write_practice(home / "practices", name, PACED.format(duration=duration))


_mtime = [1_700_000_000]


def write_touched(path: Path, text: str) -> None:
    """Write a file and move its mtime on, so a watcher sees even a same-size edit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _mtime[0] += 10
    os.utime(path, (_mtime[0], _mtime[0]))


def write_wav(path: Path, seconds: float = 0.05) -> None:
    """A short, valid, silent 16-bit mono WAV file (what `validate` accepts as playable)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\x00\x00" * int(22050 * seconds))


# One breath minute, box-shaped.
BOX = """
title = "Box"
[[segment]]
kind = "breath"
duration = "1m"
whole_breaths = false
pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }
"""

ALL_KINDS = """
title = "Every kind"
summary = "One of each segment kind, for tests."
tags = ["breath"]

[bells]
start = "none"
end = "none"

[noting]
keys = { t = "thinking", f = "feeling" }

[[segment]]
kind = "settle"
duration = "10s"
title = "Arriving"
cues = [{ at = "0s", text = "Sit comfortably." }]

[[segment]]
kind = "breath"
duration = "32s"
title = "Box"
pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }
cues = [{ at = "0s", text = "Follow the shape." }]

[[segment]]
kind = "body_scan"
duration = "30s"
title = "Scan"
regions = ["head", "shoulders", "chest", "belly", "feet"]
prompts = ["Notice what is here."]

[[segment]]
kind = "phrases"
duration = "24s"
title = "Kindness"
recipient = "yourself"
every = "12s"
phrases = ["May I be safe", "May I be at ease"]

[[segment]]
kind = "noting"
duration = "20s"
title = "Noting"
cues = [{ at = "0s", text = "Name what you notice." }]

[[segment]]
kind = "silence"
duration = "20s"
title = "Quiet"
"""

# Segment starts in ALL_KINDS: settle 0, breath 10, scan 42, phrases 72, noting 96, silence 116.
STARTS = {
    "settle": 0.0,
    "breath": 10.0,
    "body_scan": 42.0,
    "phrases": 72.0,
    "noting": 96.0,
    "silence": 116.0,
}
TOTAL = 136.0


# A breath practice that paces from its first second: 2 s in, 2 s out, so a phase changes
# every 2 s and a test need not sit through a settling segment first.
PACED = """
title = "Paced"
[bells]
start = "none"
end = "none"
[noting]
keys = {{ t = "thinking", f = "feeling" }}
[[segment]]
kind = "breath"
duration = "{duration}"
whole_breaths = false
title = "Paced"
pattern = {{ in = 2, out = 2 }}
"""


# For the widget tests.
BOX_AFTER_SETTLE = """
title = "Box"
[[segment]]
kind = "settle"
duration = "20s"
[[segment]]
kind = "breath"
duration = "2m"
pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }
"""

RAMP = """
title = "Ramp"
[[segment]]
kind = "breath"
duration = "2m"
pattern = { in = 4, out = 4 }
ramp = { to = { in = 5, out = 6 }, over = "1m" }
"""

TONGLEN = """
title = "Tonglen"
[[segment]]
kind = "breath"
duration = "1m"
pattern = { in = 5, out = 5 }
labels = { in = "Breathe in what is heavy", out = "Breathe out relief" }
"""

SCAN_DOWN = """
title = "Scan"
[[segment]]
kind = "body_scan"
duration = "5m"
prompts = ["Notice whatever is here.", "Let the attention rest here, softly and kindly."]
"""

SCAN_UP = """
title = "Scan up"
[[segment]]
kind = "body_scan"
duration = "5m"
direction = "up"
"""

PHRASES = """
title = "Kindness"
[[segment]]
kind = "phrases"
duration = "2m"
recipient = "yourself"
every = "10s"
phrases = ["May I be safe", "May I be happy", "May I live with ease"]
"""


# For the journal tests.
SCAN_TOML = """
title = "Short scan"
[bells]
start_strikes = 1
end_strikes = 1
[[segment]]
kind = "settle"
duration = "10s"
[[segment]]
kind = "body_scan"
duration = "40s"
regions = ["head", "shoulders", "hands", "feet"]
"""

BREATH_TOML = """
title = "Short breath"
[[segment]]
kind = "breath"
duration = "20s"
pattern = { in = 4, out = 4 }
"""

# A user's breath practice with no bells, for home-screen and reload tests.
CALM_BREATH = """title = "Calm"
tags = ["breath"]

[bells]
start = "none"
end = "none"

[[segment]]
kind = "breath"
duration = "2m"
pattern = { in = 4, out = 6 }
"""

BROKEN_BREATH = CALM_BREATH.replace("pattern = { in = 4, out = 6 }", "pattern = { in = 4, out = 6")


STILL_BOX = """
title = "Still box"
summary = "Box breathing from the first moment, for the terminal tests."

[bells]
start = "none"
end = "none"

[[segment]]
kind = "breath"
duration = "2m"
whole_breaths = false  # exactly two minutes: the tests count its seconds
pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }
"""


def write_still_box(home: Path) -> None:
    """A user practice that paces the breath from its first second (no settling first)."""
    folder = home / "practices"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "still-box.toml").write_text(STILL_BOX)
