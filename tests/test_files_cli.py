"""`companion paths`, `new`, `edit`, `schema`, and `list` with courses and user overrides."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from companion.cli import main
from companion.commands import Context
from companion.commands.files import editor_command
from companion.paths import Paths
from companion.practice.load import load_practice
from tests.support import write_wav

SOUNDS = ("bowl", "bell", "tick", "tingsha", "gong")

# A stand-in editor: a small script that rewrites the file it is given.
EDITOR_SCRIPT = """\
import pathlib, sys
path = pathlib.Path(sys.argv[-1])
text = path.read_text()
for pair in sys.argv[1:-1]:
    old, new = pair.split("=>")
    text = text.replace(old, new)
path.write_text(text)
"""


@pytest.fixture
def home(paths: Paths) -> Paths:
    """A home with stand-in sounds in the user's sounds folder, so bells validate."""
    paths.sounds_dir.mkdir(parents=True)
    for name in SOUNDS:
        write_wav(paths.sounds_dir / f"{name}.wav")
    return paths


def run(paths: Paths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), ctx=Context(paths, out=out, err=err))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = tmp_path / "fake_editor.py"
    script.write_text(EDITOR_SCRIPT)
    monkeypatch.delenv("EDITOR", raising=False)
    return script


def use_editor(monkeypatch: pytest.MonkeyPatch, script: Path, *replacements: str) -> None:
    pairs = " ".join(f"'{r}'" for r in replacements)
    monkeypatch.setenv("VISUAL", f"'{sys.executable}' '{script}' {pairs}")


def test_paths_lists_every_folder_and_file(home: Paths) -> None:
    code, out, _ = run(home, "paths")
    assert code == 0
    for path in (
        home.config_dir, home.practices_dir, home.courses_dir, home.sounds_dir,
        home.config_file, home.data_dir, home.journal_file, home.bundled_practices,
        home.bundled_courses, home.bundled_sounds,
    ):  # fmt: skip
        assert str(path) in out
    assert "(not created yet)" in out  # the settings file does not exist yet
    code, out, _ = run(home, "paths", "--json")
    data = json.loads(out)
    assert data["practices_dir"] == str(home.practices_dir)
    assert data["journal_file"] == str(home.journal_file)


def test_new_writes_a_commented_starter_that_validates(home: Paths) -> None:
    code, out, err = run(home, "new", "evening")
    assert (code, err) == (0, "")
    target = home.practices_dir / "evening.toml"
    assert out.strip() == str(target)
    text = target.read_text()
    assert text.startswith("#:schema ./practice.schema.json\n# evening: a new practice")
    assert "# [[segment]]" in text  # commented examples of other kinds
    practice = load_practice(target, sounds=SOUNDS)
    assert practice.title == "Evening" and practice.tags[0] == "breath"
    assert (home.practices_dir / "practice.schema.json").is_file()
    assert run(home, "validate", str(target))[0] == 0


def test_new_from_copies_a_practice(home: Paths) -> None:
    code, out, _ = run(home, "new", "calm", "--from", "box-breathing")
    assert code == 0
    target = Path(out.strip())
    assert target == home.practices_dir / "calm.toml"
    copy = load_practice(target, sounds=SOUNDS)
    original = load_practice(home.bundled_practices / "box-breathing.toml", sounds=SOUNDS)
    assert copy.segments == original.segments and copy.title == original.title
    assert "copied from 'Box breathing' (box-breathing)" in target.read_text()
    code, out, _ = run(home, "list")
    assert any(
        line.startswith("calm ") and line.rstrip().endswith("user") for line in out.splitlines()
    )


def test_new_refuses_to_overwrite_unless_forced(home: Paths) -> None:
    assert run(home, "new", "calm")[0] == 0
    target = home.practices_dir / "calm.toml"
    target.write_text(target.read_text().replace('title = "Calm"', 'title = "Mine"'))
    before = target.read_text()
    code, out, err = run(home, "new", "calm", "--from", "box-breathing")
    assert code == 1 and out == ""
    assert "already exists" in err and "--force" in err and str(target) in err
    assert target.read_text() == before
    code, _, _ = run(home, "new", "calm", "--from", "box-breathing", "--force")
    assert code == 0
    assert (home.practices_dir / "calm.toml.bak").read_text() == before
    assert load_practice(target, sounds=SOUNDS).title == "Box breathing"


@pytest.mark.parametrize("name", ["../evil", "a/b", ".hidden", "", "x" * 65, "sp ace"])
def test_new_refuses_unsafe_names(home: Paths, name: str) -> None:
    code, out, err = run(home, "new", name)
    assert code == 2 and out == ""
    assert "letters, digits, - and _" in err
    assert not home.practices_dir.exists() or not any(home.practices_dir.glob("*.toml"))


def test_new_from_an_unknown_id_suggests_close_ones(home: Paths) -> None:
    code, _, err = run(home, "new", "calm", "--from", "box-breath")
    assert code == 1
    assert "No practice called 'box-breath'" in err and "box-breathing" in err
    assert not (home.practices_dir / "calm.toml").exists()


