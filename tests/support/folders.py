"""Shared by the user-folder tests: folders holding every kind of entry that is not a usable
file, a sparse 300 MB WAV, and the installed console script run with a timeout."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.support.practices import write_wav
from tests.support.term import COMPANION

ROOT = Path(__file__).resolve().parents[2]
GOOD = 'title = "{title}"\n[[segment]]\nkind = "silence"\nduration = "1m"\n'
CAFE = os.fsdecode(b"caf\xe9")  # a Latin-1 name: not UTF-8, as copied from an old disk
needs_companion = pytest.mark.skipif(COMPANION is None, reason="companion is not installed")


def hostile_practices(folder: Path) -> None:
    """One good practice beside every kind of entry that is not a usable file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.toml").write_text(GOOD.format(title="Mine"))
    (folder / "loop1.toml").symlink_to("loop2.toml")
    (folder / "loop2.toml").symlink_to("loop1.toml")
    (folder / "gone.toml").symlink_to("nowhere.toml")
    (folder / "zero.toml").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo.toml")  # no writer: opening it would block for ever
    (folder / "folder.toml").mkdir()
    (folder / "itself").symlink_to(".")  # a folder loop; not a .toml name, passed over
    (folder / f"{CAFE}.toml").write_text(GOOD.format(title="Cafe"))
    (folder / "notes.txt").write_text("not a practice")
    (folder / ".mine.toml.swp").write_text("editor leftovers")


def big_wav(path: Path, megabytes: int) -> None:
    """A valid WAV header promising `megabytes` of samples, the rest a sparse hole."""
    size = megabytes * 1024 * 1024
    fmt = struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16)
    header = b"RIFF" + struct.pack("<I", 36 + size) + b"WAVEfmt " + fmt
    header += b"data" + struct.pack("<I", size)
    with path.open("wb") as f:
        f.write(header)
        f.truncate(len(header) + size)  # no disk used: the hole reads as zeros


def hostile_sounds(folder: Path) -> None:
    """A good sound beside a truncated one, a 300 MB one, text, a pipe, a loop and a device."""
    folder.mkdir(parents=True, exist_ok=True)
    write_wav(folder / "chime.wav", 0.2)
    whole = (ROOT / "sounds" / "bell.wav").read_bytes()
    (folder / "cut.wav").write_bytes(whole[:2000])
    big_wav(folder / "huge.wav", 300)
    (folder / "text.wav").write_text("this is a shopping list, not a sound")
    (folder / "words.ogg").write_text("neither is this")
    os.mkfifo(folder / "pipe.wav")
    (folder / "a.wav").symlink_to("b.wav")
    (folder / "b.wav").symlink_to("a.wav")
    (folder / "zero.wav").symlink_to("/dev/zero")
    (folder / f"{CAFE}.wav").write_bytes((folder / "chime.wav").read_bytes())
    for i in range(50):
        (folder / f"junk{i}.txt").write_text("junk")


def companion(
    home: Path, *args: str, prefix: tuple[str, ...] = (), timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """The installed console script with a strict UTF-8 terminal encoding (no surrogates)."""
    assert COMPANION is not None
    env = {
        **os.environ,
        "COMPANION_HOME": str(home),
        "SDL_AUDIODRIVER": "dummy",
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8:strict",
    }
    return subprocess.run(
        [*prefix, COMPANION, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        errors="strict",
    )


# -- files root cannot read -------------------------------------------------------------------
# Root reads any file whatever its mode (CAP_DAC_OVERRIDE). These runs drop that capability
# (and CAP_DAC_READ_SEARCH) from the bounding set with setpriv, so the kernel refuses root
# exactly as it refuses anyone: a real "Permission denied", nothing faked.
NO_OVERRIDE = ("setpriv", "--bounding-set", "-dac_override,-dac_read_search")
needs_setpriv = pytest.mark.skipif(
    shutil.which("setpriv") is None or os.geteuid() != 0,
    reason="needs root and setpriv to deny reading as root",
)
