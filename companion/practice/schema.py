"""The JSON Schemas of practice and course files, shipped inside the package.

Editors with TOML schema support (Taplo, Even Better TOML) use them to complete and check
files as they are typed; `companion schema` prints them.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

PRACTICE_SCHEMA = "practice.schema.json"
COURSE_SCHEMA = "course.schema.json"


def schema_text(name: str = PRACTICE_SCHEMA) -> str:
    """The schema file's text, as shipped (read from the installed package)."""
    return resources.files("companion.practice").joinpath(name).read_text(encoding="utf-8")


def practice_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a practice file."""
    data: dict[str, Any] = json.loads(schema_text(PRACTICE_SCHEMA))
    return data


def course_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a course file."""
    data: dict[str, Any] = json.loads(schema_text(COURSE_SCHEMA))
    return data
