"""Ctrl+Z: back to the shell with the practice paused and its bells quiet; `fg` returns to it.

Textual does the terminal's part (App.action_suspend_process restores the terminal and stops
the process; on `fg` it takes the screen back and publishes app_resume_signal). This module
does companion's part: pause first, and stay in the app where nobody could bring it back.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from companion.system import job_control

if TYPE_CHECKING:
    from companion.ui.app import CompanionApp

NO_JOB_CONTROL = (
    "Ctrl+Z hands the terminal back to a shell, and there is none here to bring companion "
    "back, so it stays. Space pauses."
)


def suspend(app: CompanionApp) -> None:
    """Pause and go to the shell where a shell can bring the app back; otherwise say why not."""
    if not job_control():
        app.notify(NO_JOB_CONTROL, title="Ctrl+Z", timeout=6, markup=False)
        return
    hush(app)
    app.action_suspend_process()


def hush(app: CompanionApp) -> None:
    """Before the terminal goes: pause a running practice (its bells pause with it), else quiet."""
    sitting = app.sitting
    if sitting is not None and sitting.started and not sitting.ended:
        sitting.pause()  # the chimes' thread waits while paused; space after `fg` goes on
        return
    app.stop_bells()  # the closing strikes of a practice that has ended
    if app.player is not None:
        with contextlib.suppress(Exception):  # sound must never stand in the way
            app.player.stop_all()


def watch(app: CompanionApp) -> None:
    """Pause on any suspend (Textual's own included), and redraw everything after `fg`."""
    # Immediate: Textual publishes this just before it stops the process.
    app.app_suspend_signal.subscribe(app, lambda _: hush(app), immediate=True)
    app.app_resume_signal.subscribe(app, lambda _: app.refresh(layout=True))
