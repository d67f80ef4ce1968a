"""A running sitting as seen from outside, and the server that answers for it while it runs.

`SittingTarget` turns `companion note`, `pause`, `resume`, `end` and `status` into the very
calls the keys make on the sitting, so a note from another terminal is counted, stamped,
acknowledged on screen (the sitting's "noted" event), kept in the journal and undoable.

`serve_sitting` starts one Server when the sitting begins and stops it when the sitting
ends; the practice screen and the plain runner only say how jobs reach their thread.

Pure: imports neither textual nor pygame.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from companion.remote.protocol import NoteReply, StatusSnapshot, match_label
from companion.remote.server import Server, Submit
from companion.remote.snapshot import snapshot
from companion.sitting import Sitting, SittingEvent


class SittingTarget:
    """The RemoteTarget of one sitting: every call is what the matching key does."""

    def __init__(self, sitting: Sitting) -> None:
        self.sitting = sitting

    def note(self, key_or_label: str) -> NoteReply:
        """Take a note as if its key were pressed; nothing when the word is not a label here."""
        noting = self.sitting.practice.noting_map
        labels = tuple(noting.items())
        found = match_label(noting, key_or_label)
        if found is None:
            return NoteReply(taken=False, labels=labels)
        key, label = found
        taken = self.sitting.take_note(key, label)
        if taken is None:  # ended meanwhile (or not begun): say so rather than pretend
            return NoteReply(taken=False, labels=labels)
        return NoteReply(True, key, label, len(self.sitting.notes), labels)

    def pause(self) -> None:
        """Pause, as space does (nothing if already paused)."""
        self.sitting.pause()

    def resume(self) -> None:
        """Carry on, as space does when paused."""
        self.sitting.resume()

    def end(self) -> None:
        """End early, as escape does: the owner hears "ended" and shows its summary."""
        self.sitting.end(completed=False)

    def status(self) -> StatusSnapshot:
        """The sitting now."""
        sitting = self.sitting
        return snapshot(sitting.practice, sitting.session, sitting.notes)


def serve_sitting(
    sitting: Sitting,
    submit: Submit,
    folder: Path,
    *,
    tell: Callable[[str], None],
    timeout: float = 2.0,
) -> Server:
    """Answer for `sitting` from its first moment to its end (call before or after begin).

    `submit` hands jobs to the owner's thread (Textual: app.call_from_thread; the plain
    runner: a JobQueue). A server that cannot start never stops the practice: `tell` hears
    its one-line notice, once. Stopping the returned server early is safe.
    """
    server = Server(SittingTarget(sitting), submit, folder, timeout=timeout)

    def on_event(event: SittingEvent) -> None:
        if event.kind == "ended":
            sitting.unlisten(on_event)
            server.stop()

    def start() -> None:
        if not server.start():
            sitting.unlisten(on_event)
            tell(server.notice)

    if sitting.ended:
        return server
    sitting.listen(on_event)
    if sitting.started:
        start()
    else:

        def on_begin(event: SittingEvent) -> None:
            if event.kind == "began":
                sitting.unlisten(on_begin)
                start()
            elif event.kind == "ended":
                sitting.unlisten(on_begin)

        sitting.listen(on_begin)
    return server
