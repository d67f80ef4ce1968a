"""Chime players behind one small protocol: pygame's mixer, silence, the terminal's bell, a recorder.

`make_player` is what the app calls. It returns at once: the mixer opens on a background
thread (importing pygame and opening a device costs 50-120 ms, which must not delay the
first frame), and a sound asked for before it is open plays as soon as it is. If no device
can be opened the player goes quiet and sets `notice` to one sentence for the app to show.
"""

from __future__ import annotations

import difflib
import os
import sys
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from companion.engine.clock import Clock
from companion.paths import Paths
from companion.sound.background import NoBackground, RecordedBackground
from companion.sound.files import sound_files, sound_problem
from companion.sound.mixer_background import MixerBackground
from companion.sound.protocol import Player as Player  # re-exported: its home before
from companion.sound.quiet import no_device_here, stderr_captured

DEFAULT_SOUND = "bowl"
NO_DEVICE = "No sound device found: practising in silence."
MIXER_FREQUENCY = 44_100
MIXER_BUFFER = 512  # 11.6 ms at 44.1 kHz: small enough for the 60 ms onset budget
MIXER_VOICES = 16  # bowls ring for 12 s, so several strikes overlap
PENDING_LIMIT = 2.0  # a sound asked for while the mixer was opening still plays if this fresh
BELL_ROLES = frozenset({"start", "end"})


class _Base(NoBackground):
    """State every player shares: volume, mute, notice, latency."""

    def __init__(
        self, *, volume: float = 0.8, muted: bool = False, notice: str | None = None
    ) -> None:
        self._volume = _clamp(volume)
        self._muted = muted
        self._notice = notice
        self._latency = 0.0

    @property
    def volume(self) -> float:
        """0..1."""
        return self._volume

    @property
    def muted(self) -> bool:
        """True when nothing should sound."""
        return self._muted

    @property
    def notice(self) -> str | None:
        """One sentence for the user when something fell back, else None."""
        return self._notice

    @property
    def latency(self) -> float:
        """Seconds of output buffer between play() and sound."""
        return self._latency

    def set_volume(self, volume: float) -> None:
        """Set the volume, clamped to 0..1."""
        self._volume = _clamp(volume)

    def set_muted(self, muted: bool) -> None:
        """Mute or unmute."""
        self._muted = muted

    def stop_all(self) -> None:
        """Silence everything that is ringing."""

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Nothing to open: always ready."""
        return True

    def close(self) -> None:
        """Nothing to release."""


class SilentPlayer(_Base):
    """Plays nothing; used for --no-sound and when no device can be opened."""

    def play(self, name: str, role: str = "") -> None:
        """Do nothing."""


TERMINAL = "CONOUT$" if sys.platform == "win32" else "/dev/tty"  # the console on Windows


class TerminalBellPlayer(_Base):
    """Rings the terminal's own bell ("\\a") at the start and end of a practice, for machines without audio."""

    def __init__(self, *, muted: bool = False, stream: IO[str] | None = None) -> None:
        super().__init__(muted=muted)
        self._stream = stream
        self._opened = False

    def play(self, name: str, role: str = "") -> None:
        """Ring the bell for opening and closing strikes; other sounds stay silent."""
        if self._muted or role not in BELL_ROLES:
            return
        stream = self._terminal()
        if stream is None:
            return
        try:
            stream.write("\a")
            stream.flush()
        except OSError:
            pass

    def _terminal(self) -> IO[str] | None:
        if self._stream is None and not self._opened:
            self._opened = True
            try:
                # The terminal itself, even when stdout or stderr is redirected.
                self._stream = open(TERMINAL, "w")  # noqa: SIM115 - held for the player's life
            except OSError:
                self._stream = None
        return self._stream

    def close(self) -> None:
        """Close the terminal if this player opened it."""
        if self._opened and self._stream is not None:
            self._stream.close()
            self._stream = None


@dataclass(frozen=True)
class Played:
    """One call to RecordingPlayer.play."""

    name: str
    time: float
    role: str


