"""The practice screen: the visual for the segment, its cue, the noting panel, one timer."""

from __future__ import annotations

import asyncio
import math
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from companion.engine.notes import Note
from companion.engine.session import Session
from companion.engine.state import State
from companion.engine.timeline import build_timeline
from companion.practice.durations import clock_text
from companion.practice.model import Practice
from companion.ui.bindings import bindings_for
from companion.ui.widgets.body_figure import BodyFigure
from companion.ui.widgets.breath_guide import BreathGuide
from companion.ui.widgets.noting_panel import NotingPanel
from companion.ui.widgets.phrase_view import FADE, PhraseView
from companion.ui.widgets.progress_line import ProgressLine

ANIMATE = 1 / 24  # while a shape moves: smooth to the eye (see docs/performance.md)
REDUCED = 1 / 8  # reduce motion: a filling bar needs far fewer frames
SLOW = 1 / 4  # a scan band creeps; four looks are plenty
HOLDS = ("hold", "hold_out")  # breath phases in which the shape rests
ACK_SECONDS = 3.0  # the "thinking - noted" acknowledgement fades over this long
CUE_ROWS = 4  # the cue's rows under the breath guide (matches #cue in app.tcss)
EARLY = 0.002  # a timer that fires this much before its frame time has hit it
WIDE = 100  # at or above this width the noting panel sits beside the centre
TINY = (40, 12)

ANCHOR = "Rest your attention on your hands, or on the sounds in the room."
VISUALS = ("breath", "figure", "phrase", "quiet", "anchor")


