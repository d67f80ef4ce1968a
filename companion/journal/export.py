"""The whole journal as JSON, and back. Runs carry a uuid, so importing twice adds nothing twice.

Pure. Import checks every field first and names the place of the first problems found
(runs[3].notes[0].offset), so a hand-edited file is easy to fix; nothing is written unless
the whole file is good.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion.journal.db import now_iso

FORMAT = "companion-journal"
VERSION = 1

RUN_FIELDS = (
    "uuid", "practice_id", "title", "file_hash", "course", "day", "planned", "practised",
    "started_at", "ended_at", "status", "local_date", "checkin_before", "checkin_after",
)  # fmt: skip
NOTE_FIELDS = ("offset", "label", "key", "segment", "region")
STATUSES = ("completed", "ended early", "running")


class ImportProblem(ValueError):
    """The file cannot be imported; the message names the file, the place and what to do."""


@dataclass(frozen=True)
class ImportResult:
    """How many runs and notes an import added, and how many runs were already there."""

    added: int
    notes: int
    skipped: int


def export_journal(db: sqlite3.Connection) -> dict[str, Any]:
    """Every run with its notes, oldest first."""
    notes: dict[int, list[dict[str, Any]]] = {}
    for run_id, *values in db.execute(
        "SELECT run_id, offset, label, key, segment, region FROM notes ORDER BY run_id, offset, id"
    ):
        notes.setdefault(run_id, []).append(dict(zip(NOTE_FIELDS, values, strict=True)))
    runs = []
    for run_id, *values in db.execute(
        f"SELECT id, {', '.join(RUN_FIELDS)} FROM runs ORDER BY started_at, id"
    ):
        run = dict(zip(RUN_FIELDS, values, strict=True))
        run["notes"] = notes.get(run_id, [])
        runs.append(run)
    return {"format": FORMAT, "version": VERSION, "exported_at": now_iso(), "runs": runs}


def read_export(path: Path) -> dict[str, Any]:
    """Load and check an export file; raises ImportProblem naming the file and place."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportProblem(
            f"{path}: no such file; name a file made by `companion export`."
        ) from None
    except UnicodeDecodeError:
        raise ImportProblem(
            f"{path}: not a text file; name a JSON file made by `companion export`."
        ) from None
    except OSError as exc:
        raise ImportProblem(f"{path}: cannot be read ({exc.strerror}).") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportProblem(
            f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); "
            "export the journal again with `companion export`."
        ) from None
    problems = check_export(data)
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        lines = "\n".join(f"{path}: {p}" for p in problems[:5])
        raise ImportProblem(f"{lines}{more}\nFix these places, or export the journal again.")
    assert isinstance(data, dict)
    return data


def _type(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


def check_export(data: object) -> list[str]:
    """Every problem in an export, each with its place; an empty list means it can be imported."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return [
            'the top level is not a companion journal export (no "format": "companion-journal")'
        ]
    problems: list[str] = []
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION:
        problems.append(f"version: this companion reads export version {VERSION} (got {version!r})")
    runs = data.get("runs")
    if not isinstance(runs, list):
        return [*problems, f"runs: expected a list of runs (got {_type(runs)})"]
    for i, run in enumerate(runs):
        at = f"runs[{i}]"
        if not isinstance(run, dict):
            problems.append(f"{at}: expected an object (got {_type(run)})")
            continue
        for name in ("uuid", "practice_id", "title", "started_at"):
            if not isinstance(run.get(name), str) or not run.get(name):
                problems.append(f"{at}.{name}: expected text (got {_type(run.get(name))})")
        status = run.get("status")
        if status not in STATUSES:
            got = "nothing" if status is None else repr(status)
            problems.append(f"{at}.status: expected one of {', '.join(STATUSES)} (got {got})")
        for name in ("practised",):
            if not _number(run.get(name)):
                problems.append(
                    f"{at}.{name}: expected a number of seconds (got {_type(run.get(name))})"
                )
        if run.get("planned") is not None and not _number(run.get("planned")):
            problems.append(f"{at}.planned: expected a number of seconds or null")
        for name in ("file_hash", "course", "ended_at", "local_date"):
            if run.get(name) is not None and not isinstance(run.get(name), str):
                problems.append(f"{at}.{name}: expected text or null (got {_type(run.get(name))})")
        if run.get("day") is not None and not _whole(run.get("day")):
            problems.append(f"{at}.day: expected a whole number or null")
        for name in ("checkin_before", "checkin_after"):
            value = run.get(name)
            if value is not None and not (_whole(value) and 1 <= value <= 5):
                problems.append(f"{at}.{name}: expected 1 to 5 or null (got {value!r})")
        notes = run.get("notes", [])
        if not isinstance(notes, list):
            problems.append(f"{at}.notes: expected a list (got {_type(notes)})")
            continue
        for j, note in enumerate(notes):
            where = f"{at}.notes[{j}]"
            if not isinstance(note, dict):
                problems.append(f"{where}: expected an object (got {_type(note)})")
                continue
            if not _number(note.get("offset")):
                problems.append(f"{where}.offset: expected a number of seconds")
            if not isinstance(note.get("label"), str) or not note.get("label"):
                problems.append(f"{where}.label: expected text")
            if note.get("segment") is not None and not _whole(note.get("segment")):
                problems.append(f"{where}.segment: expected a whole number")
            for name in ("key", "region"):
                if note.get(name) is not None and not isinstance(note.get(name), str):
                    problems.append(f"{where}.{name}: expected text or null")
    return problems


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def import_journal(db: sqlite3.Connection, data: dict[str, Any]) -> ImportResult:
    """Add the runs whose uuid is new, in one transaction; call check_export first."""
    added = notes_added = skipped = 0
    db.execute("BEGIN IMMEDIATE")
    try:
        for run in data["runs"]:
            status = run["status"]
            if status == "running":
                status = "ended early"  # it cannot still be running on this machine
            cur = db.execute(
                "INSERT OR IGNORE INTO runs (uuid, practice_id, title, file_hash, course, day, "
                "planned, practised, started_at, ended_at, status, local_date, checkin_before, "
                "checkin_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "COALESCE(?, date(?, 'localtime')), ?, ?)",
                (
                    run["uuid"], run["practice_id"], run["title"], run.get("file_hash"),
                    run.get("course"), run.get("day"), run.get("planned"), run["practised"],
                    run["started_at"], run.get("ended_at"), status, run.get("local_date"),
                    run["started_at"], run.get("checkin_before"), run.get("checkin_after"),
                ),
            )  # fmt: skip
            if cur.rowcount == 0:
                skipped += 1
                continue
            added += 1
            run_id = cur.lastrowid
            rows = [
                (run_id, float(n["offset"]), n["label"], n.get("key") or "", n.get("segment") or 0,
                 n.get("region"))
                for n in run.get("notes", [])
            ]  # fmt: skip
            db.executemany(
                "INSERT INTO notes (run_id, offset, label, key, segment, region) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            notes_added += len(rows)
        db.execute("COMMIT")
    except BaseException:
        # SQLite may already have rolled back (a full disk does); keep the first error.
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return ImportResult(added, notes_added, skipped)
