"""The app's side of practising with eyes closed: attach the accompaniment, the `a` and `e` keys.

The accompaniment itself (companion/eyes_closed.py) belongs to the sitting, so the plain
runner has the same soundscape, tones and voice; this module only hands it the app's player
and settings, shows its one notice, and gives the practice screen its two keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

if TYPE_CHECKING:  # eyes_closed (and its cue tones) loads as a sitting begins, after the
    # first frame (issue 18)
    from companion.eyes_closed import Accompaniment
    from companion.journal.recorder import Recorder
    from companion.sitting import Sitting
    from companion.ui.app import CompanionApp


def begin_with_ears(app: CompanionApp, sitting: Sitting, recorder: Recorder | None) -> None:
    """Begin a sitting with the app's sound, its soundscape, tones and voice, and a recorder."""
    from companion.eyes_closed import accompany

    player = app.player
    if player is not None and _ears(sitting) is None:
        _, notice = accompany(sitting, player, app.config, app.paths)
        if notice:
            app.notify_once(notice, title="Sound", timeout=10)
    sitting.begin(player=player, recorder=recorder)


class EarKeys:
    """The practice screen's `a` (soundscapes) and `e` (eyes-closed mode) actions."""

    sitting: Sitting

    def action_cycle_background(self) -> None:
        """The next soundscape, then none."""
        ears = _ears(self.sitting)
        if ears is not None:
            _tell(self, ears.cycle_background())

    def action_toggle_eyes_closed(self) -> None:
        """Eyes-closed mode on (announced by its soft tone) or off."""
        ears = _ears(self.sitting)
        if ears is not None:
            _tell(self, ears.toggle_eyes_closed())


def _ears(sitting: Sitting) -> Accompaniment | None:
    from companion.eyes_closed import accompaniment_of

    return accompaniment_of(sitting)


def _tell(screen: object, words: str) -> None:
    if isinstance(screen, Widget):
        screen.notify(words, timeout=2)