class PracticeScreen(Screen[None]):
    """One practice, driven by the engine's state at the current clock time."""

    WHERE = "practice"
    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("practice"))

    def __init__(
        self,
        practice: Practice,
        *,
        course: str | None = None,
        day: int | None = None,
        reflection: str = "",
        checkin_before: int | None = None,
    ) -> None:
        super().__init__()
        self.practice = practice
        self.checkin_before = checkin_before
        self.course = course
        self.day = day
        self.reflection = reflection
        self.timeline = build_timeline(practice)
        self.session: Session | None = None
        self.notes: list[Note] = []
        self.chimes: Any = None
        self.recorder: Any = None
        self.guide_hidden = False
        self.done = False
        self._timer: _Wake | None = None
        self._segment = -1
        self._last_second = -1
        self._texts: dict[str, str] = {}
        self._early_notes: list[tuple[str, str]] = []
        self._notes_shown: tuple[int, Note | None] | None = None  # what the panel was last given

    def compose(self) -> ComposeResult:
        """Header, progress, centre and noting panel; a short message for tiny windows."""
        reduce_motion = bool(getattr(self.app, "reduce_motion", False))
        boundaries = [s.start for s in self.timeline.spans[1:]]
        # Classes and visibility for the first segment and the terminal's size are set here,
        # before the first layout, not after mount: changing them then laid the screen out
        # twice before its first frame.
        config = getattr(self.app, "config", None)
        self.guide_hidden = bool(getattr(config, "hide_breath_guide", False))
        first = self.timeline.state_at(0.0)
        self._segment = first.segment_index
        visible = self._visibility(first.segment.kind)
        self._kind_classes(first.segment.kind, visible)
        self._lay_out(self.app.size.width, self.app.size.height)
        guide = BreathGuide(reduce_motion=reduce_motion, id="breath")
        guide.room_below = CUE_ROWS
        visuals = {
            "breath": guide,
            "figure": BodyFigure(reduce_motion=reduce_motion, id="figure"),
            "phrase": PhraseView(reduce_motion=reduce_motion, id="phrase"),
            "quiet": Static(id="quiet"),
            "anchor": Static(ANCHOR, id="anchor"),
        }
        for name, widget in visuals.items():
            widget.display = visible[name]
        # Flat on purpose: Textual repaints every container over a changed line, so each
        # level of nesting around the breath guide costs on every frame. The visuals and
        # the cue share one container with the noting panel, which is docked at its side
        # (or below, when narrow; see app.tcss).
        yield Static(id="head")
        yield ProgressLine(boundaries, self.timeline.total, id="progress")
        with Vertical(id="body"):
            yield from visuals.values()
            yield Static(id="cue")
            yield NotingPanel(self.practice.noting_map, reduce_motion=reduce_motion, id="noting")
        yield Footer()
        yield Static("Make the window a little larger", id="too-small")

    def on_mount(self) -> None:
        """Lay out for this size and begin once the sound and journal are ready."""
        self.guide_hidden = bool(self.app.config.hide_breath_guide)  # type: ignore[attr-defined]
        self._lay_out(self.size.width, self.size.height)
        self._draw(self.timeline.state_at(0.0))
        ready = getattr(self.app, "ready", None)
        if ready is None or ready.is_set():
            self.begin()
        else:
            self.run_worker(self._wait_then_begin(), exclusive=True)

    async def _wait_then_begin(self) -> None:
        await self.app.ready.wait()  # type: ignore[attr-defined]
        self.begin()

    def begin(self) -> None:
        """Start the clock, the bells and the journal's record."""
        if self.session is not None or self.done:
            return
        app: Any = self.app
        self.session = Session(self.timeline, app.clock)
        self.session.start()
        self.recorder = make_recorder(app.journal)
        before = self.checkin_before
        if before is not None:
            # Before begin(): the recorder keeps it and writes it with the run row.
            self._record(lambda: self.recorder.checkin("before", before))
        self._record(
            lambda: self.recorder.begin(
                self.practice, self.timeline.total, course=self.course, day=self.day
            )
        )
        self.chimes = make_chimes(self.timeline, self.session, app.player, app.clock)
        app.chimes = self.chimes
        self._safe(lambda: self.chimes.start())
        early, self._early_notes = self._early_notes, []
        for key, label in early:
            self.take_note(key, label)
        self.tick()

    # -- the one timer ----------------------------------------------------------------------
    def tick(self) -> None:
        """Draw the state at this moment, then sleep until the next visible change."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.session is None or self.done:
            return
        state = self.session.state()
        if state.finished:
            self.finish(completed=True)
            return
        self._draw(state)
        second = math.floor(state.t)
        if second != self._last_second and self.recorder is not None:
            self._last_second = second
            self._record(lambda: self.recorder.progress(state.t))
        if not self.session.paused:
            self._timer = self._wake_in(self._delay(state))

    def _wake_in(self, delay: float) -> _Wake:
        """Call tick after delay seconds, on a bare event-loop timer.

        Textual's set_timer builds a Timer object and an asyncio task (and inspects the
        callback's signature) for every frame; a loop timer handle does the same job for
        less, at 24 frames a second for as long as the practice runs. The handle keeps the
        app's context, and an error in a frame still reaches Textual's error handling.
        """
        return _Wake(asyncio.get_running_loop().call_later(delay, self._wake))

    def _wake(self) -> None:
        if self._closing or self._closed or self._pruning:
            return  # the screen is being taken down (its widgets may already be gone)
        try:
            self.tick()
        except Exception as exc:  # pragma: no cover - a bug in a frame; show it as Textual would
            self.app._handle_exception(exc)

    def _delay(self, state: State) -> float:
        """Seconds from now to the next visible change: a frame, a second or a timeline event."""
        assert self.session is not None
        # Measured after drawing, so the time a frame takes to draw is not added to the wait.
        t = self.session.elapsed()
        delay = _until_next(t, 1.0) if state.total is None else _to_next_second(t, state.total)
        period = self._frame_period(state)
        if period is not None:
            delay = min(delay, _until_next(t, period))
        breath = state.breath
        if breath is not None and breath.paced and not self.guide_hidden:
            # The phase's seconds count down from the phase start, not on the clock's seconds.
            left = breath.remaining - (t - state.t)
            delay = min(delay, left - math.floor(left - 1e-6) + 0.001)
        if delay > 0.05:
            nxt = self.timeline.next_change(t, horizon=delay + 1.0)
            if nxt is not None:
                delay = min(delay, nxt - t)
        return max(0.005, delay)

    def _frame_period(self, state: State) -> float | None:
        """How often the visual moves (None: it is still until the next second or event)."""
        kind = state.segment.kind
        reduce_motion = bool(getattr(self.app, "reduce_motion", False))
        period: float | None = None
        breath = state.breath
        if kind in ("breath", "settle") and not self.guide_hidden and breath is not None:
            # A hold rests: the shape is still and only the seconds change (see _delay); the
            # reduce-motion bar fills through holds too.
            if breath.phase not in HOLDS or reduce_motion:
                period = REDUCED if reduce_motion else ANIMATE
        elif kind == "body_scan":
            period = REDUCED if reduce_motion else SLOW
        elif kind == "phrases" and not reduce_motion and state.phrase is not None:
            # Between its fades a phrase stands still; a slow look catches the fade's start.
            fading = not FADE <= state.phrase.progress <= 1.0 - FADE
            period = ANIMATE if fading else REDUCED
        if self.notes and state.t - self.notes[-1].t < ACK_SECONDS:
            period = min(period or REDUCED, REDUCED)
        return period

    # -- drawing ----------------------------------------------------------------------------
    def _draw(self, state: State) -> None:
        if state.segment_index != self._segment:
            self._segment = state.segment_index
            self._show_visual(state)
        paused = self.session is not None and self.session.paused
        self._text("#head", self._head(state, paused))
        self.query_one("#progress", ProgressLine).set_time(state.t)
        kind = state.segment.kind
        if kind in ("breath", "settle") and not self.guide_hidden:
            self.query_one("#breath", BreathGuide).update_from(state)
        elif kind == "body_scan":
            self.query_one("#figure", BodyFigure).update_from(state)
        elif kind == "phrases":
            self.query_one("#phrase", PhraseView).update_from(state)
        elif kind == "silence":
            left = state.segment_remaining
            shown = "Silence" if left is None else f"Silence\n\n{clock_text(math.ceil(left))}"
            self._text("#quiet", shown)
        self._text("#cue", state.cue)
        self._show_notes(state.t)

    def _show_notes(self, t: float) -> None:
        """Hand the notes to the panel, but only when it could show something new.

        That is when a note was taken or taken back, while its acknowledgement shows or
        fades, and in an open-ended practice (whose strip spans the time so far); otherwise
        the panel is not touched (it was about a quarter of each frame's cost).
        """
        last = self.notes[-1] if self.notes else None
        shown = (len(self.notes), last)
        panel = self.query_one("#noting", NotingPanel)
        total = self.timeline.total
        recent = last is not None and t - last.t < ACK_SECONDS
        if shown == self._notes_shown and not (panel.ack_text or recent) and (total or not last):
            return
        self._notes_shown = shown
        panel.set_notes(self.notes, t, total)

    def _head(self, state: State, paused: bool) -> str:
        if state.total is None:
            clock = f"{clock_text(math.floor(state.t))} so far"
        else:
            clock = f"{clock_text(math.ceil(state.total - state.t - 1e-9))} left"
        parts = [self.practice.title, state.segment.heading, clock]
        if paused:
            parts.append("Paused (space to go on)")
        return "  ·  ".join(parts)

    def _text(self, selector: str, text: str) -> None:
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector, Static).update(Text(text))

    def _show_visual(self, state: State) -> None:
        kind = state.segment.kind
        visible = self._visibility(kind)
        for name in VISUALS:
            self.query_one(f"#{name}").display = visible[name]
        self._kind_classes(kind, visible)

    def _visibility(self, kind: str) -> dict[str, bool]:
        """Which of the visuals a segment of this kind shows."""
        return {
            "breath": kind in ("breath", "settle") and not self.guide_hidden,
            "anchor": kind in ("breath", "settle") and self.guide_hidden,
            "figure": kind == "body_scan",
            "phrase": kind == "phrases",
            "quiet": kind == "silence",
        }

    def _kind_classes(self, kind: str, visible: dict[str, bool]) -> None:
        self.set_class(kind == "noting", "noting-segment")
        # The guide (or the anchor in its place) sizes itself to its content; with the cue
        # under it they sit centred as one block.
        self.set_class(visible["breath"] or visible["anchor"], "guide")

    def _lay_out(self, width: int, height: int) -> None:
        self.set_class(width < WIDE, "narrow")
        self.set_class(width < TINY[0] or height < TINY[1], "tiny")

    def on_resize(self, event: events.Resize) -> None:
        """Re-lay the screen; timing is untouched because it comes from the clock."""
        self._lay_out(event.size.width, event.size.height)

    # -- keys -------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        """A noting key takes a note (unless the user has bound that key to something else)."""
        label = self.practice.noting_map.get(event.character or "")
        if label is None or event.key in self.active_bindings or event.character is None:
            return
        event.stop()
        self.take_note(event.character, label)

    def take_note(self, key: str, label: str) -> None:
        """Stamp a note with the time, segment and (in a scan) the body region."""
        if self.done:
            return
        if self.session is None:
            # Sound and journal are still opening: keep the note for the practice's first moment.
            self._early_notes.append((key, label))
            return
        state = self.session.state()
        region = state.scan.region if state.scan is not None else None
        note = Note(self.session.elapsed(), key, label, state.segment_index, region)
        self.notes.append(note)
        self._record(lambda: self.recorder.note(note.t, label, key, note.segment, region))
        self._show_notes(note.t)  # the note's own time: acknowledged at once, fully shown
        if not self.session.paused:
            self.tick()

    def action_undo_note(self) -> None:
        """Take back the last note."""
        if not self.notes or self.session is None:
            return
        self.notes.pop()
        self._record(lambda: self.recorder.undo_note())
        self._show_notes(self.session.elapsed())

    def action_toggle_pause(self) -> None:
        """Pause (visuals freeze, no timer runs) or carry on."""
        if self.session is None or self.done:
            return
        self.session.toggle_pause()
        self._safe(lambda: self.chimes.sync())
        self.tick()

    def action_next_segment(self) -> None:
        """Jump to the next segment."""
        if self.session is not None and self.session.skip():
            self._safe(lambda: self.chimes.sync())
            self.tick()

    def action_end_practice(self) -> None:
        """End now and see the summary (the notes are kept)."""
        self.finish(completed=False)

    def action_grounding(self) -> None:
        """Pause for a breath-free anchor; any key returns and carries on."""
        from companion.ui.screens.grounding import GroundingScreen

        if self.session is None or self.done:
            return
        was_paused = self.session.paused
        if not was_paused:
            self.session.pause()
            self._safe(lambda: self.chimes.sync())
        self.tick()

        def back(_: None) -> None:
            if not was_paused and self.session is not None and not self.done:
                self.session.resume()
                self._safe(lambda: self.chimes.sync())
            self.tick()

        self.app.push_screen(GroundingScreen(), back)

    def action_toggle_guide(self) -> None:
        """Hide or show the breath guide; cues and bells carry on either way."""
        self.guide_hidden = not self.guide_hidden
        self._segment = -1
        self.tick() if self.session is not None else self._draw(self.timeline.state_at(0.0))
        self.notify("Breath guide hidden" if self.guide_hidden else "Breath guide shown", timeout=2)

    def action_mute(self) -> None:
        """Mute or unmute the bells, and remember it."""
        app: Any = self.app
        muted = not bool(getattr(app.player, "muted", False))
        self._safe(lambda: app.player.set_muted(muted))
        app.update_config(muted=muted)
        self.notify("Muted" if muted else "Sound on", timeout=2)

    def action_volume(self, step: float) -> None:
        """Louder or softer by a step, and remember it."""
        app: Any = self.app
        volume = round(min(1.0, max(0.0, float(getattr(app.player, "volume", 0.8)) + step)), 2)
        self._safe(lambda: app.player.set_volume(volume))
        app.update_config(volume=volume)
        self.notify(f"Volume {round(volume * 100)}%", timeout=2)

    # -- the end ----------------------------------------------------------------------------
    def finish(self, completed: bool) -> None:
        """Close the practice and show its summary (end bells ring on when it completed)."""
        if self.done:
            return
        self.done = True
        if self._timer is not None:
            self._timer.stop()
        practised = self.session.end() if self.session is not None else 0.0
        if not completed:
            self.app.stop_chimes()  # type: ignore[attr-defined]
        self._record(lambda: self.recorder.end(practised, completed))
        app: Any = self.app
        notes = list(self.notes)

        def summary(after: int | None) -> None:
            app.show_summary(
                self.practice,
                notes,
                practised,
                completed,
                self.reflection,
                checkin=(self.checkin_before, after),
            )

        if not app.config.check_in:
            summary(None)
            return
        from companion.ui.screens.checkin import CheckInScreen

        def now(value: int | None) -> None:
            if value is not None:
                self._record(lambda: self.recorder.checkin("after", value))
            summary(value)

        app.push_screen(CheckInScreen("after"), now)

    def on_unmount(self) -> None:
        """Closing the app mid-practice still records what was practised."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.done and self.session is not None:
            self.done = True
            self._safe(lambda: self.recorder.end(self.session.elapsed(), False))  # type: ignore[union-attr]

    def _record(self, call: Any) -> None:
        """A journal call; the first time the journal gives up, say once why."""
        self._safe(call)
        notify_once = getattr(self.app, "notify_once", None)
        if callable(notify_once):
            notify_once(getattr(self.recorder, "notice", None), title="Journal", timeout=10)

    def _safe(self, call: Any) -> None:
        """Sound and journal failures must never interrupt a practice."""
        try:
            call()
        except AttributeError:
            pass  # no player, chimes or recorder
        except Exception as exc:
            self.log.error(f"practice side effect failed: {exc!r}")


class _Wake:
    """The next frame's wake-up: a loop timer handle, stopped as a Textual Timer is."""

    __slots__ = ("_handle",)

    def __init__(self, handle: asyncio.TimerHandle) -> None:
        self._handle = handle

    def stop(self) -> None:
        """Cancel the wake-up (nothing happens if it has already run)."""
        self._handle.cancel()


def _until_next(t: float, period: float) -> float:
    """Seconds from t to the next multiple of period (the next frame on a fixed grid)."""
    # On a grid of practice time a late wake-up shortens the next wait instead of pushing
    # every later frame back, and a frame missed entirely is skipped, not drawn in a bunch.
    k = math.floor((t + EARLY) / period) + 1
    return k * period - t


def _to_next_second(t: float, total: float) -> float:
    """Seconds until the time-left clock (shown rounded up) changes."""
    left = total - t
    frac = left - math.floor(left)
    return frac + 0.001 if frac > 1e-6 else 1.0


def make_recorder(journal: Any) -> Any:
    """The journal's recorder for one run, or None."""
    if journal is None:
        return None
    try:
        factory = getattr(journal, "recorder", None)
        return factory() if callable(factory) else journal
    except Exception:
        return None


def make_chimes(timeline: Any, session: Session, player: Any, clock: Any) -> Any:
    """The bell scheduler, or None when the sound module is not there."""
    try:
        from companion.sound import Chimes  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        return Chimes(timeline, session, player, clock)
    except Exception:
        return None
