"""A stand-in practice for the outside-control tests: a real Server with a fake target.

Run as `python tests/support/remote_fake.py`; COMPANION_HOME chooses the socket folder. It prints
`ready PID` once listening, then obeys lines on stdin, each answered with `ok` (or a line
of its own), all run on the main thread through a JobQueue exactly as the plain runner will:

    phase WORDS       set the phase word ("-" for none)
    segment WORDS     move to the next segment, with this heading
    polls N           answer `polled` once N more status requests have been served
    stall / unstall   the owner stops taking jobs, as a stuck app would, and starts again
    quit              stop the server and exit
`companion end` from outside ends it too (it prints `ended`).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from companion.paths import Paths
from companion.remote import JobQueue, NoteReply, Server, StatusSnapshot, match_label

NOTING = {"t": "thinking", "f": "feeling", "p": "planning"}


def say(text: str) -> None:
    print(text, flush=True)


class FakeTarget:
    """A practice that stands still unless told to move: phases change only on command."""

    def __init__(self) -> None:
        self.phase: str | None = "Breathe in"
        self.segment = "Arriving"
        self.segment_index = 1
        self.notes: list[str] = []
        self.paused = False
        self.ended = False
        self.polls = 0
        self.poll_goal: int | None = None

    def note(self, key_or_label: str) -> NoteReply:
        labels = tuple(NOTING.items())
        found = match_label(NOTING, key_or_label)
        if found is None:
            return NoteReply(taken=False, labels=labels)
        self.notes.append(found[1])
        return NoteReply(True, found[0], found[1], len(self.notes), labels)

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def end(self) -> None:
        self.ended = True

    def status(self) -> StatusSnapshot:
        self.polls += 1
        if self.poll_goal is not None and self.polls >= self.poll_goal:
            self.poll_goal = None
            say("polled")
        counts: dict[str, int] = {}
        for label in self.notes:
            counts[label] = counts.get(label, 0) + 1
        return StatusSnapshot(
            practice_id="fake-box",
            title="Fake box",
            segment=self.segment,
            segment_index=self.segment_index,
            segment_count=3,
            phase=self.phase,
            phase_left=3.2 if self.phase else None,
            practice_left=250.5,
            elapsed=49.5,
            paused=self.paused,
            notes=counts,
        )


def main() -> int:
    target = FakeTarget()
    jobs = JobQueue()
    server = Server(target, jobs.submit, Paths.from_env().runtime_dir, timeout=1.0)
    if not server.start():
        say(f"off {server.notice}")
        return 1
    unstalled = threading.Event()
    quitting = threading.Event()

    def obey(line: str) -> None:
        word, _, rest = line.strip().partition(" ")
        if word == "phase":
            target.phase = None if rest == "-" else rest
        elif word == "segment":
            target.segment, target.segment_index = rest, target.segment_index + 1
        elif word == "polls":
            target.poll_goal = target.polls + int(rest)
            say("ok")
            return
        elif word == "stall":
            unstalled.clear()
            say("ok")
            unstalled.wait()
            return
        say("ok")

    def read_stdin() -> None:
        for line in sys.stdin:
            if line.strip() == "unstall":
                unstalled.set()
            elif line.strip() == "quit":
                break
            else:
                jobs.submit(lambda line=line: obey(line))  # type: ignore[misc]
        quitting.set()

    threading.Thread(target=read_stdin, daemon=True).start()
    say(f"ready {server.pid}")
    while not (target.ended or quitting.is_set()):
        jobs.wait(0.05)
    server.stop()
    say("ended" if target.ended else "quit")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
