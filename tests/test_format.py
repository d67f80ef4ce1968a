"""The practice format: every rule, and the exact words a person sees when one is broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.practice.durations import DurationError, format_duration, parse_duration
from companion.practice.errors import PracticeError
from companion.practice.load import load_practice
from tests.support import SOUNDS, practice_from


def problems(text: str, tmp_path: Path, name: str = "p.toml") -> list[str]:
    """Write text to a file, load it, and return the error lines (empty when valid)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    try:
        load_practice(path, sounds=SOUNDS, display=name)
    except PracticeError as exc:
        return [str(p) for p in exc.problems]
    return []


SEG = '[[segment]]\nkind = "silence"\nduration = "1m"\n'


def test_a_minimal_practice_loads_with_defaults() -> None:
    p = practice_from('title = "Quiet"\n' + SEG)
    assert p.id == "t"
    assert p.title == "Quiet"
    assert p.total == 60
    assert p.bells.start == "bowl" and p.bells.start_strikes == 3
    assert p.bells.end == "bowl" and p.bells.end_strikes == 2
    assert dict(p.noting)["t"] == "thinking"
    assert dict(p.noting)["k"] == "self-critical"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [(90, 90.0), (2.5, 2.5), ("90", 90.0), ("90s", 90.0), ("5m", 300.0), ("1m30s", 90.0), ("1h", 3600.0), ("1h 2m 3s", 3723.0)],
)
def test_durations_are_read_as_people_write_them(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["5 minutes", "m5", "", "1m1m", True, [1], "inf", float("nan")])
def test_nonsense_durations_are_refused(bad: object) -> None:
    with pytest.raises(DurationError):
        parse_duration(bad)


def test_open_is_a_duration_only_where_allowed() -> None:
    assert parse_duration("open", allow_open=True) is None
    with pytest.raises(DurationError):
        parse_duration("open")


def test_durations_are_written_back_plainly() -> None:
    assert [format_duration(x) for x in (240, 90, 3600, 5.5, None)] == ["4m", "1m30s", "1h", "5.5s", "open"]


def test_syntax_errors_give_path_line_and_column(tmp_path: Path) -> None:
    lines = problems('title = "x"\n\n[[segment]]\nkind = breath\n', tmp_path)
    assert lines == [
        'p.toml:4:8: Invalid value; texts need quotes, like kind = "breath" (numbers and true/false do not)'
    ]


def test_a_key_written_twice_is_named_as_such(tmp_path: Path) -> None:
    lines = problems('title = "x"\ntitle = "y"\n' + SEG, tmp_path)
    assert len(lines) == 1
    assert lines[0].startswith("p.toml:2:")
    assert "written twice" in lines[0]


def test_schema_errors_name_the_field_and_the_value(tmp_path: Path) -> None:
    text = 'title = "x"\n[[segment]]\nkind = "breath"\nduration = "1m"\npattern = { in = -4, out = 4 }\n'
    assert problems(text, tmp_path) == [
        "p.toml: segment[1].pattern.in: must be a positive number of seconds (got -4)"
    ]


