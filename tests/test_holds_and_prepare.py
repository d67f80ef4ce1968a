"""Holds that wait for the key, the countdown before the bell, and what the journal keeps."""

from __future__ import annotations

import io
import json
import tomllib
from pathlib import Path

import pytest

from companion.cli import main
from companion.commands import Context
from companion.engine.clock import FakeClock
from companion.engine.session import Session
from companion.engine.timeline import build_timeline
from companion.journal import open_journal
from companion.paths import Paths
from companion.plain import play_sitting
from companion.practice.load import load_practice, parse_practice
from companion.practice.model import Practice
from companion.sitting import Sitting
from companion.sound.chimes import Chimes
from companion.sound.player import RecordingPlayer as ClockedPlayer
from companion.ui.app import CompanionApp, make_app
from companion.ui.screens.practice import PracticeScreen
from tests.support import RecordingJournal, RecordingPlayer, practice_from, screen_text, write_wav

PRESETS = Path(__file__).resolve().parent / "data" / "presets"

HOLDS = """
title = "Two holds"
prepare = "5s"
[bells]
start_strikes = 1
end_strikes = 1
[[segment]]
kind = "rounds"
times = 2
  [[segment.part]]
  kind = "breath"
  breaths = 3
  pattern = { in = 1.5, out = 1.5 }
  [[segment.part]]
  kind = "hold"
  until = "key"
  max = "1m"
"""


def two_holds() -> Practice:
    return practice_from(HOLDS)


def test_the_journal_begins_at_the_bell_and_keeps_each_hold(paths: Paths) -> None:
    clock = FakeClock()
    sitting = Sitting(two_holds(), clock)
    journal = open_journal(paths)
    sitting.begin(recorder=journal.recorder())
    clock.advance(3)
    sitting.heartbeat()
    assert sitting.preparing and journal.runs() == []  # the countdown is not practice
    assert sitting.take_note("t", "thinking") is None  # kept for the first moment
    clock.advance(2 + 9 + 20)  # the bell, three breaths, 20 s into the first hold
    sitting.heartbeat()
    assert sitting.release_hold() == pytest.approx(20)
    clock.advance(9 + 60 + 1)  # the second hold runs out at its max
    sitting.heartbeat()
    outcome = sitting.end(completed=True)
    assert outcome.holds == pytest.approx((20, 60))
    assert outcome.practised == pytest.approx(9 + 20 + 9 + 60)  # the skipped 40 s not counted
    (run,) = journal.runs()
    assert run.holds == pytest.approx((20, 60))
    assert run.labels == {"thinking": 1}
    assert run.practised == pytest.approx(98)


def test_history_json_and_text_show_the_holds_of_each_run(paths: Paths) -> None:
    clock = FakeClock()
    sitting = Sitting(two_holds(), clock)
    sitting.begin(recorder=open_journal(paths).recorder())
    clock.advance(5 + 9 + 42)
    sitting.heartbeat()
    sitting.release_hold()
    sitting.end(completed=False)
    out = io.StringIO()
    assert main(["history", "--json"], Context(paths=paths, out=out, err=io.StringIO())) == 0
    (row,) = json.loads(out.getvalue())
    assert row["holds"] == [42.0]
    out = io.StringIO()
    main(["history"], Context(paths=paths, out=out, err=io.StringIO()))
    assert "holds: 00:42" in out.getvalue()


def test_the_drawn_interval_bells_are_kept_with_the_run(paths: Paths) -> None:
    text = 'title = "R"\n[bells]\ninterval = "30s..90s"\n[[segment]]\nkind = "silence"\nduration = "10m"\n'
    clock = FakeClock()
    timeline = build_timeline(practice_from(text), seed=11)
    sitting = Sitting(timeline.practice, clock, timeline=timeline)
    journal = open_journal(paths)
    sitting.begin(recorder=journal.recorder())
    sitting.end(completed=False)
    with journal.read() as db:
        (bells,) = db.execute("SELECT bells FROM runs").fetchone()
    kept = json.loads(bells)
    assert kept["seed"] == 11 and kept["interval"] == timeline.drawn_intervals()
    out = io.StringIO()
    replay = Sitting(timeline.practice, FakeClock(), timeline=timeline)
    replay.begin()
    play_sitting(replay, replay.clock.advance, out, limit=1.0)  # type: ignore[attr-defined]
    shown = ", ".join(f"{int(t) // 60:02d}:{int(t) % 60:02d}" for t in kept["interval"])
    assert out.getvalue().splitlines()[1] == f"Interval bells this time: {shown}"


