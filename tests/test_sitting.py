"""The sitting: one running practice, driven by a fake clock, heard by a recording journal."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.engine.clock import FakeClock
from companion.journal import open_journal
from companion.paths import Paths
from companion.practice.model import Practice
from companion.sitting import Sitting, SittingEvent
from companion.sound.player import RecordingPlayer
from tests.support import STARTS, TOTAL, RecordingJournal, every_kind


@pytest.fixture
def practice(tmp_path: Path) -> Practice:
    """One segment of each kind: settle 10 s, breath 32 s, scan 30 s, ... 136 s in all."""
    return every_kind(tmp_path)


def begun(
    practice: Practice, *, course: str | None = None, day: int | None = None, reflection: str = ""
) -> tuple[Sitting, FakeClock, RecordingJournal, list[SittingEvent]]:
    """A sitting begun at the fake clock's start, with a recording journal and listener."""
    clock = FakeClock()
    sitting = Sitting(practice, clock, course=course, day=day, reflection=reflection)
    heard: list[SittingEvent] = []
    sitting.listen(heard.append)
    journal = RecordingJournal()
    sitting.begin(recorder=journal.recorder())
    return sitting, clock, journal, heard


def kinds(heard: list[SittingEvent]) -> list[str]:
    return [e.kind for e in heard]


def test_time_runs_on_the_clock_and_a_pause_moves_it(practice: Practice) -> None:
    sitting, clock, _journal, heard = begun(practice)
    clock.advance(12.0)
    assert sitting.elapsed() == pytest.approx(12.0)
    assert sitting.state().segment.kind == "breath"
    assert sitting.pause()
    assert not sitting.pause()  # already paused: nothing happens, nothing is said
    clock.advance(30.0)
    assert sitting.elapsed() == pytest.approx(12.0)
    assert sitting.toggle_pause() is False  # carries on
    clock.advance(1.0)
    assert sitting.elapsed() == pytest.approx(13.0)
    assert kinds(heard) == ["began", "paused", "resumed"]
    assert [e.t for e in heard[1:]] == [pytest.approx(12.0), pytest.approx(12.0)]


def test_skip_jumps_to_each_next_segment_until_the_last(practice: Practice) -> None:
    sitting, clock, _journal, heard = begun(practice)
    clock.advance(2.0)
    assert sitting.skip()
    assert sitting.elapsed() == pytest.approx(STARTS["breath"])
    for _ in range(4):
        assert sitting.skip()
    assert sitting.elapsed() == pytest.approx(STARTS["silence"])
    assert not sitting.skip()  # the last segment has no next
    assert kinds(heard).count("skipped") == 5


def test_notes_are_stamped_recorded_and_undone_in_the_journal(practice: Practice) -> None:
    sitting, clock, journal, heard = begun(practice)
    clock.advance(STARTS["body_scan"] + 1.0)
    first = sitting.take_note("t", "thinking")
    assert first is not None
    assert first.t == pytest.approx(43.0)
    assert (first.segment, first.region) == (2, "head")
    sitting.take_note("f", "feeling")
    undone = sitting.undo_note()
    assert undone is not None and undone.label == "feeling"
    assert [n.label for n in sitting.notes] == ["thinking"]
    assert [c for c in journal.calls if c[0] in ("note", "undo_note")] == [
        ("note", first.t, "thinking", "t", 2, "head"),
        ("note", pytest.approx(43.0), "feeling", "f", 2, "head"),
        ("undo_note",),
    ]
    assert kinds(heard) == ["began", "noted", "noted", "undone"]
    assert heard[-1].note == undone
    sitting.undo_note()
    assert sitting.undo_note() is None  # nothing left to take back, nothing recorded
    assert journal.calls.count(("undo_note",)) == 2


def test_notes_taken_before_the_beginning_count_from_its_first_moment(practice: Practice) -> None:
    clock = FakeClock()
    sitting = Sitting(practice, clock)
    assert sitting.take_note("t", "thinking") is None  # kept, not yet stamped
    assert sitting.notes == []
    clock.advance(5.0)  # the mixer took its time to open
    journal = RecordingJournal()
    sitting.begin(recorder=journal.recorder())
    assert [(n.label, n.t) for n in sitting.notes] == [("thinking", 0.0)]
    assert [c[0] for c in journal.calls] == ["begin", "note"]


def test_the_outcome_says_planned_against_practised(practice: Practice) -> None:
    sitting, clock, journal, heard = begun(practice, course="ten-days", day=2, reflection="Rest.")
    clock.advance(20.0)
    sitting.pause()
    clock.advance(100.0)  # a pause is not practice
    sitting.resume()
    clock.advance(25.0)
    sitting.take_note("t", "thinking")
    outcome = sitting.end(completed=False)
    assert outcome.planned == pytest.approx(TOTAL)
    assert outcome.practised == pytest.approx(45.0)
    assert not outcome.completed
    assert [n.label for n in outcome.notes] == ["thinking"]
    assert (outcome.course, outcome.day, outcome.reflection) == ("ten-days", 2, "Rest.")
    assert ("begin", practice.id, pytest.approx(TOTAL)) in journal.calls
    assert journal.calls[-1] == ("end", pytest.approx(45.0), False)
    assert kinds(heard)[-1] == "ended"
    # Once ended nothing changes: no notes, no second end, the same outcome.
    clock.advance(10.0)
    assert sitting.take_note("f", "feeling") is None
    assert sitting.end(completed=True) == outcome
    assert [c[0] for c in journal.calls].count("end") == 1


