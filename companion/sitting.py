"""One running practice, outside any user interface: a sitting.

A sitting owns everything that happens between "begin" and "end" of one practice:

- the engine's Session (the clock, pause and resume, skip, the end),
- the Chimes (the bell thread, given a Player),
- the journal's Recorder (the run, a heartbeat once a second of practice time, notes, their
  undo, the check-ins before and after, the end),
- the notes, including those taken before it began (kept and stamped at its first moment),
- the course, day and reflection it was started with.

It ends in an immutable Outcome, which the summary screen, the plain runner and the journal
all read. The practice screen only draws `state()` and forwards keys; `companion run --plain`
drives the same object.

Journal and sound failures never interrupt a practice: the recorder switches itself off and
sets `notice`, which the sitting hands to its listeners once (event kind "journal").

Listeners are plain callables given a SittingEvent. They run on the thread that changed the
sitting (today always the app's loop or the plain runner's thread); one that draws must hop
to its own thread. Later features attach here: notes sent from another terminal, a
`status --follow` command, soundscapes that fade on pause, the window title.

Pure: imports neither textual nor pygame.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, NamedTuple

from companion.engine.clock import Clock
from companion.engine.notes import Note
from companion.engine.session import Session
from companion.engine.state import State
from companion.engine.timeline import Timeline, build_timeline
from companion.practice.model import Practice

if TYPE_CHECKING:  # named only: importing them at run time would load the mixer's module
    from companion.journal.recorder import Recorder
    from companion.sound.chimes import Chimes, ExtraSounds
    from companion.sound.player import Player

EventKind = Literal[
    "began", "noted", "undone", "paused", "resumed", "skipped", "held", "ended", "journal"
]


# Records made while a practice starts are NamedTuples, not frozen dataclasses: Python 3.11
# compiles each dataclass method from source at import, about 0.6 ms a class (issue 18).
class SittingEvent(NamedTuple):
    """Something that happened to a sitting, at practice time `t`."""

    kind: EventKind
    t: float
    note: Note | None = None  # "noted" and "undone": the note taken or taken back
    notice: str | None = None  # "journal": one sentence saying why nothing more is recorded
    held: float | None = None  # "held": seconds the breath was held before the continue key


Listener = Callable[[SittingEvent], None]


class Outcome(NamedTuple):
    """What one sitting came to: what was practised, the notes, planned against practised."""

    practice: Practice
    notes: tuple[Note, ...]
    planned: float | None  # seconds (None: an open practice)
    practised: float  # seconds of practice time, pauses and the unheld rest of holds not counted
    completed: bool  # ran to its end (False: ended early, or still running)
    checkin_before: int | None = None
    checkin_after: int | None = None
    reflection: str = ""
    course: str | None = None
    day: int | None = None
    holds: tuple[float, ...] = ()  # seconds of each key-ended hold, in order

    @property
    def checkin(self) -> tuple[int | None, int | None]:
        """The check-ins before and after (None where there was none)."""
        return (self.checkin_before, self.checkin_after)


class Sitting:
    """One practice from its first moment to its outcome; see the module's docstring."""

    def __init__(
        self,
        practice: Practice,
        clock: Clock,
        *,
        course: str | None = None,
        day: int | None = None,
        reflection: str = "",
        checkin_before: int | None = None,
        timeline: Timeline | None = None,
    ) -> None:
        self.practice = practice
        self.clock = clock
        self.course = course
        self.day = day
        self.reflection = reflection
        self.checkin_before = checkin_before
        self.checkin_after: int | None = None
        self.timeline = timeline if timeline is not None else build_timeline(practice)
        self.session = Session(self.timeline, clock)
        self.notes: list[Note] = []
        self.chimes: Chimes | None = None
        # More sounds for the bell thread (companion/eyes_closed.py sets it before begin()).
        self.extra_sounds: ExtraSounds | None = None
        self.recorder: Recorder | None = None
        self.completed = False
        self._early: list[tuple[str, str]] = []  # (key, label) taken before begin()
        self._listeners: list[Listener] = []
        self._last_second = -1
        self._told = False  # the journal's notice has been handed on
        self._opened = False  # the journal's run is written at the start bell, not before it
        self._holds_kept = 0  # key-ended holds already written to the journal

    # -- listeners ------------------------------------------------------------------------
    def listen(self, listener: Listener) -> None:
        """Call `listener` with every event from now on (an error in it reaches the caller)."""
        self._listeners.append(listener)

    def unlisten(self, listener: Listener) -> None:
        """Stop calling `listener` (nothing happens if it was not listening)."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(
        self,
        kind: EventKind,
        note: Note | None = None,
        notice: str | None = None,
        held: float | None = None,
    ) -> None:
        event = SittingEvent(kind, self.session.elapsed(), note, notice, held)
        for listener in list(self._listeners):  # a listener may leave while it is told
            listener(event)

    # -- what is true now -----------------------------------------------------------------
    @property
    def started(self) -> bool:
        """True once begin() has run."""
        return self.session.started

    @property
    def paused(self) -> bool:
        """True while paused."""
        return self.session.paused

    @property
    def ended(self) -> bool:
        """True once end() has run (a practice that reached its end is ended by end(True))."""
        return self.session.ended_at is not None

    def elapsed(self) -> float:
        """Seconds of practice so far (frozen while paused and after the end)."""
        return self.session.elapsed()

    def practised(self) -> float:
        """Seconds actually practised: elapsed, less the unheld rest of holds ended by the key."""
        return self.session.practised()

    @property
    def preparing(self) -> bool:
        """True during the quiet countdown before the start bell (`prepare`)."""
        return self.started and not self.ended and self.session.preparing

    def until_start(self) -> float:
        """Seconds left of the countdown before the start bell (0 once it has rung)."""
        return self.session.until_start()

    def state(self) -> State:
        """The engine's state at this moment."""
        return self.session.state()

    @property
    def last_note(self) -> Note | None:
        """The latest note still standing, if any."""
        return self.notes[-1] if self.notes else None

    # -- the beginning ------------------------------------------------------------------
    def begin(self, *, player: Player | None = None, recorder: Recorder | None = None) -> None:
        """Start the clock, the bells (with a player) and the journal's record (with a recorder).

        Sound and journal come here, not in the constructor, because the app opens them in
        the background; notes taken before this are stamped at the first moment.
        """
        if self.started or self.ended:
            return
        self.session.start()
        self.recorder = recorder
        if player is not None:
            from companion.sound.chimes import Chimes  # here: the plain runner rings its own

            self.chimes = Chimes(self.timeline, self.session, player, self.clock)
            self.chimes.extra = self.extra_sounds  # eyes-closed tones and spoken lines, if any
            self._sound(self.chimes.start)
        self._emit("began")
        self._open_record()

    def _open_record(self) -> None:
        """At the start bell (after any countdown): write the run, then the notes kept till now."""
        if self._opened or self.session.preparing:
            return
        self._opened = True
        before = self.checkin_before
        if before is not None:
            # Before begin(): the recorder keeps it and writes it with the run row.
            self._record(lambda r: r.checkin("before", before))
        self._record(
            lambda r: r.begin(self.practice, self.timeline.total, course=self.course, day=self.day)
        )
        drawn = self.timeline.drawn_intervals()
        if drawn:
            seed = self.timeline.seed
            self._record(lambda r: r.bells(seed, drawn))
        early, self._early = self._early, []
        for key, label in early:
            self.take_note(key, label)

    # -- while it runs --------------------------------------------------------------------
    def heartbeat(self) -> None:
        """Tell the journal how far the practice has come, once per second of practice time.

        Call it as often as you like (each frame, each wake-up): only a new second writes.
        """
        if not self.started or self.ended:
            return
        self._open_record()
        self._keep_holds()
        t = self.session.elapsed()
        second = math.floor(t)
        if second != self._last_second:
            self._last_second = second
            self._record(lambda r: r.progress(t))

    def take_note(self, key: str, label: str) -> Note | None:
        """Stamp a note with the time, segment and (in a scan) body region; None if not taken.

        Before begin() the note is kept for the first moment; after the end it is dropped.
        """
        if self.ended:
            return None
        if not self.started or not self._opened:
            self._early.append((key, label))
            return None
        state = self.session.state()
        region = state.scan.region if state.scan is not None else None
        note = Note(self.session.elapsed(), key, label, state.segment_index, region)
        self.notes.append(note)
        self._record(lambda r: r.note(note.t, label, key, note.segment, region))
        self._emit("noted", note)
        return note

    def undo_note(self) -> Note | None:
        """Take back the latest note, here and in the journal; None when there is none."""
        if not self.notes or not self.started or self.ended:
            return None
        note = self.notes.pop()
        self._record(lambda r: r.undo_note())
        self._emit("undone", note)
        return note

    def pause(self) -> bool:
        """Freeze practice time and hush the bells; False if it was not running."""
        if not self.started or self.ended or self.paused:
            return False
        self.session.pause()
        self._sync_bells()
        self._emit("paused")
        return True

    def resume(self) -> bool:
        """Carry on from where the pause began; False if it was not paused."""
        if not self.paused or self.ended:
            return False
        self.session.resume()
        self._sync_bells()
        self._emit("resumed")
        return True

    def toggle_pause(self) -> bool:
        """Pause or carry on; returns True when now paused."""
        if not self.resume():
            self.pause()
        return self.paused

    def skip(self) -> bool:
        """Jump to the start of the next segment; False when already in the last."""
        if not self.session.skip():
            return False
        self._sync_bells()
        self._emit("skipped")
        return True

    def release_hold(self) -> float | None:
        """The continue key: end a hold that waits for it; returns the seconds held, else None.

        The rest of the practice moves earlier, the way a pause moves it later.
        """
        if not self.started or self.ended or self.paused:
            return None
        held = self.session.release_hold()
        if held is None:
            return None
        self._sync_bells()
        self._keep_holds()
        self._emit("held", held=held)
        return held

    def _keep_holds(self) -> None:
        """Write each key-ended hold to the journal once it is over (released or run out)."""
        holds = self.session.holds()
        for start, seconds in holds[self._holds_kept :]:
            self._record(functools.partial(_write_hold, start=start, seconds=seconds))
        self._holds_kept = max(self._holds_kept, len(holds))

    # -- the end ------------------------------------------------------------------------
    def end(self, completed: bool) -> Outcome:
        """Close the sitting (once; later calls change nothing) and return its outcome.

        Ended early, the bells stop; completed, the closing strikes ring on until
        stop_bells() (the app lets them ring into the summary).
        """
        if self.ended:
            return self.outcome
        self.session.end()
        practised = self.session.practised()
        self.completed = completed
        self._early.clear()
        if not completed:
            self.stop_bells()
        if self._opened:
            self._keep_holds()
        self._record(lambda r: r.end(practised, completed))
        self._emit("ended")
        return self.outcome

    def check_in_after(self, value: int) -> None:
        """Keep the answer to "How are you now?" (1..5) with the run."""
        self.checkin_after = value
        self._record(lambda r: r.checkin("after", value))

    @property
    def outcome(self) -> Outcome:
        """The outcome as of now (final once ended)."""
        return Outcome(
            practice=self.practice,
            notes=tuple(self.notes),
            planned=self.timeline.total,
            practised=self.session.practised(),
            completed=self.completed,
            checkin_before=self.checkin_before,
            checkin_after=self.checkin_after,
            reflection=self.reflection,
            course=self.course,
            day=self.day,
            holds=tuple(seconds for _, seconds in self.session.holds()),
        )

    def stop_bells(self) -> None:
        """End the bell thread (sounds already ringing carry on); safe to call twice."""
        chimes, self.chimes = self.chimes, None
        if chimes is not None:
            self._sound(chimes.stop)

    # -- the outside world ----------------------------------------------------------------
    def _sync_bells(self) -> None:
        chimes = self.chimes
        if chimes is not None:
            self._sound(chimes.sync)

    @staticmethod
    def _sound(call: Callable[[], None]) -> None:
        """A sound failure must never interrupt a practice: the bells just stay quiet."""
        with contextlib.suppress(Exception):  # a broken device is not the user's problem now
            call()

    def _record(self, call: Callable[[Recorder], None]) -> None:
        """A journal call; the first time the journal gives up, listeners hear why, once."""
        recorder = self.recorder
        if recorder is None:
            return
        with contextlib.suppress(Exception):  # recorders never raise; a buggy one must not stop us
            call(recorder)
        notice = recorder.notice
        if notice and not self._told:
            self._told = True
            self._emit("journal", notice=notice)


def _write_hold(recorder: Recorder, *, start: float, seconds: float) -> None:
    recorder.hold(start, seconds)