def test_edit_copies_a_bundled_practice_then_validates(
    home: Paths, editor: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_editor(
        monkeypatch,
        editor,
        "pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }=>pattern = { in = 3, hold = 3, out = 3, hold_out = 3 }",
    )
    code, out, err = run(home, "edit", "box-breathing")
    assert (code, err) == (0, "")
    target = home.practices_dir / "box-breathing.toml"
    assert "Copied the bundled practice" in out and f"{target}: ok" in out
    assert "replaces the bundled one" in target.read_text()
    edited = load_practice(target, sounds=SOUNDS)
    pattern = edited.segments[1].pattern
    assert pattern is not None and pattern.short() == "3-3-3-3"
    code, out, _ = run(home, "list")
    line = next(x for x in out.splitlines() if x.startswith("box-breathing "))
    assert line.rstrip().endswith("user (overrides bundled)")
    code, out, _ = run(home, "show", "box-breathing")
    assert code == 0 and "3-3-3-3" in out


def test_edit_that_breaks_the_file_reports_the_lines(
    home: Paths, editor: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(home, "new", "calm", "--from", "box-breathing")[0] == 0
    use_editor(
        monkeypatch, editor, "{ in = 4, hold=>{ inhale = 4, hold", 'kind = "settle"=>kind = "setle"'
    )
    code, out, err = run(home, "edit", "calm")
    target = home.practices_dir / "calm.toml"
    assert code == 1 and out == ""
    assert f"{target}: segment[2].pattern.inhale: unknown key; did you mean 'in'?" in err
    assert f"{target}: segment[1].kind: unknown kind 'setle'; did you mean 'settle'?" in err
    assert "companion edit calm" in err  # how to come back to it
    assert "inhale" in target.read_text()  # the user's text is kept, never thrown away
    code, out, _ = run(home, "list")
    assert "(broken: see below)" in out and code == 0


def test_edit_syntax_error_names_line_and_column(
    home: Paths, editor: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(home, "new", "calm")[0] == 0
    use_editor(monkeypatch, editor, 'title = "Calm"=>title = "Calm')
    code, _, err = run(home, "edit", "calm")
    target = home.practices_dir / "calm.toml"
    assert code == 1
    assert err.startswith(f"{target}:6:")


def test_edit_of_an_unknown_name_says_what_to_do(
    home: Paths, editor: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_editor(monkeypatch, editor)
    code, _, err = run(home, "edit", "box-breathin")
    assert code == 1
    assert "Did you mean: box-breathing" in err and "companion new box-breathin" in err


def test_edit_with_a_missing_editor_fails_gently(
    home: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(home, "new", "calm")[0] == 0
    monkeypatch.setenv("VISUAL", "/no/such/editor --wait")
    code, _, err = run(home, "edit", "calm")
    assert code == 1 and "Could not start the editor '/no/such/editor'" in err
    monkeypatch.delenv("VISUAL")
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PATH", "")
    code, _, err = run(home, "edit", "calm")
    assert code == 1 and "No editor found" in err


def test_editor_command_prefers_visual_and_splits_like_a_shell() -> None:
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "vi"}) == ["code", "--wait"]
    assert editor_command({"EDITOR": "'/opt/my editor/ed' -n"}) == ["/opt/my editor/ed", "-n"]
    assert editor_command({"VISUAL": "  ", "EDITOR": "nano"}) == ["nano"]


def test_list_shows_courses(home: Paths) -> None:
    code, out, _ = run(home, "list")
    assert code == 0
    lines = out.splitlines()
    assert "Courses" in lines
    course = lines[lines.index("Courses") + 1]
    assert course.split()[0] == "self-compassion-10"
    assert "Self-compassion in ten days" in course and "10 days" in course and "bundled" in course
    for pid in ("box-breathing", "body-scan-10", "noting-10", "loving-kindness", "arrival-1"):
        assert any(line.startswith(pid + " ") for line in lines)


def test_a_broken_user_course_is_listed_with_its_error(home: Paths) -> None:
    home.courses_dir.mkdir(parents=True)
    (home.courses_dir / "mine.toml").write_text(
        'title = "Mine"\n[[day]]\npractice = "noting-1"\ntitle = "One"\n'
    )
    code, out, _ = run(home, "list")
    assert code == 0
    assert "mine" in out and "(broken: see below)" in out
    assert "day[1].practice: no practice called 'noting-1'" in out


def test_schema_prints_valid_json(home: Paths) -> None:
    code, out, _ = run(home, "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    code, out, _ = run(home, "schema", "--course")
    assert "day" in json.loads(out)["properties"]
    code, out, _ = run(home, "schema", "--write")
    assert code == 0
    written = [Path(line) for line in out.splitlines()]
    assert home.practices_dir / "practice.schema.json" in written
    assert json.loads(written[0].read_text()) == schema
