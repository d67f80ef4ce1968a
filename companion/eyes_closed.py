"""Practising with eyes closed: a soundscape beneath a sitting, cue tones and spoken cues.

An Accompaniment is attached to a Sitting (not to a screen), so the practice screen and
`companion run --plain` behave the same. It listens to the sitting: at its beginning it
starts the soundscape and joins the sitting's bell thread; a pause fades the soundscape out
and a resume fades it back in; the end lets it go. Its tones and spoken lines are read off
the timeline (engine/ear_cues.py) and rung by the same Chimes thread as the bells, so they
are exactly on time and a pause, skip or held breath moves them like the bells.

Spoken lines are rendered ahead by the Voice (all of a practice's lines are queued at the
beginning, nearest first); `AHEAD` seconds before a line is due its file is loaded into the
mixer, and at its moment it is played only if it is ready: a late line is skipped, never said
late.

Pure: imports neither textual nor pygame (the player and the voice are handed in).
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.engine.bells import SoundEvent
from companion.engine.ear_cues import CueTones, all_spoken_texts, eyes_closed_sounds, spoken_lines

if TYPE_CHECKING:  # named only: the mixer's module must not load with the sitting
    from companion.config import Config
    from companion.paths import Paths
    from companion.sitting import Sitting, SittingEvent
    from companion.sound.chimes import Chimes
    from companion.sound.player import Player
    from companion.sound.voice import Voice

AHEAD = 2.0  # seconds before a spoken line is due that its file is loaded into the mixer
SPEECH = "speech"  # the role of a spoken line on the bell schedule (the sound is its words)
SPEECH_AHEAD = "speech-ahead"
EYES_CLOSED_TONE = "eyes-closed"  # sound/tones.py EYES_CLOSED: the mode was turned on
OFF = "off"

_attached: weakref.WeakKeyDictionary[Sitting, Accompaniment] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class EarChoice:
    """What a sitting will sound like: the practice's `[sound]` table over the settings."""

    background: str | None  # a soundscape name, None for none
    background_volume: float
    eyes_closed: bool
    tones: CueTones

    @classmethod
    def of(cls, sitting: Sitting, config: Config) -> EarChoice:
        """The practice's choices first (`run --background/--eyes-closed` set those), then yours."""
        chosen = sitting.practice.sound
        name = chosen.background if chosen.background is not None else config.background
        name = name.strip()
        volume = chosen.background_volume
        eyes = chosen.eyes_closed
        return cls(
            background=None if name.lower() in ("", OFF, "none") else name,
            background_volume=config.background_volume if volume is None else volume,
            eyes_closed=config.eyes_closed if eyes is None else eyes,
            tones=CueTones.of(chosen),
        )


