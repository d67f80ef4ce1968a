"""`companion import` on hostile files, and history/stats on rows edited into nonsense:
one line per problem naming the place, exit 1, no traceback, the journal byte-identical."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from companion.cli import main
from companion.commands import Context
from companion.journal.db import connect
from companion.journal.export import MAX_DEPTH, MAX_IMPORT_BYTES, too_deep
from companion.paths import Paths
from tests.support import add_run

RUN = {
    "uuid": "11111111-2222-3333-4444-555555555555",
    "practice_id": "box-breathing",
    "title": "Box",
    "planned": 600.0,
    "practised": 600.0,
    "started_at": "2026-03-01T07:00:00Z",
    "ended_at": "2026-03-01T07:10:00Z",
    "status": "completed",
    "local_date": "2026-03-01",
    "notes": [{"offset": 3.0, "label": "thinking", "key": "t", "segment": 0, "region": None}],
}


def export(*runs: dict[str, object], **top: object) -> str:
    return json.dumps({"format": "companion-journal", "version": 1, "runs": list(runs), **top})


def changed(**fields: object) -> dict[str, object]:
    return {**RUN, **fields}


def run(paths: Paths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), Context(paths, out, err))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def journal(paths: Paths) -> bytes:
    """A journal with one run already in it; returns its bytes."""
    db = connect(paths.journal_file)
    add_run(db, date(2026, 2, 1), notes=[("hearing", None)])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return paths.journal_file.read_bytes()


# name: (file bytes, the words of the one line that names the place)
CASES: dict[str, tuple[bytes | str, str]] = {
    "truncated": (export(RUN)[:-40].encode(), "line 1, column"),
    "not-utf8": (export(RUN).replace("Box", "B\xf6x").encode("latin-1"), "not UTF-8 text"),
    "wrong-types": (
        export(changed(practised="ten minutes")),
        "runs[0].practised: expected a number",
    ),
    "future-version": (export(RUN, version=7), "version: this companion reads export version 1"),
    "version-zero": (export(RUN, version=0), "version: this companion reads export version 1"),
    "duplicate-ids": (
        export(RUN, changed(title="Another")),
        "runs[1].uuid: '11111111-2222-3333-4444-555555555555' is also runs[0], with different",
    ),
    "note-pointing-nowhere": (
        export(RUN, notes=[{"run": "nobody", "offset": 1, "label": "x"}]),
        "notes[0]: points at run 'nobody', which is not in this file",
    ),
    "bad-start": (export(changed(started_at="last tuesday")), "runs[0].started_at: 'last tuesday'"),
    "naive-start": (export(changed(started_at="2026-03-01 07:00")), "runs[0].started_at"),
    "bad-end": (export(changed(ended_at="2026-02-30T07:00:00Z")), "runs[0].ended_at"),
    "end-before-start": (
        export(changed(ended_at="2026-02-01T07:00:00Z")),
        "runs[0].ended_at: '2026-02-01T07:00:00Z' is before started_at",
    ),
    "bad-local-date": (export(changed(local_date="2026-13-01")), "runs[0].local_date"),
    "ten-year-practice": (
        export(changed(practised=10 * 365 * 86400.0)),
        "runs[0].practised: 315360000.0 seconds cannot be a practice",
    ),
    "infinite": (
        export(RUN).replace('"practised": 600.0', '"practised": Infinity'),
        "Infinity is not a number an export can hold",
    ),
    "note-offset-absurd": (
        export(changed(notes=[{"offset": 1e12, "label": "x"}])),
        "runs[0].notes[0].offset",
    ),
    "deep": (b"[" * 200_000 + b"]" * 200_000, "nested deeper than an export can be"),
    "deep-in-a-run": (
        export(changed(notes=[{"offset": 1, "label": [[[[[["x"]]]]]]}])),
        "nested deeper than an export can be",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_file_is_one_line_per_problem_and_changes_nothing(
    paths: Paths, tmp_path: Path, journal: bytes, case: str
) -> None:
    content, words = CASES[case]
    file = tmp_path / f"{case}.json"
    file.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, out, err = run(paths, "import", str(file))
    assert code == 1 and out == ""
    assert "Traceback" not in err
    problem_lines = [line for line in err.splitlines() if not line.startswith("Nothing was")]
    assert all(line.startswith(f"{file}: ") for line in problem_lines), err
    assert any(words in line for line in problem_lines), err
    assert paths.journal_file.read_bytes() == journal


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    paths: Paths, tmp_path: Path, journal: bytes
) -> None:
    file = tmp_path / "huge.json"
    with file.open("wb") as handle:
        handle.truncate(MAX_IMPORT_BYTES + 1)  # sparse: costs no disk, would cost memory
    code, _, err = run(paths, "import", str(file))
    assert code == 1
    assert err.startswith(f"{file}: is 64 MiB; an export may be at most 64 MiB")
    assert paths.journal_file.read_bytes() == journal


def test_a_bad_import_into_no_journal_creates_none(paths: Paths, tmp_path: Path) -> None:
    file = tmp_path / "bad.json"
    file.write_text(export(changed(status="asleep")))
    assert run(paths, "import", str(file))[0] == 1
    assert not paths.journal_file.exists()


def test_the_depth_scan_ignores_brackets_inside_text() -> None:
    text = json.dumps({"runs": [{"title": '[[[[[[[[[[{{{{{{{{{{ \\" [[[[[[[[[[['}]})
    assert too_deep(text) is None
    nested = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert too_deep(nested) == MAX_DEPTH
    assert too_deep("[" * MAX_DEPTH + "]" * MAX_DEPTH) is None


def test_a_good_file_with_the_same_run_twice_imports_it_once(paths: Paths, tmp_path: Path) -> None:
    file = tmp_path / "twice.json"
    file.write_text(export(RUN, RUN))
    code, out, _ = run(paths, "import", str(file))
    assert code == 0 and "Added 1 practice with 1 note" in out


NONSENSE = [
    ("practised", "'lots'"),
    ("practised", "1e300"),
    ("planned", "'x'"),
    ("started_at", "'yesterday'"),
    ("local_date", "'2026-13-45'"),
    ("status", "'dancing'"),
    ("day", "'three'"),
    ("checkin_after", "42"),
    ("title", "X'ff'"),
]


def test_history_and_stats_skip_and_name_rows_edited_into_nonsense(paths: Paths) -> None:
    db = connect(paths.journal_file)
    add_run(db, date(2026, 2, 1), notes=[("thinking", None)])
    bad_ids = []
    for column, value in NONSENSE:
        row = add_run(db, date(2026, 2, 2), course="c", course_day=2, notes=[("feeling", "head")])
        db.execute(f"UPDATE runs SET {column} = {value} WHERE id = ?", (row,))
        bad_ids.append((row, column))
    note_run = add_run(db, date(2026, 2, 3), notes=[("hearing", None)])
    db.execute("UPDATE notes SET label = X'00' WHERE run_id = ?", (note_run,))
    db.close()
    before = sqlite3.connect(paths.journal_file).iterdump()
    dump = list(before)
    for argv in (["history"], ["history", "--json"], ["history", "--csv"], ["stats"],
                 ["stats", "--json", "--streak"]):  # fmt: skip
        code, out, err = run(paths, *argv)
        assert code == 0, (argv, err)
        assert "Traceback" not in err
        for row, column in bad_ids[:9]:
            assert f"journal runs row {row}: {column} is not" in err, (argv, err)
        assert "were skipped; the file is unchanged" in err
    code, out, _ = run(paths, "history", "--json")
    shown = json.loads(out)
    assert len(shown) == 2  # the two sane runs; the note with a bytes label is left out
    assert shown[0]["labels"] == {} and shown[1]["labels"] == {"thinking": 1}
    assert list(sqlite3.connect(paths.journal_file).iterdump()) == dump


def test_the_depth_scan_counts_mixed_brackets_one_level_at_a_time() -> None:
    mixed = "{[" * 5 + "]}" * 5  # ten levels, alternating
    assert too_deep(mixed) == MAX_DEPTH
    assert too_deep("{[" * 4 + "]}" * 4) is None  # eight levels: an export's limit


def test_a_pipe_is_refused_at_once_without_reading(paths: Paths, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # opening it to read would wait for ever for a writer
    code, _, err = run(paths, "import", str(fifo))
    assert code == 1 and err.startswith(f"{fifo}: not a regular file")
    assert not paths.journal_file.exists()
