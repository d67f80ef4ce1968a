"""The second round of practice fields: what other apps' presets need, and their messages."""

from __future__ import annotations

import tomllib
from pathlib import Path

import jsonschema
import pytest

from companion.practice.errors import PracticeError
from companion.practice.load import parse_practice
from companion.practice.save import practice_to_toml_dict, toml_text
from companion.practice.schema import practice_schema
from tests.support import SOUNDS, practice_from

RETENTION = Path(__file__).resolve().parent / "data" / "presets" / "retention-rounds.toml"


def problems(text: str) -> list[str]:
    """The error lines for a practice's TOML text (empty when it loads)."""
    try:
        practice_from(text)
    except PracticeError as exc:
        return [str(p) for p in exc.problems]
    return []


def breath(extra: str, pattern: str = "{ in = 4, out = 6 }") -> str:
    return f'title = "T"\n[[segment]]\nkind = "breath"\npattern = {pattern}\n{extra}\n'


def test_a_timed_breath_segment_ends_on_the_nearest_whole_breath() -> None:
    p = practice_from(breath('duration = "5m"', "{ in = 4, hold = 7, out = 8 }"))
    seg = p.segments[0]
    assert seg.duration == 16 * 19  # 300 s is 15.8 breaths of 19 s: 16 whole ones
    assert seg.written == 300
    kept = practice_from(breath('duration = "5m"\nwhole_breaths = false', "{ in = 4, hold = 7, out = 8 }"))
    assert kept.segments[0].duration == 300
    short = practice_from(breath('duration = "3s"'))
    assert short.segments[0].duration == 10  # never fewer than one breath


def test_breaths_counts_whole_breaths_with_and_without_a_ramp() -> None:
    p = practice_from(breath("breaths = 10", "{ in = 4, hold = 7, out = 8 }"))
    assert p.segments[0].breaths == 10 and p.segments[0].duration == 190
    ramped = practice_from(
        breath('breaths = 12\nramp = { to = { in = 5, out = 5 }, over = "30s" }', "{ in = 3, out = 3 }")
    )
    seg = ramped.segments[0]
    assert seg.duration is not None and 72 < seg.duration < 120  # between 12 short and 12 long
    from companion.engine.timeline import build_timeline

    tl = build_timeline(ramped)
    ins = [e for e in tl.events(0, 1000) if e.kind == "phase" and e.text == "Breathe in"]
    assert len(ins) == 12  # exactly twelve breaths, the last one whole


