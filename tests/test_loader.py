"""The loader's contract under arbitrary input: a Practice or a PracticeError, nothing else."""

from __future__ import annotations

import tomllib
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.engine.timeline import build_timeline
from companion.practice.errors import PracticeError
from companion.practice.load import parse_practice, parse_toml_bytes
from tests.support import SOUNDS

KEYS = st.sampled_from(
    ["title", "summary", "kind", "duration", "pattern", "in", "out", "hold", "hold_out", "top_up",
     "ramp", "to", "over", "regions", "name", "weight", "phrases", "every", "cues", "at", "text",
     "bells", "start", "end", "interval", "noting", "keys", "t", "segment", "labels", "direction",
     "chime", "phase_sound", "recipient", "prompts", "start_strikes", "tags"]
) | st.text(max_size=8)

SCALARS = (
    st.integers(min_value=-10**6, max_value=10**6)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.booleans()
    | st.sampled_from(["4m", "open", "90s", "1m30s", "bowl", "../x", "breath", "body_scan", "phrases",
                       "silence", "settle", "noting", "head", "feet", "down", "up", "", "none"])
    | st.text(max_size=12)
)

VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=25,
)

SEGMENT = st.fixed_dictionaries(
    {"kind": st.sampled_from(["breath", "body_scan", "phrases", "silence", "settle", "noting", "x"])},
    optional={
        "duration": SCALARS,
        "pattern": st.dictionaries(st.sampled_from(["in", "out", "hold", "hold_out", "top_up", "x"]), SCALARS),
        "regions": st.lists(SCALARS, max_size=4),
        "phrases": st.lists(SCALARS, max_size=3),
        "every": SCALARS,
        "cues": st.lists(st.dictionaries(st.sampled_from(["at", "text"]), SCALARS), max_size=3),
        "ramp": VALUES,
    },
)

DOCS = st.fixed_dictionaries(
    {"title": SCALARS, "segment": st.lists(SEGMENT, min_size=0, max_size=4)},
    optional={"bells": VALUES, "noting": VALUES, "tags": VALUES, "extra": VALUES},
) | st.dictionaries(KEYS, VALUES, max_size=6)


def check(data: dict[str, Any]) -> None:
    try:
        practice = parse_practice(data, path="fuzz.toml", practice_id="fuzz", sounds=SOUNDS)
    except PracticeError as exc:
        assert exc.problems, "an error must say what is wrong"
        assert all(str(p).startswith("fuzz.toml") for p in exc.problems)
        return
    # A practice that loads must also be playable by the engine.
    timeline = build_timeline(practice)
    end = timeline.total if timeline.total is not None else 120.0
    for t in (0.0, end / 3, end / 2, end):
        timeline.state_at(t)
    timeline.events(0.0, min(end, 600.0))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS)
def test_any_toml_shaped_data_gives_a_practice_or_the_loaders_error(data: dict[str, Any]) -> None:
    check(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_data_or_the_loaders_error(raw: bytes) -> None:
    try:
        data = parse_toml_bytes(raw, "fuzz.toml")
    except PracticeError as exc:
        assert all(str(p).startswith("fuzz.toml") for p in exc.problems)
        return
    check(data)


@settings(max_examples=100, deadline=None)
@given(DOCS)
def test_written_toml_round_trips_through_the_loader(data: dict[str, Any]) -> None:
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):
        return
    check(tomllib.loads(text))