def test_plain_counts_down_waits_for_enter_and_prints_the_hold() -> None:
    clock = FakeClock()
    sitting = Sitting(two_holds(), clock)
    sitting.begin(recorder=RecordingJournal())
    out = io.StringIO()
    pressed = iter([False] * 15 + [True])

    def wait_key(seconds: float) -> bool:
        clock.advance(seconds)
        return next(pressed, True)

    play_sitting(sitting, clock.advance, out, wait_key=wait_key)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Two holds - up to 02:18. Ctrl+C ends the practice."
    assert lines[1:6] == [f"Starting in {n}" for n in (5, 4, 3, 2, 1)]
    assert any("press Enter when you need to breathe (at most 01:00)" in line for line in lines)
    # Each wait is one second; the sixteenth ends the first hold, the first ends the second.
    held = [line for line in lines if "held for" in line]
    assert held == ["[01:09] held for 16 seconds", "[02:18] held for 1 second"]
    # The practice carries on from the hold's end: the next part's first line is not lost.
    after = lines[lines.index(held[0]) + 1 :]
    assert after[:2] == ["[01:09] == Paced breathing (9s, round 2 of 2) ==", "[01:09] Breathe in (1.5s, breath 1)"]


def test_plain_without_a_terminal_holds_until_max() -> None:
    clock = FakeClock()
    sitting = Sitting(two_holds(), clock)
    sitting.begin()
    out = io.StringIO()
    practised = play_sitting(sitting, clock.advance, out)
    assert practised == pytest.approx(2 * (9 + 60))
    assert "it ends by itself when you need to breathe" in out.getvalue()
    assert "held for" not in out.getvalue()


def test_minutes_that_cannot_fit_exit_1_and_say_why(paths: Paths) -> None:
    err = io.StringIO()
    preset = str(PRESETS / "retention-rounds.toml")
    code = main(["run", preset, "--minutes", "5", "--plain"], Context(paths=paths, out=io.StringIO(), err=err))
    assert code == 1
    assert "retention-rounds: 'Retention rounds' is made only of counted breaths, holds and rounds" in err.getvalue()


def test_in_and_out_sounds_ring_through_the_chimes(tmp_path: Path) -> None:
    for name in ("tick", "tock", "bowl"):
        write_wav(tmp_path / f"{name}.wav")
    text = (
        'title = "T"\n[bells]\nstart = "none"\nend = "none"\n[[segment]]\nkind = "breath"\nbreaths = 2\n'
        'pattern = { in = 2, hold = 1, out = 3 }\nphase_sound = { in = "tick", out = "tock" }\n'
    )
    practice = parse_practice(tomllib.loads(text), path="t.toml", practice_id="t", sounds={"tick", "tock", "bowl"})
    clock = FakeClock()
    timeline = build_timeline(practice)
    session = Session(timeline, clock)
    player = ClockedPlayer(clock)
    chimes = Chimes(timeline, session, player, clock)
    session.start()
    start = clock.now()
    for _ in range(25):
        chimes.play_due(clock.now() - session.practice_time_to_clock(0.0))
        clock.advance(0.5)
    assert [(p.name, round(p.time - start, 3)) for p in player.played] == [
        ("tick", 0.0), ("tock", 3.0), ("tick", 6.0), ("tock", 9.0),
    ]  # fmt: skip
    assert {"tick", "tock"} <= {p.stem for p in tmp_path.glob("*.wav")}


def app_for(practice: Practice, paths: Paths) -> tuple[CompanionApp, FakeClock]:
    clock = FakeClock()
    app = make_app(
        paths=paths, practice=practice, clock=clock, player=RecordingPlayer(), journal=RecordingJournal()
    )
    return app, clock


