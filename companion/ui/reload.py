"""Live reload of the user's practice files, with messages for the screens that show them.

`LibraryReloader.start(node)` polls every two seconds with a Textual timer; each change
updates the shared Library and is posted to `node` (it bubbles on to the app):

- `PracticeReloaded(practice)`: a file changed and loads cleanly; the library has it.
- `PracticeInvalid(path, problems, last_good)`: a file changed and has problems; the library
  keeps the last good version (`last_good`, None if there never was one) and the entry
  carries the problems. A warning toast lists the lines (file:line:col: message).
- `PracticeRemoved(practice_id, path)`: a file was deleted; the bundled practice of that
  id comes back, or the entry goes (unless it is the practice in progress).

A practice that is running keeps the version it started with; the new one is used next time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.message import Message
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.timer import Timer

from companion.library.library import Library
from companion.library.watch import Change, PracticeWatcher, watcher_for
from companion.practice.errors import Problem
from companion.practice.model import Practice

POLL_SECONDS = 2.0
MAX_TOAST_LINES = 6


class PracticeReloaded(Message):
    """A practice file changed on disk and loaded cleanly."""

    def __init__(self, practice: Practice, path: Path) -> None:
        super().__init__()
        self.practice = practice
        self.path = path


class PracticeInvalid(Message):
    """A practice file changed on disk and now has problems; the last good version is kept."""

    def __init__(
        self,
        practice_id: str,
        path: Path,
        problems: tuple[Problem, ...],
        last_good: Practice | None,
    ) -> None:
        super().__init__()
        self.practice_id = practice_id
        self.path = path
        self.problems = problems
        self.last_good = last_good

    @property
    def lines(self) -> list[str]:
        """The problems as a person reads them."""
        return [str(p) for p in self.problems]


class PracticeRemoved(Message):
    """A practice file was deleted from the user's folder."""

    def __init__(self, practice_id: str, path: Path) -> None:
        super().__init__()
        self.practice_id = practice_id
        self.path = path


class LibraryReloader:
    """Keeps a Library current with the user's practice folder while the app runs."""

    def __init__(
        self,
        library: Library,
        *,
        in_progress: Callable[[], str | None] | None = None,
        watcher: PracticeWatcher | None = None,
    ) -> None:
        self.library = library
        self.watcher = watcher or watcher_for(library)
        self.in_progress = in_progress or (lambda: None)
        self.node: MessagePump | None = None
        self.timer: Timer | None = None

    def start(self, node: MessagePump, interval: float = POLL_SECONDS) -> Timer:
        """Poll from a timer on `node`; messages go to `node` and bubble up from there."""
        self.node = node
        self.timer = node.set_interval(interval, self.check, name="practice-reload")
        return self.timer

    def check(self) -> list[Change]:
        """Poll once: update the library, post a message per change, warn about problems."""
        try:
            changes = self.watcher.poll()
        except Exception as exc:  # a reload must never take the app down with it
            self._toast(f"Could not check your practice files: {exc}", "warning")
            return []
        running = self.in_progress()
        for change in changes:
            self.library.apply(change, running)
            self._post(change)
        return changes

    def _post(self, change: Change) -> None:
        if change.kind == "reloaded" and change.practice is not None:
            self._send(PracticeReloaded(change.practice, change.path))
        elif change.kind == "invalid":
            self._send(PracticeInvalid(change.id, change.path, change.problems, change.practice))
            self._toast(invalid_text(change), "warning", title="Practice file has problems")
        elif change.kind == "removed":
            self._send(PracticeRemoved(change.id, change.path))

    def _send(self, message: Message) -> None:
        if self.node is not None:
            self.node.post_message(message)

    def _toast(self, text: str, severity: SeverityLevel, title: str = "") -> None:
        if self.node is None:
            return
        try:
            app = self.node.app
        except Exception:  # not attached to a running app (a test driving check() alone)
            return
        # markup=False: file names and messages may hold [brackets] that are not markup.
        app.notify(text, title=title, severity=severity, timeout=15, markup=False)


def invalid_text(change: Change) -> str:
    """The toast for a file that became invalid: its first lines and what happens now."""
    lines = change.lines()
    shown = lines[:MAX_TOAST_LINES]
    if len(lines) > len(shown):
        shown.append(f"... and {len(lines) - len(shown)} more")
    if change.practice is not None:
        after = "Still using the last good version until the file is fixed."
    else:
        after = "It cannot be used until the file is fixed."
    return "\n".join([*shown, after])
