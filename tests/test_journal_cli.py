"""`companion history`, `stats`, `export` and `import`: the words, the formats and a round trip."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from companion.cli import main
from companion.commands import Context
from companion.journal import open_journal
from companion.paths import Paths
from tests.support import SCAN_TOML, practice_from, small


def run(paths: Paths, *argv: str) -> tuple[int, str, str]:
    """Run the command line against a home; returns (code, out, err)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), Context(paths, out, err))
    return code, out.getvalue(), err.getvalue()


def record_three(paths: Paths) -> None:
    """Three practices as a new user makes them: completed, ended early, and one still open."""
    journal = open_journal(paths)
    p = practice_from(SCAN_TOML, sounds=None)
    done = journal.recorder()
    done.begin(p, 50.0)
    done.note(3.0, "thinking", "t", 0, None)
    done.note(20.0, "feeling", "f", 1, "shoulders")
    done.end(50.0, completed=True)
    early = journal.recorder()
    early.begin(p, 50.0)
    early.note(2.0, "hearing", "h", 0, None)
    early.end(12.0, completed=False)
    killed = journal.recorder()
    killed.begin(p, 50.0)
    killed.note(4.0, "planning", "p", 0, None)
    killed.progress(9.0)


def test_history_lists_runs_with_their_notes(paths: Paths) -> None:
    record_three(paths)
    code, out, _ = run(paths, "history")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    assert "Short scan" in lines[0] and "00:09 of 00:50  in progress  notes: planning 1" in lines[0]
    assert "00:12 of 00:50  ended early  notes: hearing 1" in lines[1]
    assert "00:50 of 00:50  completed  notes: feeling 1, thinking 1" in lines[2]
    code, out, _ = run(paths, "history", "--limit", "1")
    assert len(out.splitlines()) == 1


def test_history_json_and_csv(paths: Paths) -> None:
    record_three(paths)
    _, out, _ = run(paths, "history", "--json")
    data = json.loads(out)
    assert [r["status"] for r in data] == ["running", "ended early", "completed"]
    assert data[2]["labels"] == {"feeling": 1, "thinking": 1} and data[2]["notes"] == 2
    _, out, _ = run(paths, "history", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["status"] for r in rows] == ["running", "ended early", "completed"]
    assert rows[2]["practised"] == "50" and rows[2]["notes"] == "2"


def test_an_empty_journal_is_said_kindly(paths: Paths) -> None:
    assert run(paths, "history")[1].startswith("Nothing recorded yet")
    assert run(paths, "stats")[1].startswith("Nothing recorded yet")
    assert json.loads(run(paths, "history", "--json")[1]) == []


def test_stats_text_and_json(paths: Paths) -> None:
    small(paths)
    code, out, _ = run(paths, "stats")
    assert code == 0
    assert "7 practices, 100 minutes in all, on 6 days." in out
    assert "in a row" not in out
    assert "What the mind brings most:" in out and "thinking 3" in out
    assert "foundations: 2 days done, next is day 3" in out
    data = json.loads(run(paths, "stats", "--json")[1])
    assert data["runs"] == 7 and data["total_minutes"] == 100.0 and "streak" not in data
    assert "streak" in json.loads(run(paths, "stats", "--json", "--streak")[1])


def test_export_then_import_into_an_empty_home_gives_the_same_history(
    paths: Paths, tmp_path: Path
) -> None:
    record_three(paths)
    small(paths)
    file = tmp_path / "journal.json"
    code, out, _ = run(paths, "export", str(file))
    assert code == 0 and out == f"Wrote 10 practices to {file}.\n"
    fresh = Paths.under(tmp_path / "fresh")
    code, out, _ = run(fresh, "import", str(file))
    assert (code, out) == (0, "Added 10 practices with 10 notes.\n")
    before = json.loads(run(paths, "history", "--json")[1])
    after = json.loads(run(fresh, "history", "--json")[1])
    # The run still open at export arrives closed: it cannot be running on the new machine.
    (open_run,) = [i for i, r in enumerate(before) if r["status"] == "running"]
    assert after[open_run]["status"] == "ended early"
    after[open_run]["status"] = "running"
    assert after == before
    assert run(paths, "stats", "--json")[1] == run(fresh, "stats", "--json")[1]
    # Twice adds nothing twice.
    code, out, _ = run(fresh, "import", str(file))
    assert out == "Nothing new: all 10 practices were already in the journal.\n"
    assert len(json.loads(run(fresh, "history", "--json")[1])) == 10


def test_export_to_the_screen(paths: Paths) -> None:
    record_three(paths)
    code, out, _ = run(paths, "export", "-")
    assert code == 0 and json.loads(out)["format"] == "companion-journal"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "line 1, column 2: not valid JSON"),
        ('{"format": "something else"}', "not a companion journal export"),
        (
            '{"format": "companion-journal", "version": 1, "runs": [{"uuid": "u", '
            '"practice_id": "p", "title": "T", "started_at": "2026-01-01T00:00:00Z", '
            '"status": "done", "practised": "ten", "notes": [{"offset": 1}]}]}',
            "runs[0].status: expected one of completed, ended early, running (got 'done')",
        ),
    ],
    ids=["not-json", "not-ours", "bad-fields"],
)
def test_a_bad_import_file_names_the_file_and_the_place(
    paths: Paths, tmp_path: Path, content: str, expected: str
) -> None:
    file = tmp_path / "bad.json"
    file.write_text(content)
    code, out, err = run(paths, "import", str(file))
    assert code == 1 and out == ""
    assert err.startswith(f"{file}: ") and expected in err
    assert "Traceback" not in err
    if "bad-fields" in expected or "status" in expected:
        assert "runs[0].practised: expected a number of seconds (got str)" in err
        assert "runs[0].notes[0].label: expected text" in err
    assert open_journal(paths).runs() == []  # nothing half-imported


def test_import_of_a_missing_file(paths: Paths, tmp_path: Path) -> None:
    code, _, err = run(paths, "import", str(tmp_path / "nope.json"))
    assert code == 1 and "nope.json: no such file" in err


def test_a_journal_that_cannot_open_is_one_clear_line(paths: Paths) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.journal_file.mkdir()
    code, _, err = run(paths, "history")
    assert code == 1 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("The journal cannot be read:")
    assert str(paths.journal_file) in err


def test_the_journal_modules_are_pure() -> None:
    import subprocess
    import sys

    code = (
        "import sys, companion.journal, companion.journal.stats, companion.journal.export, "
        "companion.journal.checkin, companion.commands.journal; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'pygame', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