async def test_the_screen_counts_down_then_shows_the_seconds_held_and_space_ends_the_hold(
    paths: Paths,
) -> None:
    app, clock = app_for(two_holds(), paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        clock.advance(1)
        screen.tick()
        await pilot.pause()
        assert "Starting in 4" in screen_text(app)
        clock.advance(4 + 9 + 12)
        screen.tick()
        await pilot.pause()
        text = screen_text(app)
        assert "12 s held" in text and "space when you need to breathe" in text
        clock.advance(5)
        screen.tick()
        await pilot.pause()
        assert "17 s held" in screen_text(app)  # rising
        await pilot.press("space")
        await pilot.pause()
        sitting = screen.sitting
        assert not sitting.paused and flat(sitting.session.holds()) == pytest.approx([9, 17])
        assert sitting.state().segment.kind == "breath" and sitting.state().round == 2
        await pilot.press("space")  # no hold now: space pauses as always
        assert sitting.paused
        await pilot.press("escape")  # end: the summary lists the holds
        await pilot.pause()
        if "How are you" in screen_text(app):
            await pilot.press("escape")
            await pilot.pause()
        assert "Breath held: 00:17" in screen_text(app)


def test_the_presets_load_and_match_the_schema() -> None:
    import jsonschema

    from companion.practice.schema import practice_schema

    validator = jsonschema.Draft202012Validator(practice_schema())
    bundled = {p.stem for p in (PRESETS.parents[2] / "sounds").glob("*.wav")}
    assert "tock" in bundled  # the soft, lower tick the in/out presets ring on the out-breath
    for path in sorted(PRESETS.glob("*.toml")):
        load_practice(path, sounds=bundled)
        assert list(validator.iter_errors(tomllib.loads(path.read_text()))) == [], path.name


def test_the_length_choices_say_when_a_practice_cannot_fit() -> None:
    from companion.library.choose import at_length, fit_problem
    from companion.practice.edit import FormValues, build_candidate

    counted = practice_from(
        'title = "Counted"\n[[segment]]\nkind = "settle"\nduration = "1m"\n'
        '[[segment]]\nkind = "breath"\nbreaths = 20\npattern = { in = 4, hold = 7, out = 8 }\n'
    )
    assert counted.total == 60 + 380
    # Home's Length choice: the practice keeps its own length, and the preview says why.
    assert at_length(counted, 3) is counted
    assert fit_problem(counted, 3) == (
        "'Counted' has 6m20s of counted breaths, holds and rounds, which keep their length; "
        "it cannot fit in 3m. Choose a length over 6m21s"
    )
    assert fit_problem(counted, 10) is None and at_length(counted, 10).total == pytest.approx(600)
    # Customize's Length field: the same words, and nothing to save.
    values = FormValues(save_as="counted", length="3", noting=list(counted.noting))
    candidate = build_candidate(counted, values, None)
    assert not candidate.ok
    assert candidate.problems == [f"Length: {fit_problem(counted, 3)}"]
    values.length = "10"
    fitted = build_candidate(counted, values, None)
    assert fitted.ok and fitted.practice is not None
    assert fitted.practice.segments[1].breaths == 20 and fitted.practice.total == 600


def test_the_history_screen_lists_a_runs_holds() -> None:
    from companion.journal.history import RunRow
    from companion.ui.screens.history import recent_lines

    row = RunRow(
        "u", "retention-rounds", "Retention rounds", "2026-11-30T07:30:00Z", "2026-11-30",
        870.0, 700.0, "completed", holds=(42.0, 75.5, 90.0),
    )  # fmt: skip
    (line,) = recent_lines([row])
    assert line.endswith("· holds 00:42 01:15 01:30")


async def test_the_continue_key_can_be_remapped_by_its_id(paths: Paths) -> None:
    from companion.config import Config

    clock = FakeClock()
    practice = practice_from(HOLDS.replace('prepare = "5s"\n', ""))
    app = make_app(
        paths=paths,
        practice=practice,
        clock=clock,
        player=RecordingPlayer(),
        journal=RecordingJournal(),
        config=Config(keys={"continue": "enter"}),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        clock.advance(9 + 3)
        screen.tick()
        await pilot.pause()
        assert "enter when you need to breathe" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert flat(screen.sitting.session.holds()) == pytest.approx([9, 3])


def flat(holds: list[tuple[float, float]]) -> list[float]:
    """(start, seconds) pairs as one list, for pytest.approx (which compares tuples exactly)."""
    return [x for pair in holds for x in pair]
