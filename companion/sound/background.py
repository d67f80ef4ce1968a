"""Soundscapes: finding them, and playing one in a loop beneath the bells.

The mixer player plays a soundscape on a reserved channel (two, so switching crossfades) and
speech on a third, so a bell never takes their place. Every change (start, switch, pause,
resume, stop, a duck under a bell or a spoken cue, a volume change) only records what is
wanted and when; one small thread turns that into the soundscape's level, a function of the
monotonic time, every 20 ms while something is moving and not at all otherwise. Master
volume and mute are the channel's volume, set by the player as for every other channel, so
they apply to the background without it knowing.

Nothing here imports pygame: the mixer player hands in its opened `pygame.mixer`.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from companion.engine.clock import Clock

DEFAULT_BACKGROUND_VOLUME = 0.3
BACKGROUND_CHANNELS = (0, 1)  # reserved: the playing soundscape and the one fading out
VOICE_CHANNEL = 2  # reserved: speech
RESERVED = 3
FADE = 1.5  # seconds: pause fades out, resume fades in, switching crossfades
DUCK_LEVEL = 0.35  # the soundscape's level under a bell or a spoken cue (about -9 dB)
DUCK_IN = 0.08  # seconds to go down: quick, but not a cut
DUCK_OUT = 0.8  # seconds to come back up: slow, so the return is not noticed
BELL_DUCK = 3.0  # seconds a bell keeps the soundscape low: its strike and first ring
DUCKED_ROLES = frozenset({"start", "end", "interval", "chime"})
TICK = 0.02  # seconds between level updates while something is moving


def next_soundscape(current: str | None, names: Collection[str]) -> str | None:
    """The soundscape after `current` in name order, then None (off), then the first again."""
    ordered = sorted(names)
    if not ordered:
        return None
    if current is None or current not in ordered:
        return ordered[0] if current is None else None
    i = ordered.index(current)
    return ordered[i + 1] if i + 1 < len(ordered) else None


class Backgrounds(Protocol):
    """What a practice needs from a player for soundscapes and speech."""

    @property
    def background(self) -> str | None:
        """The soundscape playing (or paused), None when there is none."""
        ...

    def start_background(self, name: str, volume: float = DEFAULT_BACKGROUND_VOLUME) -> None:
        """Loop a soundscape, fading in; another one playing fades out at the same time."""
        ...

    def set_background_volume(self, volume: float) -> None:
        """The soundscape's own level, 0..1 (under the master volume)."""
        ...

    def pause_background(self) -> None:
        """Fade the soundscape out and hold its place."""
        ...

    def resume_background(self) -> None:
        """Fade it back in from where it was."""
        ...

    def stop_background(self) -> None:
        """Fade it out and let it go."""
        ...

    def duck_background(self, seconds: float) -> None:
        """Lower it now for `seconds` (under a bell or a spoken cue), then bring it back."""
        ...

    def prepare_speech(self, path: Path) -> None:
        """Load a rendered cue ahead of its time, so play_speech starts it at once."""
        ...

    def play_speech(self, path: Path) -> bool:
        """Play a rendered cue now on the speech channel, ducking the soundscape; False if not."""
        ...


class NoBackground:
    """Soundscapes and speech for players that play neither: every call does nothing."""

    @property
    def background(self) -> str | None:
        """Always None."""
        return None

    def start_background(self, name: str, volume: float = DEFAULT_BACKGROUND_VOLUME) -> None:
        """Do nothing."""

    def set_background_volume(self, volume: float) -> None:
        """Do nothing."""

    def pause_background(self) -> None:
        """Do nothing."""

    def resume_background(self) -> None:
        """Do nothing."""

    def stop_background(self) -> None:
        """Do nothing."""

    def duck_background(self, seconds: float) -> None:
        """Do nothing."""

    def prepare_speech(self, path: Path) -> None:
        """Do nothing."""

    def play_speech(self, path: Path) -> bool:
        """Nothing can be spoken."""
        return False


@dataclass(frozen=True)
class BackgroundEvent:
    """One soundscape call a RecordingPlayer saw: action, name or detail, and when."""

    action: str  # start | volume | pause | resume | stop | duck
    name: str
    time: float
    value: float = 0.0  # the volume for start and volume, the seconds for duck