class Accompaniment:
    """The soundscape, tones and voice of one sitting; see the module's docstring."""

    def __init__(
        self,
        sitting: Sitting,
        player: Player,
        choice: EarChoice,
        *,
        voice: Voice | None = None,
        soundscapes: Collection[str] = (),
    ) -> None:
        self.sitting = sitting
        self.player = player
        self.choice = choice
        self.voice = voice
        self.soundscapes = tuple(sorted(soundscapes))
        self.eyes_closed = choice.eyes_closed
        self.volume = choice.background_volume
        self.spoken: list[tuple[float, str]] = []  # (practice time, words) said
        self.skipped: list[tuple[float, str]] = []  # (practice time, words) not ready in time
        self._begun = False
        self._own: Chimes | None = None  # a thread of our own when the sitting rings no bells

    # -- joining a sitting ----------------------------------------------------------------
    def attach(self) -> Accompaniment:
        """Listen to the sitting from now on (and begin at once if it already has)."""
        _attached[self.sitting] = self
        self.sitting.extra_sounds = self  # rung by the bell thread from its first moment
        self.sitting.listen(self._on_event)
        if self.sitting.started:
            self._begin()
        return self

    def _on_event(self, event: SittingEvent) -> None:
        # A sound failure must never interrupt a practice (a player without soundscapes, a
        # device gone): the soundscape just stays quiet, as the bells do in the sitting.
        with contextlib.suppress(Exception):
            self._act(event)

    def _act(self, event: SittingEvent) -> None:
        if event.kind == "began":
            self._begin()
        elif event.kind == "paused":
            self.player.pause_background()
            if self._own is not None:
                self._own.sync()  # (the sitting syncs its own bells)
        elif event.kind == "resumed":
            self.player.resume_background()
            if self._own is not None:
                self._own.sync()
        elif event.kind == "ended":
            if self.voice is not None:
                self.voice.close()
            own, self._own = self._own, None
            if own is not None:
                own.stop()
            self.player.stop_background()
        elif event.kind in ("skipped", "held"):
            self._look_again()

    def _begin(self) -> None:
        if self._begun:
            return
        self._begun = True
        if self.choice.background:
            with contextlib.suppress(Exception):
                self.player.start_background(self.choice.background, self.volume)
        voice = self.voice
        if voice is not None:
            timeline = self.sitting.timeline
            threading.Thread(  # an hour of events takes a moment to list: off the caller's thread
                target=lambda: voice.prepare(all_spoken_texts(timeline)),
                name="companion-voice-queue",
                daemon=True,
            ).start()
        chimes = self.sitting.chimes
        if chimes is None:
            # The plain runner rings the bells itself, each with its line; the tones and
            # words get a thread of their own on the same session clock.
            from companion.sound.chimes import Chimes

            sitting = self.sitting
            chimes = Chimes(
                sitting.timeline, sitting.session, self.player, sitting.clock, bells=False
            )
            chimes.extra = self
            self._own = chimes
            chimes.start()
        elif chimes.extra is not self:  # attached after begin()
            chimes.extra = self
            chimes.sync()

    @property
    def thread(self) -> Chimes | None:
        """The bell thread ringing the tones and words: the sitting's, or its own in --plain."""
        return self._own or self.sitting.chimes

    def _look_again(self) -> None:
        chimes = self._own or self.sitting.chimes
        if chimes is not None:
            chimes.sync()

    # -- keys -----------------------------------------------------------------------------
    def toggle_eyes_closed(self) -> str:
        """The `e` key: tones from now on, or not; returns a short notice."""
        self.eyes_closed = not self.eyes_closed
        if self.eyes_closed:
            self.player.play(EYES_CLOSED_TONE, role="phase")
        self._look_again()
        if self.eyes_closed:
            return "Eyes closed: soft tones mark each change."
        return "Eyes open: the tones rest."

    def cycle_background(self) -> str:
        """The `a` key: the next soundscape, then none; returns a short notice."""
        if not self.soundscapes:
            return "No soundscapes are installed."
        current = self.player.background
        ordered = self.soundscapes
        if current is None or current not in ordered:
            name: str | None = ordered[0] if current is None else None
        else:
            i = ordered.index(current)
            name = ordered[i + 1] if i + 1 < len(ordered) else None
        if name is None:
            self.player.stop_background()
            return "Soundscape off."
        self.player.start_background(name, self.volume)
        if self.sitting.paused:
            self.player.pause_background()
        return f"Soundscape: {name}."

    # -- on the bell schedule (called by the Chimes thread) -------------------------------
    def sounds(self, t0: float, t1: float) -> list[SoundEvent]:
        """The tones and spoken lines due with t0 <= t < t1."""
        timeline = self.sitting.timeline
        eyes = self.eyes_closed
        out = eyes_closed_sounds(timeline, t0, t1, self.choice.tones) if eyes else []
        if self.voice is not None:
            for at, text in spoken_lines(timeline, t0 + AHEAD, t1 + AHEAD, tones=eyes):
                out.append(SoundEvent(at - AHEAD, text, SPEECH_AHEAD))
            for at, text in spoken_lines(timeline, t0, t1, tones=eyes):
                out.append(SoundEvent(at, text, SPEECH))
        out.sort(key=lambda s: s.t)
        return out

    def ring(self, sound: SoundEvent) -> bool:
        """Speak (or load ahead) a spoken line; False for a tone, which rings like a bell."""
        if sound.role not in (SPEECH, SPEECH_AHEAD):
            return False
        voice = self.voice
        path = voice.ready(sound.sound) if voice is not None else None
        if sound.role == SPEECH_AHEAD:
            if path is not None:
                self.player.prepare_speech(path)
        elif path is not None and self.player.play_speech(path):
            self.spoken.append((sound.t, sound.sound))
        else:
            self.skipped.append((sound.t, sound.sound))
        return True


def accompaniment_of(sitting: Sitting) -> Accompaniment | None:
    """The accompaniment attached to a sitting, if any (for the `a` and `e` keys)."""
    return _attached.get(sitting)


def accompany(
    sitting: Sitting, player: Player, config: Config, paths: Paths
) -> tuple[Accompaniment, str | None]:
    """Attach the soundscape, tones and voice the practice and settings choose; and a notice.

    The notice (None when all is well) says once why nothing will be spoken.
    """
    from companion.sound.files import soundscape_files
    from companion.sound.voice import make_voice

    voice, notice = make_voice(config.voice, paths.cache_dir)
    found = soundscape_files(paths)
    choice = EarChoice.of(sitting, config)
    if choice.background is not None and choice.background not in found:
        notice = f"No soundscape called {choice.background!r}; practising without one."
        choice = EarChoice(None, choice.background_volume, choice.eyes_closed, choice.tones)
    accompaniment = Accompaniment(sitting, player, choice, voice=voice, soundscapes=found)
    return accompaniment.attach(), notice