def test_every_problem_in_a_file_is_reported(tmp_path: Path) -> None:
    text = """
titel = "x"
[bells]
start = "../x"
[[segment]]
kind = "brething"
duration = "1m"
[[segment]]
kind = "breath"
duration = "2m"
pattern = { inhale = 4, out = 90 }
[[segment]]
kind = "body_scan"
duration = "1m"
regions = ["head", "sholders"]
"""
    lines = problems(text, tmp_path)
    assert "p.toml: titel: unknown key; did you mean 'title'?" in lines
    assert "p.toml: title: is required; add a line such as title = \"...\"" in lines
    assert any(
        line.startswith("p.toml: bells.start: must be a sound name, not a path (got '../x')")
        for line in lines
    )
    assert any(
        line.startswith("p.toml: segment[1].kind: unknown kind 'brething'; did you mean 'breath'?")
        for line in lines
    )
    assert "p.toml: segment[2].pattern.inhale: unknown key; did you mean 'in'?" in lines
    assert "p.toml: segment[2].pattern.out: must be between 0.25 and 60 seconds (got 90)" in lines
    assert any(
        line.startswith("p.toml: segment[3].regions[2]: unknown body region 'sholders'; did you mean 'shoulders'?")
        for line in lines
    )
    assert len(lines) >= 7


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('pattern = { in = "four", out = 4 }', "segment[1].pattern.in: must be a number of seconds (got a text ('four'))"),
        ("pattern = { in = 4, out = 4, hold = 0.2 }", "segment[1].pattern.hold: must be 0 or between 0.25 and 60 seconds (got 0.2)"),
        ("pattern = { in = 4 }", "segment[1].pattern.out: is required (seconds for the out-breath)"),
        ("pattern = 4", "segment[1].pattern: must be a table like { in = 4, hold = 4, out = 4, hold_out = 4 } (got a number (4))"),
        ('pattern = { in = 4, out = 4 }\nrecipient = "you"', "segment[1].recipient: is only used by phrases segments (this one is 'breath')"),
        ('pattern = { in = 4, out = 4 }\nramp = { to = { in = 5, out = 5 }, over = "5m" }', "segment[1].ramp.over: is 5m, longer than the segment (1m)"),
        ('pattern = { in = 4, out = 4 }\nlabels = { inn = "x" }', "segment[1].labels.inn: unknown key; did you mean 'in'?"),
        ('pattern = { in = 4, out = 4 }\nphase_sound = "C:\\\\x.wav"', "segment[1].phase_sound: must be a sound name, not a path"),
        ('pattern = { in = 4, out = 4 }\nphase_sound = "bowll"', "segment[1].phase_sound: unknown sound 'bowll'; did you mean 'bowl'?"),
        ('pattern = { in = 4, out = 4 }\ncues = [{ at = "2m", text = "late" }]', "segment[1].cues[1].at: is at 2m, after the segment ends (1m)"),
        ('pattern = { in = 4, out = 4 }\ncues = [{ at = "1s" }]', "segment[1].cues[1].text: is required"),
    ],
)
def test_breath_segment_rules(body: str, expected: str, tmp_path: Path) -> None:
    text = f'title = "x"\n[[segment]]\nkind = "breath"\nduration = "1m"\n{body}\n'
    lines = problems(text, tmp_path)
    assert any(line.startswith(f"p.toml: {expected}") for line in lines), lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('title = "x"\n', "p.toml: segment: a practice needs at least one [[segment]]"),
        ('title = "x"\nsegment = "x"\n', "p.toml: segment: must be a list of [[segment]] tables"),
        (
            'title = "x"\n[[segment]]\nkind = "silence"\nduration = "open"\n' + SEG,
            'p.toml: segment[1].duration: "open" is only allowed for the last segment',
        ),
        ('title = "x"\n[[segment]]\nkind = "silence"\nduration = -5\n', "p.toml: segment[1].duration: must be a positive duration (got -5)"),
        ('title = "x"\n[[segment]]\nkind = "silence"\nduration = "13h"\n', "p.toml: segment[1].duration: must be at most 12h (got 13h)"),
        ('title = "x"\n[[segment]]\nkind = "silence"\n', 'p.toml: segment[1].duration: is required, like duration = "5m"'),
        ('title = "x"\n[[segment]]\nduration = "1m"\n', "p.toml: segment[1].kind: is required"),
        ('title = 5\n' + SEG, "p.toml: title: must be a text in quotes (got a number (5))"),
        ('title = "x"\ntags = "calm"\n' + SEG, "p.toml: tags: must be a list of texts"),
        ('title = "x"\n[bells]\nstart_strikes = 9\n' + SEG, "p.toml: bells.start_strikes: must be a whole number from 1 to 5 (got a number (9))"),
        ('title = "x"\n[bells]\ninterval = "5s"\n' + SEG, "p.toml: bells.interval: must be at least 10 seconds"),
        ('title = "x"\n[bells]\nstart = "bowl.wav"\n' + SEG, "p.toml: bells.start: is not a sound name (got 'bowl.wav')"),
        ('title = "x"\n[noting]\nkeys = { q = "quiet" }\n' + SEG, "p.toml: noting.keys.q: 'q' controls the session; choose another key"),
        ('title = "x"\n[noting]\nkeys = { tt = "x" }\n' + SEG, "p.toml: noting.keys.tt: a noting key must be a single printable character"),
        ('title = "x"\n[noting]\nkeys = { t = 5 }\n' + SEG, "p.toml: noting.keys.t: must be a label in quotes"),
        (
            'title = "x"\n[[segment]]\nkind = "phrases"\nduration = "1m"\n',
            'p.toml: segment[1].phrases: is required, like phrases = ["May I be at ease"]',
        ),
        (
            'title = "x"\n[[segment]]\nkind = "phrases"\nduration = "1m"\nphrases = ["a"]\nevery = "1s"\n',
            "p.toml: segment[1].every: must be between 2s and 10m",
        ),
        (
            'title = "x"\n[[segment]]\nkind = "body_scan"\nduration = "1m"\ndirection = "sideways"\n',
            "p.toml: segment[1].direction: must be \"down\" or \"up\" (got 'sideways')",
        ),
        (
            'title = "x"\n[[segment]]\nkind = "body_scan"\nduration = "1m"\nregions = [{ name = "feet", weight = 50 }]\n',
            "p.toml: segment[1].regions[1].weight: must be a number from 0.1 to 10",
        ),
    ],
)
def test_file_rules(text: str, expected: str, tmp_path: Path) -> None:
    lines = problems(text, tmp_path)
    assert any(line.startswith(expected) for line in lines), lines


