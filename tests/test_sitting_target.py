"""A sitting as other terminals see it (SittingTarget), and the plain runner under their hand."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from companion.engine.clock import FakeClock
from companion.journal import open_journal
from companion.journal.store import Journal
from companion.paths import Paths
from companion.plain import play_sitting
from companion.practice.load import load_practice
from companion.remote.target import SittingTarget, serve_sitting
from companion.sitting import Sitting, SittingEvent

BOX = Path(__file__).resolve().parents[1] / "practices" / "box-breathing.toml"


def begun(tmp_path: Path) -> tuple[Sitting, FakeClock, Journal, list[SittingEvent]]:
    """Box breathing begun on a fake clock, recorded in a real journal file."""
    clock = FakeClock()
    sitting = Sitting(load_practice(BOX), clock)
    heard: list[SittingEvent] = []
    sitting.listen(heard.append)
    journal = open_journal(Paths.under(tmp_path / "home"))
    sitting.begin(recorder=journal.recorder())
    return sitting, clock, journal, heard


def test_a_note_from_outside_is_the_keys_note_stamped_recorded_and_undoable(
    tmp_path: Path,
) -> None:
    sitting, clock, journal, heard = begun(tmp_path)
    target = SittingTarget(sitting)
    clock.advance(40.0)  # in Box breathing, segment 2
    reply = target.note("Thinking")
    assert (reply.taken, reply.key, reply.label, reply.count) == (True, "t", "thinking", 1)
    note = sitting.notes[-1]
    assert (note.t, note.key, note.label, note.segment) == (40.0, "t", "thinking", 1)
    assert heard[-1].kind == "noted" and heard[-1].note == note  # the screen acknowledges this
    assert target.note("t").count == 2
    assert journal.runs()[0].labels == {"thinking": 2}  # in the journal as it is taken
    sitting.undo_note()  # backspace takes back a note from outside like any other
    assert [n.label for n in sitting.notes] == ["thinking"]
    assert journal.runs()[0].labels == {"thinking": 1}


def test_a_word_that_is_no_label_notes_nothing_and_lists_the_labels(tmp_path: Path) -> None:
    sitting, _clock, _journal, heard = begun(tmp_path)
    reply = SittingTarget(sitting).note("worrying")
    assert not reply.taken and ("t", "thinking") in reply.labels
    assert sitting.notes == [] and [e.kind for e in heard] == ["began"]


def test_pause_resume_end_and_status_are_the_sittings_own(tmp_path: Path) -> None:
    sitting, clock, journal, _heard = begun(tmp_path)
    target = SittingTarget(sitting)
    clock.advance(31.0)
    snap = target.status()
    assert (snap.segment, snap.segment_index, snap.segment_count) == ("Box breathing", 2, 3)
    assert snap.phase == "Breathe in" and snap.phase_left == pytest.approx(3.0)
    assert snap.practice_left == pytest.approx(269.0) and not snap.paused
    target.pause()
    clock.advance(100.0)
    assert target.status().paused and target.status().elapsed == pytest.approx(31.0)
    target.resume()
    target.note("f")
    assert target.status().notes == {"feeling": 1}
    target.end()
    assert sitting.ended and not sitting.outcome.completed
    assert journal.runs()[0].status == "ended early"


def test_serve_sitting_says_once_when_it_cannot_listen_and_the_practice_goes_on(
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    told: list[str] = []
    clock = FakeClock()
    sitting = Sitting(load_practice(BOX), clock)
    serve_sitting(sitting, lambda job: job(), blocked, tell=told.append)
    assert told == []  # nothing happens before the practice begins
    sitting.begin()
    assert len(told) == 1 and "outside control is off" in told[0]
    clock.advance(5.0)
    assert SittingTarget(sitting).note("t").taken
    sitting.end(completed=False)
    assert len(told) == 1


def test_the_plain_runner_waits_out_a_pause_and_stops_at_an_end_from_outside(
    tmp_path: Path,
) -> None:
    sitting, clock, _journal, _heard = begun(tmp_path)
    target = SittingTarget(sitting)
    paused_at: float | None = None

    def sleep(seconds: float) -> None:
        # Stands in for the job queue's wait: jobs from other terminals run inside it. This
        # "other terminal" pauses at 10 s, resumes a minute later and ends the practice at 40 s.
        nonlocal paused_at
        clock.sleep(seconds)
        if paused_at is None and sitting.elapsed() >= 10.0:
            paused_at = clock.now()
            target.pause()
        elif sitting.paused and paused_at is not None and clock.now() - paused_at >= 60.0:
            target.resume()
        elif sitting.elapsed() >= 40.0:
            target.end()

    out = io.StringIO()
    practised = play_sitting(sitting, sleep, out)
    assert sitting.ended and not sitting.outcome.completed
    assert practised == pytest.approx(40.0, abs=1.0)  # the pause is not counted
    assert clock.now() - 1000.0 >= 100.0  # ...though it took its time on the clock
    assert "Breathe in" in out.getvalue() and "Resting" not in out.getvalue()
