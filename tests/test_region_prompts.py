"""A body-scan region's own prompt: loaded, checked, shown while visited, saved, outlined."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from companion.engine.timeline import build_timeline
from companion.outline import outline, outline_text
from companion.practice.errors import PracticeError
from companion.practice.load import parse_practice
from companion.practice.model import Practice
from companion.practice.save import practice_to_toml_dict
from companion.practice.schema import practice_schema

GENERAL = "Notice whatever is here."
CHEST = "Breathe toward the chest, or simply rest attention there."


def scan_data(regions: list[Any], prompts: list[str] | None = None) -> dict[str, Any]:
    segment: dict[str, Any] = {"kind": "body_scan", "duration": 40, "regions": regions}
    if prompts is not None:
        segment["prompts"] = prompts
    return {"title": "Scan", "segment": [segment]}


def load(data: dict[str, Any]) -> Practice:
    return parse_practice(data, path="p.toml", practice_id="p", sounds={"bowl"})


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(PracticeError) as caught:
        load(data)
    return [str(p) for p in caught.value.problems]


MIXED = [
    "head",
    {"name": "chest", "prompt": CHEST},
    {"name": "belly", "weight": 2},
    {"name": "feet", "weight": 1.5, "prompt": "Feel the soles of the feet."},
]


def test_a_region_keeps_its_own_prompt_beside_plain_names() -> None:
    scan = load(scan_data(MIXED, [GENERAL])).segments[0]
    assert [(r.name, r.prompt) for r in scan.regions] == [
        ("head", ""),
        ("chest", CHEST),
        ("belly", ""),
        ("feet", "Feel the soles of the feet."),
    ]
    assert scan.regions[3].weight == 1.5


def test_the_own_prompt_shows_while_visited_else_the_general_ones() -> None:
    practice = load(scan_data(MIXED, [GENERAL, "Any warmth or coolness?"]))
    timeline = build_timeline(practice)
    plan = timeline.scan_plan(0)
    assert plan is not None
    seen = {}
    for start, length, region in zip(plan.starts, plan.lengths, plan.regions, strict=True):
        state = timeline.state_at(start + length / 2)
        assert state.scan is not None and state.scan.region == region.name
        seen[region.name] = state.scan.prompt
    assert seen["chest"] == CHEST
    assert seen["feet"] == "Feel the soles of the feet."
    assert seen["head"] in (GENERAL, "Any warmth or coolness?")
    assert seen["belly"] in (GENERAL, "Any warmth or coolness?")
    # The plain runner prints the same prompt with each region.
    regions = [e for e in timeline.events(0, 40) if e.kind == "region"]
    assert {e.text: e.detail for e in regions}["chest"] == CHEST


def test_a_scan_with_only_own_prompts_needs_no_general_ones() -> None:
    regions = [{"name": "face", "prompt": "Soft face."}, "hands"]
    timeline = build_timeline(load(scan_data(regions)))
    assert timeline.state_at(1).scan is not None
    assert timeline.state_at(1).scan.prompt == "Soft face."  # type: ignore[union-attr]
    assert timeline.state_at(39).scan.prompt == ""  # type: ignore[union-attr]


def test_an_up_scan_carries_each_prompt_with_its_region() -> None:
    data = scan_data([{"name": "head", "prompt": "The head."}, {"name": "feet", "prompt": "Feet."}])
    data["segment"][0]["direction"] = "up"
    timeline = build_timeline(load(data))
    first = timeline.state_at(1).scan
    assert first is not None and (first.region, first.prompt) == ("feet", "Feet.")


def test_bad_region_prompts_are_named_precisely() -> None:
    assert problems(scan_data([{"name": "chest", "promt": "x"}])) == [
        "p.toml: segment[1].regions[1].promt: unknown key; did you mean 'prompt'?"
    ]
    assert problems(scan_data(["head", {"name": "chest", "prompt": 3}])) == [
        "p.toml: segment[1].regions[2].prompt: must be a text in quotes (got a number (3))"
    ]
    assert problems(scan_data([{"name": "chest", "prompt": "  "}])) == [
        "p.toml: segment[1].regions[1].prompt: must not be empty; leave prompt out to use "
        "the scan's prompts"
    ]
    long = problems(scan_data([{"name": "chest", "prompt": "x" * 4001}]))
    assert long == [
        "p.toml: segment[1].regions[1].prompt: is 4001 characters long; the most is 4000"
    ]


def test_saving_keeps_region_prompts_and_plain_names() -> None:
    practice = load(scan_data(MIXED, [GENERAL]))
    saved = practice_to_toml_dict(practice)
    assert saved["segment"][0]["regions"] == [
        "head",
        {"name": "chest", "prompt": CHEST},
        {"name": "belly", "weight": 2},
        {"name": "feet", "weight": 1.5, "prompt": "Feel the soles of the feet."},
    ]
    again = load(saved)
    assert again.segments == practice.segments


def test_show_and_show_json_give_each_regions_prompt() -> None:
    data = outline(load(scan_data(MIXED, [GENERAL])))
    regions = json.loads(json.dumps(data))["segments"][0]["regions"]
    assert [r["prompt"] for r in regions] == ["", CHEST, "", "Feel the soles of the feet."]
    text = outline_text(data)
    assert f"“{CHEST}”" in text


def test_the_schema_accepts_region_prompts_and_refuses_blank_or_unknown_keys() -> None:
    validator = jsonschema.Draft202012Validator(practice_schema())
    assert not list(validator.iter_errors(scan_data(MIXED, [GENERAL])))
    assert list(validator.iter_errors(scan_data([{"name": "chest", "prompt": ""}])))
    assert list(validator.iter_errors(scan_data([{"name": "chest", "promt": "x"}])))
