"""The app's running practice and the world beyond its screen: other terminals, the window
title, and the command `--until` waits for.

One `AppOutside` per app. For each sitting it starts a socket server when the sitting begins
(`companion note`, `pause`, `status`... reach it through app.call_from_thread, so they run on
the app's thread exactly as keys do) and stops it when the sitting ends; it keeps the
terminal's title on the phase (companion.window_title) and gives the old title back; and for
`run --until` it ends the practice when the command finishes and asks before stopping a
command that is still running when the practice ends early. The logic lives in pure modules
(companion.remote.target, companion.window_title, companion.until); this only wires them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # named only: the home screen's first frame needs none of them (issue 18)
    from companion.engine.state import State
    from companion.practice.model import Practice
    from companion.remote.server import Server
    from companion.sitting import Outcome, Sitting, SittingEvent
    from companion.ui.app import CompanionApp
    from companion.until import UntilCommand, UntilResult
    from companion.window_title import WindowTitle


class AppOutside:
    """Links from the app's running practice to the outside; see the module's docstring."""

    def __init__(self, app: CompanionApp, until: UntilCommand | None) -> None:
        self.app = app
        self.until = until
        self.until_result: UntilResult | None = None
        self.until_practice: Practice | None = None  # the first practice, in repeated rounds
        self._plain: Practice | None = None  # ...and as it was chosen, for "again"
        if until is not None and app.first_practice is not None:
            from companion.until import rounds

            self._plain = app.first_practice
            self.until_practice = app.first_practice = rounds(app.first_practice)
        self._asked = False
        self._rounds_started = False
        self._server: Server | None = None
        self._title: WindowTitle | None = None
        self._write: Callable[[str], None] | None = None  # the terminal, once the driver runs
        self._sitting: Sitting | None = None

    # -- each sitting ---------------------------------------------------------------------------
    def attach(self, sitting: Sitting) -> None:
        """Follow a new sitting (called as its screen opens; the work starts when it begins)."""
        self._sitting = sitting
        sitting.listen(self._on_sitting)

    def _on_sitting(self, event: SittingEvent) -> None:
        sitting = self._sitting
        if sitting is None:
            return
        if event.kind == "began":
            self._began(sitting)
        elif event.kind == "ended":
            sitting.unlisten(self._on_sitting)
            self.restore_title()

    def _began(self, sitting: Sitting) -> None:
        from companion.remote.target import serve_sitting

        app = self.app
        self._server = serve_sitting(
            sitting,
            app.call_from_thread,
            app.paths.runtime_dir,
            tell=lambda notice: app.notify_once(notice, title="Other terminals", timeout=8),
        )
        until = self.until
        if until is not None and sitting.practice is self.until_practice:
            from companion.until import UntilError

            try:
                until.start()  # with the practice's first moment, so the two line up
            except UntilError as exc:
                app.notify(str(exc), title="Command", severity="error", timeout=15, markup=False)
                sitting.end(completed=False)
                return
            app.notify(
                f"Practising until `{until.command}` finishes. Its output: {until.log}",
                title="Command",
                timeout=10,
                markup=False,
            )
            until.watch(lambda result: app.call_from_thread(self._until_done, sitting, result))

    def _until_done(self, sitting: Sitting, result: UntilResult) -> None:
        """The command finished: the end bell, and the practice ends as completed."""
        self.until_result = result
        if sitting.ended:
            return
        bell = sitting.practice.bells.end
        player = self.app.player
        if player is not None and bell != "none":
            player.play(bell, role="end")
        sitting.end(completed=True)

    def again(self, practice: Practice) -> Practice:
        """For "again": after --until, the practice as chosen, not its repeated rounds."""
        if practice is not self.until_practice or self._plain is None:
            return practice
        if not self._rounds_started:
            self._rounds_started = True  # the first time: the practice the command waits on
            return practice
        return self._plain

    # -- the window title -------------------------------------------------------------------------
    def terminal_ready(self, write: Callable[[str], None]) -> None:
        """The terminal driver started: titles can be written through it, in order."""
        self._write = write
        sitting = self._sitting
        if sitting is not None and sitting.started and not sitting.ended:
            # Back from Ctrl+Z (`fg`): a paused practice draws no frame until it resumes,
            # so its title is shown again here.
            self.show_title(sitting.state(), sitting.paused)

    def terminal_closing(self) -> None:
        """The driver is about to leave the terminal (quit, or Ctrl+Z): the old title back."""
        self.restore_title()
        self._write = None  # nothing reaches the terminal until the driver takes it again

    def show_title(self, state: State, paused: bool) -> None:
        """Each drawn frame: the title changes only when the phase, segment or pause does."""
        title = self._title
        if not self.app.config.window_title:  # turned off in Settings: the old title back now
            if title is not None:
                self.restore_title()
            return
        if title is None:
            sitting = self._sitting
            if sitting is None or sitting.ended or self._write is None:
                return
            from companion.window_title import WindowTitle  # again after Ctrl+Z, or turned on

            title = self._title = WindowTitle(self._write)
        sitting = self._sitting
        if sitting is not None:
            title.show(state, sitting.practice.title, paused)

    def restore_title(self) -> None:
        """Give the terminal its own title back (safe when none was shown)."""
        title, self._title = self._title, None
        if title is not None:
            title.restore()

    # -- the end --------------------------------------------------------------------------------
    def interrupt(self) -> bool:
        """Ctrl+C: end a practice waiting on a command (the summary asks about the command)."""
        sitting = self._sitting
        if self.until is None or sitting is None or sitting.ended or not sitting.started:
            return False
        sitting.end(completed=False)
        return True

    def before_summary(self, outcome: Outcome, show: Callable[[str], object]) -> None:
        """Call `show(note)` with the command's line; first ask if the command still runs."""
        until = self.until
        if until is None or outcome.practice is not self.until_practice:
            show("")
            return
        result = self.until_result or until.poll()
        if not result.running or self._asked:
            self.until_result = result
            show(self.command_line())
            return
        self._asked = True
        from companion.ui.screens.stop_command import StopCommandScreen

        def answered(stop: bool | None) -> None:
            if stop:
                self._stop_then(show)
            else:
                show(self.command_line())

        self.app.push_screen(StopCommandScreen(until.command, until.log), answered)

    def _stop_then(self, show: Callable[[str], object]) -> None:
        """Stop the command off the app's thread (it may take a few seconds to go)."""

        def stop() -> None:
            if self.until is not None:
                self.until_result = self.until.stop()
            self.app.call_from_thread(lambda: show(self.command_line()))

        self.app.run_worker(stop, thread=True, exit_on_error=False, group="until")

    def command_line(self) -> str:
        """The command's result for the summary ("" without --until)."""
        from companion.until import result_line

        until = self.until
        if until is None:
            return ""
        result = self.until_result or until.poll()
        self.until_result = result
        return result_line(result)

    def stop(self) -> None:
        """The app is closing: stop answering and give the title back."""
        server, self._server = self._server, None
        if server is not None:
            server.stop()
            server.wait_answered(1.0)  # e.g. `companion end` hears back before the app goes
        self.restore_title()