class RecordedBackground:
    """Soundscapes for the test player: each call is recorded; state follows the calls."""

    clock: Clock | None
    _muted: bool

    @property
    def background_events(self) -> list[BackgroundEvent]:
        """Every soundscape call so far."""
        if not hasattr(self, "_bg_events"):
            self._bg_events: list[BackgroundEvent] = []
            self._bg_name: str | None = None
        return self._bg_events

    @property
    def background(self) -> str | None:
        """The soundscape started last and not stopped since."""
        self.background_events  # noqa: B018 - makes sure the state exists
        return self._bg_name

    def _note(self, action: str, name: str = "", value: float = 0.0) -> None:
        now = self.clock.now() if self.clock is not None else 0.0
        self.background_events.append(BackgroundEvent(action, name, now, value))

    def start_background(self, name: str, volume: float = DEFAULT_BACKGROUND_VOLUME) -> None:
        """Record the start."""
        self._note("start", name, volume)
        self._bg_name = name

    def set_background_volume(self, volume: float) -> None:
        """Record the change."""
        self._note("volume", self.background or "", volume)

    def pause_background(self) -> None:
        """Record the pause."""
        self._note("pause", self.background or "")

    def resume_background(self) -> None:
        """Record the resume."""
        self._note("resume", self.background or "")

    def stop_background(self) -> None:
        """Record the stop."""
        self._note("stop", self.background or "")
        self._bg_name = None

    def duck_background(self, seconds: float) -> None:
        """Record the duck."""
        self._note("duck", self.background or "", seconds)

    def prepare_speech(self, path: Path) -> None:
        """Nothing to load."""

    def play_speech(self, path: Path) -> bool:
        """Record the speech, named after the file (muted: nothing)."""
        if self._muted:
            return False
        self._note("speech", path.name)
        return True


@dataclass
class _Layer:
    """One soundscape on one reserved channel, with the fade it is in."""

    name: str
    path: Path
    volume: float
    channel_index: int
    fade_from: float = 0.0
    fade_to: float = 0.0  # silent until a fade is asked for
    fade_start: float = 0.0
    fade_length: float = FADE
    then: str = ""  # what to do once faded to nothing: "pause" or "stop"
    sound: Any = None
    playing: bool = False  # started on its channel
    paused: bool = False  # held by channel.pause()

    def fade(self, now: float) -> float:
        """The fade gain at `now`, 0..1."""
        if self.fade_length <= 0.0:
            return self.fade_to
        done = min(1.0, max(0.0, (now - self.fade_start) / self.fade_length))
        return self.fade_from + (self.fade_to - self.fade_from) * done

    def fade_done(self, now: float) -> bool:
        """True once the fade has reached its end."""
        return now >= self.fade_start + self.fade_length

    def fade_towards(self, target: float, now: float, length: float, then: str = "") -> None:
        """Start a new fade from wherever the level is now."""
        self.fade_from = self.fade(now)
        self.fade_to, self.fade_start, self.fade_length, self.then = target, now, length, then


@dataclass
class _Duck:
    """When the soundscape went down and when it may come back up."""

    start: float = -1e9
    until: float = -1e9

    def gain(self, now: float) -> float:
        """1 when not ducked, DUCK_LEVEL while ducked, with ramps either side."""
        down = 1.0 - (1.0 - DUCK_LEVEL) * min(1.0, max(0.0, (now - self.start) / DUCK_IN))
        up = DUCK_LEVEL + (1.0 - DUCK_LEVEL) * min(1.0, max(0.0, (now - self.until) / DUCK_OUT))
        return max(down, up)

    def extend(self, now: float, seconds: float) -> None:
        """Go (or stay) down until now + seconds, starting from the present level."""
        level = self.gain(now)
        self.start = now - DUCK_IN * (1.0 - level) / (1.0 - DUCK_LEVEL)
        self.until = max(self.until if level < 1.0 else now, now + seconds)

    def moving(self, now: float) -> bool:
        """True until the level is back to 1."""
        return now < self.until + DUCK_OUT


@dataclass
class _State:
    """Everything the level thread reads, guarded by the player's lock."""

    layers: list[_Layer] = field(default_factory=list)
    duck: _Duck = field(default_factory=_Duck)
    wake: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    speech: dict[Path, Any] = field(default_factory=dict)
