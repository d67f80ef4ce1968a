"""The JSON Schema accepts every bundled file, rejects what the loader rejects, and ships."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from companion.practice.course import COURSE_KEYS, DAY_KEYS
from companion.practice.errors import PracticeError
from companion.practice.load import (
    ALL_SEGMENT_KEYS,
    BELL_KEYS,
    PATTERN_KEYS,
    TOP_KEYS,
    parse_practice,
)
from companion.practice.model import PHASES, SEGMENT_KINDS
from companion.practice.noting import RESERVED_KEYS
from companion.practice.regions import KNOWN_REGIONS
from companion.practice.schema import course_schema, practice_schema

ROOT = Path(__file__).resolve().parent.parent
PRACTICE_FILES = sorted((ROOT / "practices").glob("*.toml"))
COURSE_FILES = sorted((ROOT / "practices" / "courses").glob("*.toml"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = practice_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", PRACTICE_FILES, ids=lambda p: p.stem)
def test_every_bundled_practice_matches_the_schema(
    path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    errors = [e.message for e in validator.iter_errors(tomllib.loads(path.read_text()))]
    assert errors == []


@pytest.mark.parametrize("path", COURSE_FILES, ids=lambda p: p.stem)
def test_every_bundled_course_matches_the_course_schema(path: Path) -> None:
    schema = course_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(
        jsonschema.Draft202012Validator(schema).iter_errors(tomllib.loads(path.read_text()))
    )
    assert errors == []


def _good() -> dict[str, Any]:
    return {
        "title": "T",
        "bells": {"start": "bowl"},
        "segment": [
            {"kind": "breath", "duration": "1m", "pattern": {"in": 4, "out": 6}},
            {
                "kind": "body_scan",
                "duration": 60,
                "regions": ["head", {"name": "feet", "weight": 2}],
            },
            {"kind": "phrases", "duration": "1m30s", "phrases": ["May I be well"]},
        ],
    }


def _bad(change: str) -> dict[str, Any]:
    data = _good()
    seg = data["segment"]
    if change == "unknown top key":
        data["titel"] = "x"
    elif change == "unknown segment key":
        seg[0]["inhale"] = 4
    elif change == "key of another kind":
        seg[2]["pattern"] = {"in": 4, "out": 4}
    elif change == "bad kind":
        seg[0]["kind"] = "brething"
    elif change == "negative duration":
        seg[1]["duration"] = -5
    elif change == "word duration":
        seg[1]["duration"] = "five minutes"
    elif change == "sound path":
        data["bells"]["start"] = "../x"
    elif change == "bad region":
        seg[1]["regions"] = ["elbow"]
    elif change == "phase too long":
        seg[0]["pattern"]["out"] = 100
    elif change == "missing pattern":
        del seg[0]["pattern"]
    elif change == "reserved noting key":
        data["noting"] = {"keys": {"q": "quiet"}}
    elif change == "too many strikes":
        data["bells"]["start_strikes"] = 9
    elif change == "missing title":
        del data["title"]
    elif change == "no segments":
        data["segment"] = []
    return data


BAD = [
    "unknown top key", "unknown segment key", "key of another kind", "bad kind",
    "negative duration", "word duration", "sound path", "bad region", "phase too long",
    "missing pattern", "reserved noting key", "too many strikes", "missing title",
    "no segments",
]  # fmt: skip


def test_the_good_example_passes_both(validator: jsonschema.Draft202012Validator) -> None:
    assert list(validator.iter_errors(_good())) == []
    parse_practice(_good(), path="p.toml", practice_id="p", sounds={"bowl"})


@pytest.mark.parametrize("change", BAD)
def test_schema_and_loader_both_reject(
    change: str, validator: jsonschema.Draft202012Validator
) -> None:
    data = _bad(change)
    assert list(validator.iter_errors(data)), f"the schema accepted: {change}"
    with pytest.raises(PracticeError):
        parse_practice(data, path="p.toml", practice_id="p", sounds={"bowl"})


def test_the_schema_names_exactly_the_loaders_keys() -> None:
    schema = practice_schema()
    defs = schema["$defs"]
    assert set(schema["properties"]) == set(TOP_KEYS)
    assert set(schema["properties"]["bells"]["properties"]) == set(BELL_KEYS)
    assert set(defs["segment"]["properties"]) == set(ALL_SEGMENT_KEYS)
    assert set(defs["pattern"]["properties"]) == set(PATTERN_KEYS)
    assert set(defs["segment"]["properties"]["labels"]["properties"]) == set(PHASES)
    assert defs["segment"]["properties"]["kind"]["enum"] == list(SEGMENT_KINDS)
    assert defs["region"]["enum"] == list(KNOWN_REGIONS)
    reserved = schema["properties"]["noting"]["properties"]["keys"]["propertyNames"]["not"]["enum"]
    assert set(reserved) == RESERVED_KEYS - {" "}  # a space is already refused by the pattern
    course = course_schema()
    assert set(course["properties"]) == set(COURSE_KEYS)
    assert set(course["properties"]["day"]["items"]["properties"]) == set(DAY_KEYS)


def test_the_schema_ships_inside_the_package() -> None:
    from importlib import resources

    files = resources.files("companion.practice")
    assert files.joinpath("practice.schema.json").is_file()
    assert files.joinpath("course.schema.json").is_file()
