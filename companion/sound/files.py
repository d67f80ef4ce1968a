"""Finding sound files: the bundled ones and the user's own, and whether each can be played.

Pure: reads folder listings and WAV headers only; nothing here imports pygame.
"""

from __future__ import annotations

import os
from pathlib import Path

from companion.paths import Paths
from companion.practice.model import Practice
from companion.user_files import Skipped, entry_problem, listing

SOUND_SUFFIXES = (".wav", ".ogg")
# Refused by size before anything is decoded: a bell is a few hundred KiB, and three minutes
# of CD-quality stereo WAV is about 31 MiB. A bigger file would take seconds and hundreds of
# MiB to decode in the middle of a practice.
MAX_SOUND_BYTES = 32 * 1024 * 1024


def sound_files(paths: Paths) -> dict[str, tuple[Path, str]]:
    """Every sound by name -> (file, source); the user's own win over bundled ones."""
    return sound_listing(paths)[0]


def sound_listing(paths: Paths) -> tuple[dict[str, tuple[Path, str]], list[Skipped]]:
    """Every sound by name -> (file, source), and the user's entries that were skipped.

    A symbolic link loop, a pipe, a device or a name that is not UTF-8 is never a sound:
    it comes back in the second list with the reason, and no practice can name it.
    """
    found: dict[str, tuple[Path, str]] = {}
    skipped: list[Skipped] = []
    for folder, source in ((paths.bundled_sounds, "bundled"), (paths.sounds_dir, "user")):
        listed = listing(folder, SOUND_SUFFIXES)
        for item in listed.files:
            found[item.path.stem] = (item.path, source)
        if source == "user":
            skipped.extend(listed.skipped)
            if listed.problem is not None:
                skipped.append(Skipped(folder, listed.problem))
    return found, skipped


def sound_problem(file: Path) -> str | None:
    """Why a sound file cannot be played, or None when its header reads cleanly.

    Only the header is read: enough to catch a renamed text file, a truncated download, a
    file too big to decode or an encoding pygame does not play, without loading audio. A
    pipe or device is never opened.
    """
    import wave  # only here: it is not needed to list sounds (issue 18)

    unsafe = entry_problem(file)
    if unsafe is not None:
        return unsafe
    try:
        size = os.stat(file).st_size
        if size > MAX_SOUND_BYTES:
            limit = MAX_SOUND_BYTES // (1024 * 1024)
            return (
                f"is {size // (1024 * 1024)} MiB; sounds may be at most {limit} MiB "
                "(a bell needs well under 1 MiB): trim it or save it shorter"
            )
        if file.suffix.lower() == ".ogg":
            with file.open("rb") as f:
                if f.read(4) != b"OggS":
                    return "is not an Ogg file (is it text or another format with an .ogg name?)"
            return None
        with file.open("rb") as f:
            head = f.read(12)
        if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return "is not a WAV file pygame can play (it does not begin like one); save it as 16-bit PCM WAV"
        with wave.open(str(file), "rb") as w:
            if w.getnframes() == 0:
                return "holds no sound"
            if w.getsampwidth() not in (1, 2, 4):
                return f"uses {8 * w.getsampwidth()}-bit samples; save it as 16-bit PCM"
            promised = w.getnframes() * w.getsampwidth() * w.getnchannels()
            if size < promised:  # the header alone says how long the sound should be
                held = size / max(1, w.getsampwidth() * w.getnchannels() * w.getframerate())
                whole = promised / max(1, w.getsampwidth() * w.getnchannels() * w.getframerate())
                return (
                    f"is cut short: it should last {whole:.1f}s but holds at most {held:.1f}s; "
                    "copy or download it again"
                )
    except (wave.Error, EOFError) as exc:
        detail = f" ({exc})" if str(exc) else ""
        return f"is not a WAV file pygame can play{detail}; save it as 16-bit PCM WAV"
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


SOUNDSCAPES = "soundscapes"  # the folder, in the bundled sounds and in the user's
SCAPE_SUFFIXES = (".wav", ".ogg")


def soundscape_files(paths: Paths) -> dict[str, tuple[Path, str]]:
    """Every soundscape by name -> (file, source); the user's own win over bundled ones."""
    found: dict[str, tuple[Path, str]] = {}
    for folder, source in (
        (paths.bundled_sounds / SOUNDSCAPES, "bundled"),
        (paths.sounds_dir / SOUNDSCAPES, "user"),
    ):
        if not folder.is_dir():
            continue
        for file in sorted(folder.iterdir()):
            if file.suffix.lower() in SCAPE_SUFFIXES and file.is_file():
                found[file.stem] = (file, source)
    return found


def sound_names(paths: Paths) -> frozenset[str]:
    """The names practice files may use for sounds (`.soundscapes`: for `[sound] background`)."""
    names = SoundNames(sound_files(paths))
    names.soundscapes = frozenset(soundscape_files(paths))
    return names