def test_phases_may_be_as_short_as_a_quarter_second() -> None:
    p = practice_from(breath("breaths = 40", "{ in = 0.25, out = 0.25 }"))
    assert p.segments[0].duration == 20
    assert problems(breath("breaths = 4", "{ in = 0.2, out = 1 }")) == [
        "t.toml: segment[1].pattern.in: must be between 0.25 and 60 seconds (got 0.2)"
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (breath('breaths = 4\nduration = "1m"'), "segment[1].breaths: give either `breaths` or `duration`, not both"),
        (breath('breaths = "ten"'), "segment[1].breaths: must be a whole number of breaths, like breaths = 10 (got a text ('ten'))"),
        (breath("breaths = 0"), "segment[1].breaths: must be from 1 to 10000 (got 0)"),
        (breath('duration = "1m"\nwhole_breaths = "yes"'), "segment[1].whole_breaths: must be true or false (got a text ('yes'))"),
        (breath("breaths = 3\nlabels = []"), "segment[1].labels: is an empty list; give at least one table of words"),
        (breath('breaths = 3\nlabels = ["left"]'), "segment[1].labels[1]: must be a table like"),
        (breath('breaths = 3\nlabels = [{ inn = "x" }]'), "segment[1].labels[1].inn: unknown key; did you mean 'in'?"),
        (breath('breaths = 3\nphase_sound = { inn = "tick" }'), "segment[1].phase_sound.inn: unknown key; did you mean 'in'?"),
        (breath('breaths = 3\nphase_sound = { in = "tock" }'), "segment[1].phase_sound.in: unknown sound 'tock'; did you mean 'tick'?"),
        (breath("breaths = 3\nphase_sound = 3"), "segment[1].phase_sound: must be a sound name in quotes, or a table"),
        (breath('breaths = 3\nbreath = 4'), "segment[1].breath: unknown key; did you mean 'breaths'?"),
        (breath('breaths = 2\nramp = { to = { in = 5, out = 5 }, over = "5m" }'), "segment[1].ramp.over: is 5m, longer than the 2 breaths take"),
        ('title = "T"\n[[segment]]\nkind = "hold"\nuntil = "key"\n', 'segment[1].max: is required with until = "key": the longest the hold may last, like max = "3m"'),
        ('title = "T"\n[[segment]]\nkind = "hold"\nuntil = "space"\nmax = "1m"\n', 'segment[1].until: must be "key": the hold lasts until you press space (got \'space\')'),
        ('title = "T"\n[[segment]]\nkind = "hold"\nmax = "1m"\nduration = "10s"\n', 'segment[1].max: is only used with until = "key"'),
        ('title = "T"\n[[segment]]\nkind = "hold"\nuntil = "key"\nmax = "1m"\nduration = "10s"\n', "segment[1].duration: give either `duration` (a fixed hold) or until = \"key\" with `max`, not both"),
        ('title = "T"\n[[segment]]\nkind = "hold"\n', 'segment[1].duration: is required, like duration = "15s", or until = "key"'),
        ('title = "T"\n[[segment]]\nkind = "hold"\nduration = "20m"\n', "segment[1].duration: must be at most 15m for a held breath (got '20m')"),
        ('title = "T"\n[[segment]]\nkind = "hold"\nduration = "10s"\nafter = "up"\n', 'segment[1].after: must be "in" or "out" (got \'up\')'),
        ('title = "T"\n[[segment]]\nkind = "hold"\nuntil = "key"\nmaxx = "1m"\n', "segment[1].maxx: unknown key; did you mean 'max'?"),
        ('title = "T"\n[[segment]]\nkind = "rounds"\ntimes = "open"\n[[segment.part]]\nkind = "silence"\nduration = 10\n[[segment]]\nkind = "silence"\nduration = 10\n', 'segment[1].times: "open" is only allowed for the last segment'),
        ('title = "T"\n[[segment]]\nkind = "rounds"\ntimes = 2\n', "segment[1].part: rounds need at least one part"),
        ('title = "T"\n[[segment]]\nkind = "rounds"\ntimes = 2.5\n[[segment.part]]\nkind = "silence"\nduration = 10\n', "segment[1].times: must be a whole number of rounds"),
        ('title = "T"\n[[segment]]\nkind = "rounds"\ntimes = 2\nduration = "1m"\n[[segment.part]]\nkind = "silence"\nduration = 10\n', "segment[1].duration: is not used by rounds"),
        ('title = "T"\n[[segment]]\nkind = "rounds"\ntimes = 2\n[[segment.part]]\nkind = "rounds"\ntimes = 2\n', "segment[1].part[1].kind: rounds cannot be nested inside rounds"),
        ('title = "T"\n[[segment]]\nkind = "rounds"\ntimes = 2\ncues = []\n[[segment.part]]\nkind = "silence"\nduration = 10\n', "segment[1].cues: is not used by rounds; put the cues in the parts"),
        ('title = "T"\n[[segment]]\nkind = "rounds"\ntimes = 2\n[[segment.part]]\nkind = "silence"\nduration = "open"\n', 'segment[1].part[1].duration: "open" is only allowed for the last segment'),
        ('title = "T"\n[[segment]]\nkind = "rounds"\ntimes = 2\n[[segment.part]]\nkind = "silence"\nduraton = 10\n', "segment[1].part[1].duraton: unknown key; did you mean 'duration'?"),
        ('title = "T"\nprepare = "an hour"\n[[segment]]\nkind = "silence"\nduration = 10\n', "prepare: is not a duration"),
        ('title = "T"\nprepare = "11m"\n[[segment]]\nkind = "silence"\nduration = 10\n', "prepare: must be at most 10m (got '11m')"),
        ('title = "T"\nprepair = "10s"\n[[segment]]\nkind = "silence"\nduration = 10\n', "prepair: unknown key; did you mean 'prepare'?"),
        ('title = "T"\n[bells]\nstrike_gap = 40\n[[segment]]\nkind = "silence"\nduration = 60\n', "bells.strike_gap: must be from 1 to 30 seconds (got 40)"),
        ('title = "T"\n[bells]\nat = "5m"\n[[segment]]\nkind = "silence"\nduration = 600\n', 'bells.at: must be a list of times, like ["5m", "12m30s"]'),
        ('title = "T"\n[bells]\nat = ["5m", "soon"]\n[[segment]]\nkind = "silence"\nduration = 600\n', "bells.at[2]: is not a duration (got 'soon')"),
        ('title = "T"\n[bells]\nat = ["15m"]\n[[segment]]\nkind = "silence"\nduration = 600\n', "bells.at[1]: is at 15m, after the practice ends (10m)"),
        ('title = "T"\n[bells]\nat_sond = "bell"\n[[segment]]\nkind = "silence"\nduration = 600\n', "bells.at_sond: unknown key; did you mean 'at_sound'?"),
        ('title = "T"\n[bells]\ninterval = "90s..30s"\n[[segment]]\nkind = "silence"\nduration = 600\n', 'bells.interval: a range goes from the shortest gap to the longest, like "30s..90s"'),
        ('title = "T"\n[bells]\ninterval = "5s..30s"\n[[segment]]\nkind = "silence"\nduration = 600\n', "bells.interval: each gap must be at least 10 seconds"),
        ('title = "T"\n[bells]\ninterval_from = "1m"\n[[segment]]\nkind = "silence"\nduration = 600\n', "bells.interval_from: counts interval bells from a point, so it needs an interval"),
    ],
)
def test_each_new_field_is_checked_with_a_placed_message(text: str, line: str) -> None:
    lines = problems(text)
    assert any(got.startswith(f"t.toml: {line}") for got in lines), lines


