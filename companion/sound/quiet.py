"""Keeping SDL's and ALSA's complaints off the screen while the mixer opens.

Two layers. `no_device_here()` answers "is there certainly no audio device?" from the files a
sound server or sound card leaves behind, so on a headless machine the mixer is never tried
and ALSA never prints. When the mixer is tried, `stderr_captured()` points fd 2 at a
temporary file for the few milliseconds of the attempt, then puts it back and replays
whatever was written there except the lines from ALSA, JACK and SDL: fd 2 is also where
Textual draws the screen, so a plain redirect to /dev/null could swallow part of a frame.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

# Lines written by the audio libraries when a device is missing or busy.
NOISE_PREFIXES: tuple[bytes, ...] = (
    b"ALSA lib ",
    b"ALSA:",
    b"Cannot connect to server",
    b"jack server",
    b"JackShmReadWritePtr",
    b"SDL",
)


def no_device_here(environ: Mapping[str, str] | None = None) -> bool:
    """True when, on Linux with no SDL driver chosen, neither a sound card nor a sound server exists."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux") or env.get("SDL_AUDIODRIVER"):
        return False
    snd = Path("/dev/snd")
    if snd.is_dir() and any(p.name.startswith("pcm") for p in snd.iterdir()):
        return False
    if env.get("PULSE_SERVER") or env.get("PIPEWIRE_REMOTE") or env.get("JACK_DEFAULT_SERVER"):
        return False
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime:
        base = Path(runtime)
        if (base / "pulse" / "native").exists() or (base / "pipewire-0").exists():
            return False
    return True


def strip_noise(data: bytes) -> bytes:
    """Drop the audio libraries' lines; keep everything else byte for byte."""
    kept = [
        line
        for line in data.splitlines(keepends=True)
        if not line.lstrip().startswith(NOISE_PREFIXES)
    ]
    return b"".join(kept)


@contextmanager
def stderr_captured() -> Iterator[None]:
    """Send fd 2 to a temporary file for the block, then replay it without audio-library noise."""
    with suppress(AttributeError, ValueError, OSError):
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:
        yield  # no fd 2 to protect
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            rest = strip_noise(sink.read())
            if rest:
                with suppress(OSError):
                    os.write(2, rest)
