"""The mixer player's soundscape and speech channels (see companion/sound/background.py).

A mixin for MixerPlayer: the public calls record what is wanted under the player's lock and
wake one thread; that thread loads files, starts, pauses and stops channels and sets the
soundscape's level, so no call made from the app's thread ever waits on a file or the device.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from companion.paths import Paths
from companion.sound.background import (
    BACKGROUND_CHANNELS,
    BELL_DUCK,
    DEFAULT_BACKGROUND_VOLUME,
    DUCKED_ROLES,
    FADE,
    RESERVED,
    TICK,
    VOICE_CHANNEL,
    _Layer,
    _State,
)
from companion.sound.files import sound_problem, soundscape_files

SPEECH_TAIL = 0.3  # seconds the soundscape stays low after speech ends


class MixerBackground:
    """Soundscapes and speech on reserved channels of pygame's mixer."""

    paths: Paths
    _lock: threading.RLock
    _ready: threading.Event
    _mixer: Any
    _muted: bool
    _volume: float
    _notice: str | None
    _bg_state: _State | None = None

    # -- what the app calls (quick: record and wake) -----------------------------------------

    @property
    def background(self) -> str | None:
        """The soundscape playing (or paused), None when there is none."""
        with self._lock:
            live = [layer for layer in self._bg().layers if layer.then != "stop"]
            return live[-1].name if live else None

    def start_background(self, name: str, volume: float = DEFAULT_BACKGROUND_VOLUME) -> None:
        """Loop a soundscape, fading in; the one playing (if any) fades out meanwhile."""
        found = soundscape_files(self.paths).get(name)
        with self._lock:
            state = self._bg()
            now = time.monotonic()
            if found is None:
                self._notice = f"No soundscape called {name!r}: practising without one."
                return
            for layer in state.layers:
                layer.fade_towards(0.0, now, FADE, then="stop")
            used = {layer.channel_index for layer in state.layers}
            free = [i for i in BACKGROUND_CHANNELS if i not in used]
            if not free:  # both busy (switching fast): the older one goes at once
                oldest = state.layers.pop(0)
                if self._mixer is not None:
                    self._mixer.Channel(oldest.channel_index).stop()
                free = [oldest.channel_index]
            layer = _Layer(name, found[0], _clamp(volume), free[0])
            layer.fade_towards(1.0, now, FADE)
            state.layers.append(layer)
            self._bg_wake()

    def set_background_volume(self, volume: float) -> None:
        """The soundscape's own level, 0..1 (under the master volume)."""
        with self._lock:
            for layer in self._bg().layers:
                layer.volume = _clamp(volume)
            self._bg_wake()

    def pause_background(self) -> None:
        """Fade the soundscape out and hold its place."""
        self._bg_fade(0.0, "pause")

    def resume_background(self) -> None:
        """Fade it back in from where it was."""
        self._bg_fade(1.0, "")

    def stop_background(self) -> None:
        """Fade it out and let it go."""
        self._bg_fade(0.0, "stop")

    def duck_background(self, seconds: float) -> None:
        """Lower it now for `seconds`, then bring it back slowly."""
        with self._lock:
            state = self._bg()
            if state.layers:
                state.duck.extend(time.monotonic(), max(0.0, seconds))
                self._bg_wake()

    def prepare_speech(self, path: Path) -> None:
        """Load a rendered cue ahead of its time (about 6 ms for 8 s of speech, off the lock)."""
        with self._lock:
            mixer, state = self._mixer, self._bg()
            if mixer is None or path in state.speech:
                return
        try:
            sound = mixer.Sound(str(path))
        except Exception:  # pygame.error, a broken or vanished file: play_speech will skip it
            return
        with self._lock:
            self._keep_speech(path, sound)

    def play_speech(self, path: Path) -> bool:
        """Play a rendered cue on the speech channel now, ducking the soundscape under it."""
        if self._muted:
            return False
        with self._lock:
            if self._mixer is None:
                return False
            state = self._bg()
            sound = state.speech.get(path)
            if sound is None:
                try:
                    sound = self._mixer.Sound(str(path))
                except Exception:  # pygame.error, a broken or vanished file: skip the cue
                    return False
                self._keep_speech(path, sound)
            self._bg_reserve()
            channel = self._mixer.Channel(VOICE_CHANNEL)
            channel.play(sound)
            channel.set_volume(self._volume)
            if state.layers:
                state.duck.extend(time.monotonic(), float(sound.get_length()) + SPEECH_TAIL)
                self._bg_wake()
            return True

    def _keep_speech(self, path: Path, sound: Any) -> None:
        """Hold the loaded cue, with the one before it (which may still be speaking)."""
        state = self._bg()
        kept = [(p, s) for p, s in state.speech.items() if p != path][-1:]
        state.speech = {**dict(kept), path: sound}

    # -- hooks the player calls ----------------------------------------------------------------

    def _duck_under(self, role: str) -> None:
        """A bell is about to ring: keep the soundscape low through its strike."""
        if role in DUCKED_ROLES and self._bg_state is not None and self._bg_state.layers:
            self.duck_background(BELL_DUCK)

    def _background_channels(self) -> tuple[int, ...]:
        """Channels stop_all leaves alone (the soundscape pauses by fading, not by a cut)."""
        return BACKGROUND_CHANNELS if self._bg_state is not None else ()

    # -- the level thread ------------------------------------------------------------------

    def _bg(self) -> _State:
        if self._bg_state is None:
            self._bg_state = _State()
        return self._bg_state

    def _bg_wake(self) -> None:
        state = self._bg()
        if state.thread is None:
            state.thread = threading.Thread(
                target=self._bg_run, name="companion-background", daemon=True
            )
            state.thread.start()
        state.wake.set()

    def _bg_fade(self, target: float, then: str) -> None:
        with self._lock:
            now = time.monotonic()
            for layer in self._bg().layers:
                if layer.then != "stop":
                    layer.fade_towards(target, now, FADE, then=then)
            self._bg_wake()

    def _bg_reserve(self) -> None:
        if self._mixer is not None and self._mixer.get_num_channels() > RESERVED:
            self._mixer.set_reserved(RESERVED)

    def _bg_run(self) -> None:
        self._ready.wait()
        state = self._bg()
        while True:
            with self._lock:
                mixer = self._mixer
                if mixer is None:  # no device, or closed
                    return
                state.wake.clear()
                unloaded = [layer for layer in state.layers if layer.sound is None]
            # Files load outside the lock, so a bell asked for meanwhile is not held up.
            for layer in unloaded:
                try:
                    # A user's file over 32 MiB, cut short, text or a pipe: refused undecoded.
                    why = sound_problem(layer.path)
                    layer.sound = False if why else mixer.Sound(str(layer.path))
                except Exception:  # pygame.error, an unreadable file: say so, drop it
                    layer.sound = False
            with self._lock:
                if self._mixer is None:
                    return
                moving = self._bg_step(time.monotonic())
            state.wake.wait(TICK if moving else 1.0)

    def _bg_step(self, now: float) -> bool:
        """Bring every channel to its level at `now`; True while anything is still changing."""
        state = self._bg()
        self._bg_reserve()
        moving = state.duck.moving(now)
        for layer in list(state.layers):
            moving = self._bg_settle(layer, now, state.duck.gain(now)) or moving
        return moving

    def _bg_settle(self, layer: _Layer, now: float, duck: float = 1.0) -> bool:
        """One layer to its level at `now`; True while its fade is under way."""
        state = self._bg()
        channel = self._mixer.Channel(layer.channel_index)
        if layer.fade_done(now) and layer.fade_to == 0.0 and layer.then:
            if layer.then == "stop":
                channel.stop()
                if layer in state.layers:
                    state.layers.remove(layer)
            elif not layer.paused:
                channel.pause()
                layer.paused = True
            return False
        if layer.sound is None:  # asked for after this step's loading: next step
            return True
        if layer.sound is False:
            self._notice = f"The soundscape {layer.name!r} could not be played."
            state.layers.remove(layer)
            return False
        layer.sound.set_volume(layer.volume * layer.fade(now) * duck)
        if layer.paused:
            channel.unpause()
            layer.paused = False
        if not layer.playing or not channel.get_busy():  # new, or cut by something else
            channel.play(layer.sound, loops=-1)
            channel.set_volume(0.0 if self._muted else self._volume)
            layer.playing = True
        return not layer.fade_done(now)


def _clamp(volume: float) -> float:
    return min(1.0, max(0.0, float(volume)))
