"""The journal as the app sees it; with Clock and Player, the outside world it is given.

`make_app(clock=..., player=..., journal=...)` takes anything that fits Clock
(companion.engine.clock), Player (companion.sound.player) and Journal (here). The command
line passes the real ones (the monotonic clock, the mixer, the SQLite journal); tests pass a
fake clock, a recording player and a recording journal. Each journal hands out a Recorder
(companion.journal.recorder) for one practice. Pure: imports neither textual nor pygame.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # named only: the journal's and the mixer's modules load when first used
    from companion.journal.history import RunRow
    from companion.journal.recorder import Recorder
    from companion.journal.stats import Stats

__all__ = ["Journal"]


class Journal(Protocol):
    """What the app needs from a journal: recorders, figures, and a notice to show once."""

    @property
    def notice(self) -> str | None:
        """One sentence for the user when it was moved aside or cannot be used, else None."""
        ...

    def recorder(self) -> Recorder:
        """A recorder for one practice (it remembers nothing when the journal is unusable)."""
        ...

    def next_course_day(self, course: str) -> int:
        """The day of a course to do next (1 to begin)."""
        ...

    def stats(self, *, today: date | None = None, streak: bool = False) -> Stats:
        """Every figure for the History screen; raises JournalError when it cannot read."""
        ...

    def runs(self, limit: int | None = None) -> list[RunRow]:
        """Runs newest first; raises JournalError when it cannot read."""
        ...