def test_the_issue_example_loads_and_keeps_every_field() -> None:
    text = """
title = "Round two"
prepare = "10s"
[bells]
strike_gap = 4
at = ["5m", "12m30s"]
interval_from = "1m"
interval = "30s..90s"

[[segment]]
kind = "breath"
breaths = 10
pattern = { in = 4, hold = 7, out = 8 }
phase_sound = { in = "tick", out = "bell" }
labels = [ { in = "In through the left", out = "Out through the right" },
           { in = "In through the right", out = "Out through the left" } ]

[[segment]]
kind = "hold"
until = "key"
max = "3m"

[[segment]]
kind = "rounds"
times = 3
  [[segment.part]]
  kind = "breath"
  breaths = 30
  pattern = { in = 1.5, out = 1.5 }
  [[segment.part]]
  kind = "hold"
  until = "key"
  max = "3m"
"""
    p = practice_from(text)
    assert p.prepare == 10
    assert (p.bells.strike_gap, p.bells.at, p.bells.interval_from) == (4, (300, 750), 60)
    assert (p.bells.interval, p.bells.interval_to) == (30, 90)
    first, hold, rounds = p.segments
    assert first.breaths == 10 and first.sound_for("in") == "tick" and first.sound_for("hold") is None
    assert first.label_for("in", 1) == "In through the left"
    assert first.label_for("in", 2) == "In through the right"
    assert first.label_for("in", 3) == "In through the left"
    assert hold.key_ended and hold.duration == 180 and hold.after == "out"
    assert rounds.times == 3 and [s.kind for s in rounds.parts] == ["breath", "hold"]
    assert rounds.duration == 3 * (90 + 180)
    assert p.total == 190 + 180 + 810  # the longest it can last
    # Saved and loaded again, it is the same practice.
    again = parse_practice(
        tomllib.loads(toml_text(practice_to_toml_dict(p))), path="t.toml", practice_id="t", sounds=SOUNDS
    )
    assert again == p
    assert jsonschema.Draft202012Validator(practice_schema()).is_valid(tomllib.loads(text))


def test_open_rounds_must_be_last_and_leave_the_practice_open() -> None:
    text = 'title = "T"\n[[segment]]\nkind = "rounds"\ntimes = "open"\n[[segment.part]]\nkind = "silence"\nduration = 10\n'
    p = practice_from(text)
    assert p.total is None and p.segments[0].times is None


def test_a_whole_breath_file_saves_back_the_time_it_was_given() -> None:
    p = practice_from(breath('duration = "5m"', "{ in = 4, hold = 7, out = 8 }"))
    data = practice_to_toml_dict(p)
    assert data["segment"][0]["duration"] == "5m"  # not the rounded 5m4s: the file is not rewritten
    kept = practice_from(breath('duration = "5m"\nwhole_breaths = false', "{ in = 4, out = 6 }"))
    assert practice_to_toml_dict(kept)["segment"][0]["whole_breaths"] is False


def test_the_schema_accepts_the_new_fields_and_refuses_what_the_loader_refuses() -> None:
    validator = jsonschema.Draft202012Validator(practice_schema())
    good = tomllib.loads(RETENTION.read_text())
    assert list(validator.iter_errors(good)) == []
    for bad in (
        breath('breaths = 4\nduration = "1m"'),
        breath("breaths = 3\nlabels = []"),
        'title = "T"\n[[segment]]\nkind = "hold"\nuntil = "key"\n',
        'title = "T"\n[[segment]]\nkind = "rounds"\ntimes = 2\n',
        'title = "T"\n[bells]\nstrike_gap = 40\n[[segment]]\nkind = "silence"\nduration = 60\n',
    ):
        data = tomllib.loads(bad)
        assert list(validator.iter_errors(data)), bad
        with pytest.raises(PracticeError):
            parse_practice(data, path="t.toml", practice_id="t", sounds=SOUNDS)
