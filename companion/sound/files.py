"""Finding sound files: the bundled ones and the user's own, and whether each can be played.

Pure: reads folder listings and WAV headers only; nothing here imports pygame.
"""

from __future__ import annotations

import wave
from pathlib import Path

from companion.paths import Paths
from companion.practice.model import Practice

SOUND_SUFFIXES = (".wav", ".ogg")


def sound_files(paths: Paths) -> dict[str, tuple[Path, str]]:
    """Every sound by name -> (file, source); the user's own win over bundled ones."""
    found: dict[str, tuple[Path, str]] = {}
    for folder, source in ((paths.bundled_sounds, "bundled"), (paths.sounds_dir, "user")):
        if not folder.is_dir():
            continue
        for file in sorted(folder.iterdir()):
            if file.suffix.lower() in SOUND_SUFFIXES and file.is_file():
                found[file.stem] = (file, source)
    return found


def sound_problem(file: Path) -> str | None:
    """Why a sound file cannot be played, or None when its header reads cleanly.

    Only the header is read: enough to catch a renamed text file, a truncated download or an
    encoding pygame does not play, without loading audio.
    """
    try:
        if file.suffix.lower() == ".ogg":
            with file.open("rb") as f:
                if f.read(4) != b"OggS":
                    return "is not an Ogg file"
            return None
        with wave.open(str(file), "rb") as w:
            if w.getnframes() == 0:
                return "holds no sound"
            if w.getsampwidth() not in (1, 2, 4):
                return f"uses {8 * w.getsampwidth()}-bit samples; save it as 16-bit PCM"
    except (wave.Error, EOFError) as exc:
        return f"is not a WAV file pygame can play ({exc}); save it as 16-bit PCM WAV"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc.__class__.__name__})"
    return None


def sound_uses(practice: Practice) -> list[tuple[str, str]]:
    """Every sound a practice names, as (place in the file, name)."""
    uses: list[tuple[str, str]] = []
    bells = practice.bells
    for key, name in (("start", bells.start), ("end", bells.end)):
        if name != "none":
            uses.append((f"bells.{key}", name))
    if bells.interval and bells.interval_sound != "none":
        uses.append(("bells.interval_sound", bells.interval_sound))
    for i, seg in enumerate(practice.segments, 1):
        if seg.chime:
            uses.append((f"segment[{i}].chime", seg.chime))
        if seg.phase_sound:
            uses.append((f"segment[{i}].phase_sound", seg.phase_sound))
    return uses


class SoundNames(frozenset[str]):
    """The names practice files may use for sounds, carrying the soundscapes' names too."""

    soundscapes: frozenset[str] = frozenset()


def sound_names(paths: Paths) -> frozenset[str]:
    """The names practice files may use for sounds (`.soundscapes`: for `[sound] background`)."""
    from companion.sound.background import soundscape_files  # pure, like this module

    names = SoundNames(sound_files(paths))
    names.soundscapes = frozenset(soundscape_files(paths))
    return names
