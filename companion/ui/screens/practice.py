"""The practice screen: draws a sitting's state at each moment and forwards keys to it.

The sitting (companion.sitting) owns the running practice: clock, bells, journal, notes. This
screen asks it for the state at now, draws that, and sleeps until the next visible change
(companion.engine.pacing); keys become calls on the sitting, and its events redraw.
"""

from __future__ import annotations

import asyncio
import math
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Static

from companion.engine import pacing
from companion.engine.state import State
from companion.practice.durations import clock_text
from companion.sitting import Sitting, SittingEvent
from companion.ui.app import companion_app
from companion.ui.bindings import bindings_for
from companion.ui.ears import EarKeys
from companion.ui.screens.practice_css import PRACTICE_CSS, TINY, WIDE
from companion.ui.screens.practice_parts import Parts, Wake, head_text, hold_text, mount_parts
from companion.ui.widgets.kept_lines import KeptLines, KeptStatic, KeptVertical
from companion.ui.widgets.progress_line import ProgressLine

VISUALS = ("breath", "figure", "phrase", "quiet", "anchor")
# Sized by the CSS, not their words: changed with no layout (one a second: 10 %, issue 18).
FIXED_SIZE = frozenset({"#head", "#quiet"})


class PracticeScreen(KeptLines, EarKeys, Screen[None]):  # EarKeys: the `a` and `e` keys
    """One sitting, drawn from the engine's state at the current clock time."""

    WHERE = "practice"
    DEFAULT_CSS = PRACTICE_CSS  # parsed when the screen is first used, not at every start
    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("practice"))

    def __init__(self, sitting: Sitting) -> None:
        super().__init__()
        self.sitting = sitting
        self.practice = sitting.practice
        self.timeline = sitting.timeline
        self.checkin_before = sitting.checkin_before
        self.guide_hidden = False
        self._timer: Wake | None = None
        self._segment = -1
        self._texts: dict[str, str] = {}
        self._notes_shown: tuple[int, object] | None = None  # what the panel was last given
        self._preparing = False  # the countdown before the start bell was drawn last
        # Where holds that wait for the key end: until the last, the time left is "up to".
        self._hold_ends = [s.end for s in self.timeline.spans if s.segment.key_ended]
        self._tick_callable = partial(self.tick)  # see _tick_message
        self._built = False  # the visuals, noting panel and footer are mounted (_build_rest)
        self._parts: Parts  # set by _build_rest; read only once _built
        sitting.listen(self._on_sitting)

    @property
    def reduce_motion(self) -> bool:
        """Motion reduced by the flag or the setting."""
        return companion_app(self).reduce_motion

    def compose(self) -> ComposeResult:
        """The light first screen: header, progress and cue; the rest follows (_build_rest)."""
        app = companion_app(self)
        boundaries = [s.start for s in self.timeline.spans[1:]]
        # Classes and visibility for the first segment and the terminal's size are set here,
        # before the first layout, not after mount: changing them then laid the screen out
        # twice before its first frame.
        self.guide_hidden = app.config.hide_breath_guide
        first = self.timeline.state_at(0.0)
        self._segment = first.segment_index
        self._kind_classes(first.segment.kind, self._visibility(first.segment.kind))
        self._lay_out(app.size.width, app.size.height)
        # Flat on purpose: Textual repaints every container over a changed line, so each
        # level of nesting around the breath guide costs on every frame. The visuals and
        # the cue share one container with the noting panel, which is docked at its side
        # (or below, when narrow; see practice_css.py).
        yield KeptStatic(id="head")  # Kept: drawn again only when changed (kept_lines.py)
        yield ProgressLine(boundaries, self.timeline.total, id="progress")
        with KeptVertical(id="body"):
            yield KeptStatic(id="cue")
        yield Static("Make the window a little larger", id="too-small")

    # -- quick to open (issue 18) -----------------------------------------------------------
    async def _build_rest(self) -> None:
        """Mount the visuals, the noting panel and the footer after the first frame.

        The header and cue show at once; building the rest (and importing its widgets)
        before the first frame made `companion run` about twice as slow to show as a bare
        Textual app. The sitting may begin before they are there (its first moments show
        in the header and cue); once mounted, the moment is drawn whole. The widgets and
        their order are those of the whole screen.
        """
        if not self.is_attached:  # closed in its first moments (a quit, an end from outside)
            return
        self._parts = await mount_parts(
            self,
            noting=self.practice.noting_map,
            visible=self._visibility(self.timeline.state_at(0.0).segment.kind),
            reduce_motion=companion_app(self).reduce_motion,
            shape_hidden=self.guide_hidden,
        )
        # A footer mounted after the screen's bindings were published waits for the next
        # change to list them: publish them again now.
        self.refresh_bindings()
        self._built = True
        sitting = self.sitting
        if sitting.ended or not self.is_attached:
            return  # it ended while the parts were mounted: the summary follows, not a frame
        if sitting.started:
            self.tick()  # the moment now, drawn whole
        else:
            self._draw(self.timeline.state_at(0.0))

    def on_mount(self) -> None:
        """Lay out, draw the first moment, begin once sound and journal are ready, and build
        the rest of the screen after the first frame (the header and cue draw until then)."""
        app = companion_app(self)
        self.guide_hidden = app.config.hide_breath_guide
        self._lay_out(self.size.width, self.size.height)
        self._draw(self.timeline.state_at(0.0))
        # Through the app's queue first: while the app starts, Textual paints nothing until
        # its own mount is done, and the app's queue is read only from then on; so the rest
        # is built after a frame has really been written, not before it.
        self.app.call_later(self.call_after_refresh, self._build_rest)
        if app.ready.is_set():
            self.begin()
        else:
            self.run_worker(self._wait_then_begin(), exclusive=True)

    async def _wait_then_begin(self) -> None:
        await companion_app(self).ready.wait()
        self.begin()

    def begin(self) -> None:
        """Start the sitting (clock, bells, journal) and draw its first moment."""
        if self.sitting.started or self.sitting.ended:
            return
        companion_app(self).begin_sitting(self.sitting)
        self.tick()

    # -- the one timer ----------------------------------------------------------------------
    def tick(self) -> None:
        """Draw the state at this moment, then sleep until the next visible change."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        sitting = self.sitting
        if not sitting.started or sitting.ended:
            return
        state = sitting.state()
        if state.finished:
            self.finish(completed=True)
            return
        self._draw(state)
        sitting.heartbeat()
        if not sitting.paused:
            self._timer = self._wake_in(self.delay(state))

    def _wake_in(self, delay: float) -> Wake:
        """Tick after delay seconds, from a bare event-loop timer.

        Textual's set_timer builds a Timer object and an asyncio task for every frame; a loop
        timer handle does the same for less, 24 times a second. It only posts the tick to
        this screen's queue (call_later), so a screen being taken down refuses it, and an
        error in a frame reaches Textual's own error handling.
        """
        handle = asyncio.get_running_loop().call_later(
            delay, self.post_message, self._tick_message()
        )
        return Wake(handle)

    def _tick_message(self) -> events.Callback:
        """A message that runs tick, around one callable kept for the screen's life.

        call_later wraps the callback in a new partial each time, and Textual then reads a
        fresh signature (inspect.signature) for every frame: about 6% of the main thread's
        time while the guide moves (py-spy, issue 18). The same partial keeps its count.
        """
        return events.Callback(callback=self._tick_callable)

    def delay(self, state: State) -> float:
        """Seconds from now to the next visible change: a frame, a second or a timeline event."""
        if self.sitting.preparing:
            # The countdown changes on its own seconds; the start bell is its last one.
            return pacing.to_next_second(0.0, self.sitting.until_start())
        # Measured after drawing, so the time a frame takes to draw is not added to the wait.
        return pacing.next_wake(
            state,
            self.sitting.elapsed(),
            self.timeline,
            reduce_motion=self.reduce_motion,
            guide_hidden=self.guide_hidden,
            noted_at=self._noted_at(),
        )

    def frame_period(self, state: State) -> float | None:
        """How often the visual moves (None: it is still until the next second or event)."""
        return pacing.frame_period(
            state,
            reduce_motion=self.reduce_motion,
            guide_hidden=self.guide_hidden,
            noted_at=self._noted_at(),
        )

    def _noted_at(self) -> float | None:
        last = self.sitting.last_note
        return None if last is None else last.t

    # -- drawing ----------------------------------------------------------------------------
    def _draw(self, state: State) -> None:
        if not self._built:  # the light first screen: header, progress and cue only
            self._text("#head", self._head(state, self.sitting.paused))
            self.query_one("#progress", ProgressLine).set_time(state.t)
            self._text("#cue", state.cue)
            return
        preparing = self.sitting.preparing
        if state.segment_index != self._segment or preparing != self._preparing:
            self._segment = state.segment_index
            self._preparing = preparing
            self._show_visual(state)
        paused = self.sitting.paused
        self._text("#head", self._head(state, paused))
        self.query_one("#progress", ProgressLine).set_time(state.t)
        kind = state.segment.kind
        if preparing:
            # Only the countdown shows: no breath is asked for before the start bell.
            self._text("#quiet", f"Starting in {math.ceil(self.sitting.until_start() - 1e-9)}")
        elif kind == "breath":
            # Drawn even when hidden: `b` hides the shape, the words stay (see BreathGuide).
            self._parts.guide.update_from(state)
        elif kind == "settle":
            # Settling is unpaced: a still title, no shape; the cues carry the words.
            self._text("#quiet", state.segment.heading)
        elif kind == "body_scan":
            self._parts.figure.update_from(state)
        elif kind == "phrases":
            self._parts.phrase.update_from(state)
        elif kind == "silence":
            left = state.segment_remaining
            shown = "Silence" if left is None else f"Silence\n\n{clock_text(math.ceil(left))}"
            self._text("#quiet", shown)
        elif kind == "hold":
            self._text("#quiet", self._hold_text(state))
        self._text("#cue", "" if preparing else state.cue)
        self._show_notes(state.t)
        companion_app(self).outside.show_title(state, paused)  # written only when it changes

    def _hold_text(self, state: State) -> str:
        """A held breath: the seconds held, rising, and the key that ends it; or what is left."""
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        return hold_text(state, keymap.get("continue", "space").split(",")[0].strip())

    def _show_notes(self, t: float) -> None:
        """Hand the notes to the panel, but only when it could show something new.

        That is when a note was taken or taken back, while its acknowledgement shows or
        fades, and in an open-ended practice (whose strip spans the time so far); otherwise
        the panel is not touched (it was about a quarter of each frame's cost).
        """
        notes = self.sitting.notes
        last = notes[-1] if notes else None
        shown = (len(notes), last)
        panel = self._parts.noting
        total = self.timeline.total
        recent = last is not None and t - last.t < pacing.ACK_SECONDS
        if shown == self._notes_shown and not (panel.ack_text or recent) and (total or not last):
            return
        self._notes_shown = shown
        panel.set_notes(notes, t, total)

    def _head(self, state: State, paused: bool) -> str:
        sitting = self.sitting
        starting = sitting.until_start() if sitting.preparing else None
        return head_text(self.practice.title, state, paused, self._hold_ends, starting)

    def _text(self, selector: str, text: str) -> None:
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector, Static).update(Text(text), layout=selector not in FIXED_SIZE)

    def _show_visual(self, state: State) -> None:
        kind = state.segment.kind
        visible = self._visibility(kind)
        for name in VISUALS:
            self.query_one(f"#{name}").display = visible[name]
        self._kind_classes(kind, visible)

    def _visibility(self, kind: str) -> dict[str, bool]:
        """Which of the visuals a segment of this kind shows (the countdown: only its words)."""
        if self.sitting.preparing:
            return {name: name == "quiet" for name in VISUALS}
        return {
            "breath": kind == "breath",
            "anchor": kind == "breath" and self.guide_hidden,
            "figure": kind == "body_scan",
            "phrase": kind == "phrases",
            "quiet": kind in ("silence", "settle", "hold"),
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
        self.sitting.take_note(event.character, label)

    def action_undo_note(self) -> None:
        """Take back the last note."""
        self.sitting.undo_note()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The continue key only acts in a hold that waits for it (else space pauses)."""
        if action == "continue_hold":
            sitting = self.sitting
            return (
                sitting.started
                and not sitting.ended
                and not sitting.paused
                and sitting.state().segment.key_ended
                and not sitting.preparing
            )
        return True

    def action_continue_hold(self) -> None:
        """End the held breath: the practice carries on from the hold's end."""
        self.sitting.release_hold()

    def action_toggle_pause(self) -> None:
        """Pause (visuals freeze, no timer runs) or carry on."""
        self.sitting.toggle_pause()

    def action_next_segment(self) -> None:
        """Jump to the next segment."""
        self.sitting.skip()

    def action_end_practice(self) -> None:
        """End now and see the summary (the notes are kept)."""
        self.finish(completed=False)

    def action_grounding(self) -> None:
        """Pause for a breath-free anchor; any key returns and carries on."""
        from companion.ui.screens.grounding import GroundingScreen

        sitting = self.sitting
        if not sitting.started or sitting.ended:
            return
        paused_here = sitting.pause()
        self.tick()

        def back(_: None) -> None:
            if paused_here:
                sitting.resume()
            self.tick()

        self.app.push_screen(GroundingScreen(), back)

    def action_toggle_guide(self) -> None:
        """Hide or show the breath guide's shape; its words, cues and bells carry on either way."""
        self.guide_hidden = not self.guide_hidden
        if self._built:  # else _build_rest gives the guide this setting
            self._parts.guide.shape_hidden = self.guide_hidden
        self._segment = -1
        self.tick() if self.sitting.started else self._draw(self.timeline.state_at(0.0))
        self.notify("Breath guide hidden" if self.guide_hidden else "Breath guide shown", timeout=2)

    def action_mute(self) -> None:
        """Mute or unmute the bells, and remember it."""
        app = companion_app(self)
        muted = not (app.player.muted if app.player is not None else app.config.muted)
        app.set_muted(muted)
        self.notify("Muted" if muted else "Sound on", timeout=2)

    def action_volume(self, step: float) -> None:
        """Louder or softer by a step, and remember it."""
        app = companion_app(self)
        app.set_volume((app.player.volume if app.player is not None else app.config.volume) + step)
        self.notify(f"Volume {round(app.config.volume * 100)}%", timeout=2)

    # -- what the sitting says ----------------------------------------------------------------
    def _on_sitting(self, event: SittingEvent) -> None:
        """Redraw after a note, an undo, a pause or a skip; after the end, the summary."""
        if event.kind == "noted" and event.note is not None:
            self._show_notes(event.note.t)  # the note's own time: acknowledged at once, in full
            if not self.sitting.paused:
                self.tick()
        elif event.kind == "undone":
            self._show_notes(event.t)
        elif event.kind in ("paused", "resumed", "skipped", "held"):
            self.tick()
        elif event.kind == "ended":
            self._after_the_end()

    # -- the end ----------------------------------------------------------------------------
    def finish(self, completed: bool) -> None:
        """Close the practice and show its summary (end bells ring on when it completed)."""
        self.sitting.end(completed)

    def _after_the_end(self) -> None:
        """Ask "How are you now?" when check-in is on, then show the summary."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        app = companion_app(self)
        sitting = self.sitting
        if not app.config.check_in:
            app.show_summary(sitting.outcome)
            return
        from companion.ui.screens.checkin import CheckInScreen

        def now(value: int | None) -> None:
            if value is not None:
                sitting.check_in_after(value)
            app.show_summary(sitting.outcome)

        app.push_screen(CheckInScreen("after"), now)

    def on_unmount(self) -> None:
        """Closing the app mid-practice still records what was practised."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.sitting.unlisten(self._on_sitting)
        if self.sitting.started:
            self.sitting.end(completed=False)