class RecordingPlayer(RecordedBackground, _Base):
    """A player for tests: records what was played and when (by `clock`, or 0.0)."""

    def __init__(
        self,
        clock: Clock | None = None,
        *,
        known: Collection[str] | None = None,
        volume: float = 0.8,
        muted: bool = False,
    ) -> None:
        super().__init__(volume=volume, muted=muted)
        self.clock = clock
        self.known = None if known is None else frozenset(known)
        self.played: list[Played] = []
        self.stops = 0

    @property
    def calls(self) -> list[tuple[str, float]]:
        """(name, time) of every sound played, in order."""
        return [(p.name, p.time) for p in self.played]

    def play(self, name: str, role: str = "") -> None:
        """Record the sound (the default bowl, with a notice, for an unknown name)."""
        if self._muted:
            return
        if self.known is not None and name not in self.known:
            self._notice = _missing_notice(name)
            name = DEFAULT_SOUND
        now = self.clock.now() if self.clock is not None else 0.0
        self.played.append(Played(name, now, role))

    def stop_all(self) -> None:
        """Count the stop."""
        self.stops += 1


class MixerPlayer(MixerBackground, _Base):
    """pygame's mixer, opened once (mono, small buffer) on a background thread; sounds load lazily."""

    def __init__(
        self,
        paths: Paths,
        *,
        volume: float = 0.8,
        muted: bool = False,
        background: bool = True,
        probe: bool = True,
        frequency: int = MIXER_FREQUENCY,
        buffer: int = MIXER_BUFFER,
    ) -> None:
        super().__init__(volume=volume, muted=muted)
        self.paths = paths
        self.frequency = frequency
        self.buffer = buffer
        self.open_seconds: float | None = None  # how long opening took (measured)
        self.opened_at: float | None = None  # time.monotonic() when the device started
        self._lock = threading.RLock()
        self._ready = threading.Event()
        self._mixer: Any = None  # pygame.mixer once open; None while opening or silent
        self._sounds: dict[str, Any] = {}
        self._files: dict[str, tuple[Path, str]] | None = None
        self._why: dict[str, str] = {}  # name -> why its file was refused, for the notice
        self._pending: list[tuple[str, float]] = []
        self._latency = buffer / frequency
        if probe and no_device_here():
            # Decided at once (a few stat calls), so the notice is there before the first frame,
            # and ALSA is never asked, so it never prints its complaints.
            self._notice = NO_DEVICE
            self.open_seconds = 0.0
            self._ready.set()
        elif background:
            # Not a daemon: exiting mid-open would tear pygame down under this thread and crash.
            threading.Thread(target=self._open, name="companion-audio", daemon=False).start()
        else:
            self._open()

    @property
    def available(self) -> bool:
        """True once the device is open."""
        return self._mixer is not None

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until the mixer has opened or failed; False on timeout."""
        return self._ready.wait(timeout)

    def _open(self) -> None:
        started = time.perf_counter()
        mixer: Any = None
        try:
            mixer = _open_mixer(self.frequency, self.buffer)
            if mixer is None:
                self._notice = NO_DEVICE
            else:
                self._latency = self.buffer / mixer.get_init()[0]
                self.opened_at = time.monotonic()
            with self._lock:
                self._mixer = mixer
                if mixer is not None:
                    self._bg_reserve()  # before any bell: a soundscape must never cut one short
                    self._load(DEFAULT_SOUND)  # most practices open with it: ready before it is due
                    now = time.monotonic()
                    for name, asked in self._pending:
                        if now - asked <= PENDING_LIMIT and not self._muted:
                            self._start(name)
        finally:
            # Ready only once the queue is played, so nobody closes the mixer under our feet.
            with self._lock:
                self._pending = []
                self.open_seconds = time.perf_counter() - started
                self._ready.set()

    def play(self, name: str, role: str = "") -> None:
        """Start `name` now; unknown or unreadable names play the bowl and set a notice."""
        if self._muted:
            return
        self._duck_under(role)  # a soundscape steps back for a bell
        with self._lock:
            if not self._ready.is_set():
                self._pending.append((name, time.monotonic()))
                return
            self._start(name)

    def _start(self, name: str) -> None:
        with self._lock:
            if self._mixer is None:
                return
            sound = self._load(name)
            if sound is None and name != DEFAULT_SOUND:
                self._notice = _missing_notice(name, self._why.get(name))
                sound = self._load(DEFAULT_SOUND)
            if sound is None:
                return
            channel = sound.play()
            if channel is not None:
                channel.set_volume(self._volume)

    def _load(self, name: str) -> Any:
        """The pygame Sound for a name, loaded once; None when missing or unreadable."""
        with self._lock:
            if name in self._sounds:
                return self._sounds[name]
            if self._mixer is None:
                return None
            if self._files is None or name not in self._files:
                before, self._files = self._files or {}, sound_files(self.paths)
                if name in before and name not in self._files:  # deleted while we ran: say so
                    self._files[name] = before[name]
            found = self._files.get(name)
            # Refused before decoding (300 MB, a pipe, text, deleted); the bowl has the bundled one.
            why = None if found is None else sound_problem(found[0])
            if name == DEFAULT_SOUND and (found is None or why is not None):
                found, why = (self.paths.bundled_sounds / f"{DEFAULT_SOUND}.wav", "bundled"), None
            if found is None or why is not None:
                self._why[name] = f"{found[0]} {why}" if found else ""
                return None
            try:
                sound = self._mixer.Sound(str(found[0]))
            except Exception:  # pygame.error, OSError, a broken file: never crash for a bell
                return None
            self._sounds[name] = sound
            return sound

    def length(self, name: str) -> float | None:
        """Seconds a sound lasts, or None when it cannot be loaded."""
        sound = self._load(name)
        return None if sound is None else float(sound.get_length())

    def busy(self) -> bool:
        """True while anything is sounding."""
        with self._lock:
            return self._mixer is not None and bool(self._mixer.get_busy())

    def wait_quiet(self, timeout: float) -> bool:
        """Block until nothing is sounding (polling every 20 ms); False on timeout."""
        deadline = time.monotonic() + timeout
        idle = threading.Event()
        while self.busy():
            if time.monotonic() >= deadline:
                return False
            idle.wait(0.02)
        return True

    def stop_all(self) -> None:
        """Silence every channel but the soundscape's (it fades on pause_background)."""
        with self._lock:
            if self._mixer is not None:
                keep = self._background_channels()
                for i in (i for i in range(self._mixer.get_num_channels()) if i not in keep):
                    self._mixer.Channel(i).stop()

    def set_volume(self, volume: float) -> None:
        """Set the volume; sounds already ringing follow it."""
        super().set_volume(volume)
        self._apply_volume()

    def set_muted(self, muted: bool) -> None:
        """Mute (ringing sounds drop to nothing) or unmute (they come back)."""
        super().set_muted(muted)
        self._apply_volume()

    def _apply_volume(self) -> None:
        with self._lock:
            if self._mixer is None:
                return
            level = 0.0 if self._muted else self._volume
            for i in range(self._mixer.get_num_channels()):
                self._mixer.Channel(i).set_volume(level)

    def close(self) -> None:
        """Close the device; the player is silent afterwards."""
        self._ready.wait(5.0)
        with self._lock:
            if self._mixer is not None:
                self._mixer.quit()
                self._mixer = None
            self._sounds.clear()