def test_limits_on_size_segments_and_total(tmp_path: Path) -> None:
    big = 'title = "x"\ndescription = "' + "a" * 300_000 + '"\n' + SEG
    assert problems(big, tmp_path) == ["p.toml: is 293 KiB; practice files may be at most 256 KiB"]
    many = 'title = "x"\n' + SEG * 201
    assert "p.toml: segment: has 201 segments; the most is 200" in problems(many, tmp_path)
    long = 'title = "x"\n' + '[[segment]]\nkind = "silence"\nduration = "7h"\n' * 2
    assert "p.toml: segment: the segments add up to 14h; a practice may be at most 12h" in problems(long, tmp_path)


def test_text_encoding_problems_are_located(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_bytes(b'title = "caf\xe9"\n' + SEG.encode())
    with pytest.raises(PracticeError) as info:
        load_practice(path, sounds=SOUNDS, display="p.toml")
    assert [str(p) for p in info.value.problems] == ["p.toml:1:13: is not UTF-8 text; save it as UTF-8"]


def test_byte_order_marks_and_windows_line_ends_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_bytes(b"\xef\xbb\xbf" + ('title = "x"\r\n' + SEG.replace("\n", "\r\n")).encode())
    assert load_practice(path, sounds=SOUNDS).title == "x"


def test_segment_features_are_read() -> None:
    p = practice_from(
        """
title = "All"
[bells]
interval = "5m"
[[segment]]
kind = "breath"
duration = "10m"
title = "Coherent"
pattern = { in = 4, out = 6 }
ramp = { to = { in = 5, out = 5 }, over = "3m" }
labels = { in = "Breathe in their difficulty", out = "Breathe out relief" }
phase_sound = "tick"
chime = "bell"
cues = [{ at = "30s", text = "Later" }, { at = "0s", text = "First" }]
[[segment]]
kind = "body_scan"
duration = "6m"
direction = "up"
regions = ["head", { name = "Feet", weight = 2 }]
prompts = ["Notice warmth."]
[[segment]]
kind = "phrases"
duration = "3m"
recipient = "yourself"
phrases = ["May I be kind to myself"]
every = "12s"
[[segment]]
kind = "silence"
duration = "open"
"""
    )
    breath, scan, phrases, silence = p.segments
    assert breath.pattern is not None and breath.pattern.cycle == 10
    assert breath.ramp is not None and breath.ramp.over == 180
    assert breath.label_for("in") == "Breathe in their difficulty"
    assert [c.text for c in breath.cues] == ["First", "Later"]
    assert (breath.chime, breath.phase_sound) == ("bell", "tick")
    assert [(r.name, r.weight) for r in scan.regions] == [("head", 1.0), ("feet", 2.0)]
    assert scan.direction == "up"
    assert phrases.every == 12 and phrases.recipient == "yourself"
    assert silence.is_open and p.total is None
    assert p.bells.interval == 300


def test_sound_none_turns_a_bell_off() -> None:
    p = practice_from('title = "x"\n[bells]\nstart = "none"\nend = "none"\n' + SEG)
    assert p.bells.start == "none" and p.bells.end == "none"
