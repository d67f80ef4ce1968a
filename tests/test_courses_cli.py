"""Courses are files like practices: validate checks them, list shows them (also as JSON)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from companion.cli import main
from companion.commands import Context
from companion.paths import Paths

BUNDLED = (
    Path(__file__).resolve().parent.parent / "practices" / "courses" / "self-compassion-10.toml"
)

BROKEN = """
summary = "No title, a typo and a repeat."
[[day]]
practice = "box-breathng"
title = "One"
[[day]]
practice = "body-scan-10"
title = "Two"
[[day]]
practice = "body-scan-10"
title = "two"
[[day]]
title = "Four"
"""


def _cli(paths: Paths, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), ctx=Context(paths, out=out, err=io.StringIO()))
    return code, out.getvalue()


def test_validate_knows_the_bundled_course(paths: Paths) -> None:
    assert _cli(paths, "validate", str(BUNDLED)) == (0, f"{BUNDLED}: ok\n")


def test_validate_names_every_problem_in_a_course(paths: Paths) -> None:
    paths.courses_dir.mkdir(parents=True)
    file = paths.courses_dir / "mine.toml"
    file.write_text(BROKEN)
    code, out = _cli(paths, "validate", str(file))
    assert code == 1
    lines = out.splitlines()
    assert f"{file}: title: is required" in out
    assert any(
        "day[1].practice: no practice called 'box-breathng'; did you mean 'box-breathing'?" in x
        for x in lines
    ), out
    assert f"{file}: day[3]: repeats day 2 (same practice and title)" in out
    assert f"{file}: day[4].practice: is required" in out
    assert "segment" not in out  # never mistaken for a practice


def test_a_course_outside_a_courses_folder_is_known_by_its_days(
    paths: Paths, tmp_path: Path
) -> None:
    file = tmp_path / "week.toml"
    file.write_text('title = "A week"\n[[day]]\npractice = "body-scan-10"\ntitle = "Begin"\n')
    assert _cli(paths, "validate", str(file)) == (0, f"{file}: ok\n")


def test_list_json_courses_lists_a_broken_course_and_hides_none(paths: Paths) -> None:
    paths.courses_dir.mkdir(parents=True)
    (paths.courses_dir / "broken.toml").write_text(BROKEN)
    (paths.courses_dir / "junk.toml").write_bytes(b"\xff[[[")
    code, out = _cli(paths, "list", "--json", "--courses")
    assert code == 0
    rows = {row["id"]: row for row in json.loads(out)}
    assert set(rows) == {"broken", "junk", "self-compassion-10"}
    good = rows["self-compassion-10"]
    assert good["errors"] == [] and len(good["days"]) == 10 and good["source"] == "bundled"
    assert good["days"][0] == {
        "number": 1,
        "practice": "arriving-with-kindness",
        "title": "Starting where you are",
    }
    assert rows["broken"]["title"] is None and rows["broken"]["errors"]
    assert rows["junk"]["errors"]
    # The practices array keeps its shape: practices only, the same keys as before.
    practices = json.loads(_cli(paths, "list", "--json")[1])
    assert isinstance(practices, list) and "self-compassion-10" not in {p["id"] for p in practices}
    assert set(practices[0]) == {"id", "title", "total", "kinds", "source", "path", "errors"}


def test_list_courses_as_a_table(paths: Paths) -> None:
    code, out = _cli(paths, "list", "--courses")
    assert code == 0
    assert "self-compassion-10  Self-compassion in ten days  10 days  bundled" in out