def test_a_sitting_that_runs_to_its_end_is_completed(practice: Practice) -> None:
    sitting, clock, _journal, _heard = begun(practice)
    clock.advance(TOTAL + 3.0)
    assert sitting.state().finished
    outcome = sitting.end(completed=True)
    assert outcome.completed and outcome.practised == pytest.approx(TOTAL)


def test_check_ins_before_and_after_reach_the_journal_and_the_outcome(
    paths: Paths, practice: Practice
) -> None:
    import sqlite3

    journal = open_journal(paths)
    clock = FakeClock()
    sitting = Sitting(practice, clock, checkin_before=2)
    sitting.begin(recorder=journal.recorder())
    clock.advance(30.0)
    sitting.end(completed=False)
    sitting.check_in_after(4)
    assert sitting.outcome.checkin == (2, 4)
    db = sqlite3.connect(paths.journal_file)
    try:
        rows = db.execute(
            "SELECT checkin_before, checkin_after, status, practised FROM runs"
        ).fetchall()
    finally:
        db.close()
    assert rows == [(2, 4, "ended early", pytest.approx(30.0))]


def test_the_heartbeat_writes_once_a_second_of_practice_time(practice: Practice) -> None:
    sitting, clock, journal, _heard = begun(practice)
    for _ in range(24 * 3):  # three seconds of frames
        sitting.heartbeat()
        clock.advance(1 / 24)
    sitting.pause()
    clock.advance(10.0)
    sitting.heartbeat()  # paused: practice time stands still, so nothing new to say
    progress = [c[1] for c in journal.calls if c[0] == "progress"]
    assert [int(p) for p in progress] == [0, 1, 2]


def test_a_failing_journal_is_said_once_and_the_practice_goes_on(practice: Practice) -> None:
    class Full(RecordingJournal):
        def note(self, *args: object) -> None:
            self.notice = "This practice will not be remembered: the disk is full (x)."

    clock = FakeClock()
    sitting = Sitting(practice, clock)
    heard: list[SittingEvent] = []
    sitting.listen(heard.append)
    sitting.begin(recorder=Full().recorder())
    for _ in range(3):
        clock.advance(1.0)
        sitting.take_note("t", "thinking")
    assert len(sitting.notes) == 3
    notices = [e.notice for e in heard if e.kind == "journal"]
    assert notices == ["This practice will not be remembered: the disk is full (x)."]


def test_a_recorder_that_raises_never_stops_the_practice(practice: Practice) -> None:
    class Broken(RecordingJournal):
        def progress(self, practised: float) -> None:
            raise OSError("the disk went away")

    clock = FakeClock()
    sitting = Sitting(practice, clock)
    sitting.begin(recorder=Broken().recorder())
    clock.advance(2.0)
    sitting.heartbeat()
    assert sitting.take_note("t", "thinking") is not None


def test_bells_start_on_time_hush_on_pause_and_stop_when_ended_early() -> None:
    from tests.support import practice_from

    practice = practice_from(
        'title = "Bells"\n[bells]\nstart_strikes = 1\nend_strikes = 1\n'
        '[[segment]]\nkind = "silence"\nduration = "20s"\n'
    )
    clock = FakeClock()
    player = RecordingPlayer(clock)
    sitting = Sitting(practice, clock)
    sitting.begin(player=player)
    chimes = sitting.chimes
    assert chimes is not None
    chimes.play_due(0.0)  # whichever comes first, the thread or this, rings it once
    assert [(p.role, p.time - 1000.0) for p in player.played] == [("start", 0.0)]
    clock.advance(5.0)
    sitting.pause()
    assert player.stops == 1  # a bowl left ringing into a pause would feel like it went on
    sitting.resume()
    clock.advance(5.0)
    sitting.end(completed=False)  # at 10 s of 20
    assert sitting.chimes is None and not chimes.running
    assert chimes.play_due(40.0) == []  # ended early: the closing strike never rings
    assert [p.role for p in player.played] == ["start"]


def test_listeners_can_leave(practice: Practice) -> None:
    sitting, _clock, _journal, heard = begun(practice)
    sitting.unlisten(heard.append)
    sitting.unlisten(heard.append)  # twice is fine
    sitting.take_note("t", "thinking")
    assert kinds(heard) == ["began"]


def test_the_plain_runner_drives_a_sitting_to_its_outcome(practice: Practice) -> None:
    import io

    from companion.plain import play_sitting

    clock = FakeClock()
    sitting = Sitting(practice, clock)
    journal = RecordingJournal()
    sitting.begin(recorder=journal.recorder())
    practised = play_sitting(sitting, clock.sleep, io.StringIO())
    outcome = sitting.end(completed=True)
    assert practised == outcome.practised == pytest.approx(TOTAL)
    assert outcome.completed
    beats = [c[1] for c in journal.calls if c[0] == "progress"]
    # A heartbeat on every second of practice time, so a killed run loses at most a second.
    assert [int(b) for b in beats] == list(range(1, int(TOTAL) + 1))
    assert journal.calls[-1] == ("end", pytest.approx(TOTAL), True)