def _open_mixer(frequency: int, buffer: int) -> Any:
    """pygame.mixer opened mono at `frequency`, or None when no device can be opened."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # its banner goes to stdout
    try:
        import pygame.mixer
    except Exception:  # pygame missing or broken: carry on in silence
        return None
    try:
        with stderr_captured():
            pygame.mixer.init(frequency=frequency, size=-16, channels=1, buffer=buffer)
        pygame.mixer.set_num_channels(MIXER_VOICES)
    except Exception:  # pygame.error: no driver, no card, device busy
        return None
    return pygame.mixer


def make_player(
    paths: Paths,
    *,
    enabled: bool = True,
    volume: float = 0.8,
    muted: bool = False,
    terminal_bell: bool = False,
) -> Player:
    """The player the app uses; returns at once (the mixer opens on a background thread).

    enabled=False (--no-sound) is silent; terminal_bell=True rings the terminal's bell at the
    start and end instead of opening audio. Otherwise pygame's mixer, falling back to silence
    with a notice when there is no device.
    """
    if not enabled:
        return SilentPlayer(volume=volume, muted=muted)
    if terminal_bell:
        return TerminalBellPlayer(muted=muted)
    return MixerPlayer(paths, volume=volume, muted=muted)


def close_names(name: str, names: Collection[str]) -> list[str]:
    """Up to three known names that look like `name`."""
    close = difflib.get_close_matches(name, sorted(names), n=3, cutoff=0.5)
    return close or [n for n in sorted(names) if name.lower() in n.lower()][:3]


def _missing_notice(name: str, why: str | None = None) -> str:
    why = why or "there is no file of that name in the sounds folders any more"
    return f"Sound {name!r} could not be played ({why}): using the {DEFAULT_SOUND} instead."


def _clamp(volume: float) -> float:
    return min(1.0, max(0.0, float(volume)))
