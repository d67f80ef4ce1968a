"""The whole journal as JSON, and back. Runs carry a uuid, so importing twice adds nothing twice.

Pure. Import checks every field first and names the place of the first problems found
(runs[3].notes[0].offset), so a hand-edited file is easy to fix; nothing is written unless
the whole file is good.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import stat
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from companion.journal.db import now_iso

FORMAT = "companion-journal"
VERSION = 1

RUN_FIELDS = (
    "uuid", "practice_id", "title", "file_hash", "course", "day", "planned", "practised",
    "started_at", "ended_at", "status", "local_date", "checkin_before", "checkin_after",
    "utc_offset",
)  # fmt: skip
NOTE_FIELDS = ("offset", "label", "key", "segment", "region")
STATUSES = ("completed", "ended early", "running")
TOP_KEYS = ("format", "version", "exported_at", "runs")

MAX_IMPORT_BYTES = 64 * 2**20  # refused before reading; see TEN_YEARS_MIB
TEN_YEARS_MIB = 13  # a ten-year daily export with 100,000 notes, measured (docs/journal.md)
MAX_DEPTH = 8  # an export nests 5 deep (top, runs, run, notes, note); a little room for typos
MAX_SHOWN = 20  # problems listed before "(and N more)"
MAX_SECONDS = 7 * 24 * 3600  # no practice lasts a week: a longer one is a damaged value


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
    """Load and check an export file; raises ImportProblem naming the file and place.

    Safe against hostile files: the size is checked before anything is read, the nesting depth
    before the json module (which recurses) sees the text, and every problem is one line.
    """
    data = parse_export(_read_bytes(path), path)
    problems = check_export(data)
    if problems:
        more = (
            f"\n{path}: (and {len(problems) - MAX_SHOWN} more)" if len(problems) > MAX_SHOWN else ""
        )
        lines = "\n".join(f"{path}: {p}" for p in problems[:MAX_SHOWN])
        raise ImportProblem(
            f"{lines}{more}\nNothing was imported. Fix these places, or export the journal again."
        )
    assert isinstance(data, dict)
    return data


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refused (before reading) when it is not a file or too large."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ImportProblem(
                f"{path}: not a regular file; name a JSON file made by `companion export`."
            )
        if info.st_size > MAX_IMPORT_BYTES:
            raise _too_big(path, info.st_size)
        with path.open("rb") as handle:
            raw = handle.read(MAX_IMPORT_BYTES + 1)  # the file may grow after stat
    except FileNotFoundError:
        raise ImportProblem(
            f"{path}: no such file; name a file made by `companion export`."
        ) from None
    except OSError as exc:
        raise ImportProblem(f"{path}: cannot be read ({exc.strerror}).") from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise _too_big(path, len(raw))
    return raw


def _too_big(path: Path, size: int) -> ImportProblem:
    return ImportProblem(
        f"{path}: is {size / 2**20:.0f} MiB; an export may be at most "
        f"{MAX_IMPORT_BYTES // 2**20} MiB (ten years of daily practice with notes is about "
        f"{TEN_YEARS_MIB} MiB). Nothing was imported; is this the right file?"
    )


def parse_export(raw: bytes, path: Path) -> object:
    """Decode and parse the JSON, naming the line and column of the first problem."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw[: exc.start].decode("utf-8", "replace"))
        raise ImportProblem(
            f"{path}: line {line}, column {col}: not UTF-8 text (byte {exc.start}); name a "
            "JSON file made by `companion export`."
        ) from None
    deep = too_deep(text)
    if deep is not None:
        line, col = _line_col(text[:deep])
        raise ImportProblem(
            f"{path}: line {line}, column {col}: nested deeper than an export can be "
            f"(at most {MAX_DEPTH} levels); this is not a companion export."
        )
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ImportProblem(
            f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); "
            "export the journal again with `companion export`."
        ) from None
    except ValueError as exc:
        raise ImportProblem(f"{path}: {exc}; export the journal again.") from None


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number an export can hold")


def _line_col(before: str) -> tuple[int, int]:
    """1-based line and column just after `before`."""
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


# A JSON string (escapes included), or one bracket; everything else is skipped by the regex
# engine in C, so a legitimate ten-megabyte export is scanned in a few milliseconds.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')


_KEEP = bytes(range(256)).translate(None, b'"[]{}')  # delete all but quotes and brackets
_QUOTED = re.compile(rb'"[^"]*"')
_PAIR = re.compile(rb"\[\]|\{\}")


def too_deep(text: str) -> int | None:
    """The offset where nesting first passes MAX_DEPTH, or None; never recurses."""
    # Fast path, all in C (about 40 ms for a ten-year export): drop escapes, keep only quotes
    # and brackets, drop the (now mostly empty) strings, then peel innermost bracket pairs.
    # A well-formed text no deeper than MAX_DEPTH is then empty. Dropping an adjacent pair of
    # quotes keeps every later quote's parity, so brackets outside strings stay outside.
    raw = text.encode("utf-8").replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = _QUOTED.sub(b"", raw.translate(None, _KEEP).replace(b'""', b""))
    for _ in range(MAX_DEPTH):
        # One regex pass peels exactly one level (two str.replace calls could peel "{[]}").
        skeleton = _PAIR.sub(b"", skeleton)
    if not skeleton:
        return None
    # Too deep, or malformed (json then names the place): find where, token by token.
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


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
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        problems.append(
            f"version: this companion reads export version {VERSION} (got {version!r}); "
            "a newer companion may have written it"
        )
    runs = data.get("runs")
    if not isinstance(runs, list):
        return [*problems, f"runs: expected a list of runs (got {_type(runs)})"]
    problems += _stray_notes(data, runs)
    problems += _duplicates(runs)
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
        if not _number(run.get("practised")):
            problems.append(
                f"{at}.practised: expected a number of seconds (got {_type(run.get('practised'))})"
            )
        elif not 0 <= run["practised"] <= MAX_SECONDS:
            problems.append(f"{at}.practised: {run['practised']!r} seconds cannot be a practice")
        planned = run.get("planned")
        if planned is not None and not _number(planned):
            problems.append(f"{at}.planned: expected a number of seconds or null")
        elif planned is not None and not 0 < planned <= MAX_SECONDS:
            problems.append(f"{at}.planned: {planned!r} seconds cannot be a practice")
        problems += _dates(run, at)
        for name in ("file_hash", "course", "ended_at", "local_date"):
            if run.get(name) is not None and not isinstance(run.get(name), str):
                problems.append(f"{at}.{name}: expected text or null (got {_type(run.get(name))})")
        offset = run.get("utc_offset")
        if offset is not None and not (_whole(offset) and -18 * 60 <= offset <= 18 * 60):
            problems.append(
                f"{at}.utc_offset: expected minutes east of UTC or null (got {offset!r})"
            )
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
            elif not 0 <= note["offset"] <= MAX_SECONDS:
                problems.append(
                    f"{where}.offset: {note['offset']!r} seconds cannot be in a practice"
                )
            if not isinstance(note.get("label"), str) or not note.get("label"):
                problems.append(f"{where}.label: expected text")
            if note.get("segment") is not None and not _whole(note.get("segment")):
                problems.append(f"{where}.segment: expected a whole number")
            for name in ("key", "region"):
                if note.get(name) is not None and not isinstance(note.get(name), str):
                    problems.append(f"{where}.{name}: expected text or null")
    return problems


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _when(value: object) -> datetime | None:
    """An ISO 8601 time with its offset (Z or +hh:mm), else None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _dates(run: dict[str, Any], at: str) -> list[str]:
    """started_at, ended_at and local_date must parse, and the end cannot come before the start."""
    problems: list[str] = []
    started = _when(run.get("started_at"))
    if isinstance(run.get("started_at"), str) and run.get("started_at") and started is None:
        problems.append(
            f"{at}.started_at: {run['started_at']!r} is not a time like 2026-01-31T07:30:00Z"
        )
    ended_text = run.get("ended_at")
    if isinstance(ended_text, str):
        ended = _when(ended_text)
        if ended is None:
            problems.append(
                f"{at}.ended_at: {ended_text!r} is not a time like 2026-01-31T07:45:00Z"
            )
        elif started is not None and ended < started:
            problems.append(f"{at}.ended_at: {ended_text!r} is before started_at")
        elif started is not None and (ended - started).total_seconds() > MAX_SECONDS:
            problems.append(f"{at}.ended_at: {ended_text!r} is more than a week after started_at")
    local = run.get("local_date")
    if isinstance(local, str):
        try:
            date.fromisoformat(local)
        except ValueError:
            problems.append(f"{at}.local_date: {local!r} is not a date like 2026-01-31")
    return problems


def _duplicates(runs: list[Any]) -> list[str]:
    """The same uuid twice with different contents (twice the same run is harmless)."""
    seen: dict[str, tuple[int, Any]] = {}
    problems: list[str] = []
    for i, run in enumerate(runs):
        if not isinstance(run, dict) or not isinstance(run.get("uuid"), str):
            continue
        first = seen.setdefault(run["uuid"], (i, run))
        if first[0] != i and first[1] != run:
            problems.append(
                f"runs[{i}].uuid: {run['uuid']!r} is also runs[{first[0]}], with different "
                "contents; a run id names one practice"
            )
    return problems


def _stray_notes(data: dict[str, Any], runs: list[Any]) -> list[str]:
    """Keys an export does not have; notes outside a run say which run they point at."""
    problems = [
        f"{key}: not part of a companion export" for key in data if key not in (*TOP_KEYS, "notes")
    ]
    notes = data.get("notes")
    if notes is None:
        return problems
    ids = {r.get("uuid") for r in runs if isinstance(r, dict)}
    items = notes if isinstance(notes, list) else [notes]
    for j, note in enumerate(items):
        target = note.get("run", note.get("run_uuid")) if isinstance(note, dict) else None
        if target is not None and target not in ids:
            problems.append(f"notes[{j}]: points at run {target!r}, which is not in this file")
        else:
            problems.append(f"notes[{j}]: notes belong inside their run (runs[N].notes)")
    return problems


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
                "checkin_after, utc_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "COALESCE(?, date(?, 'localtime')), ?, ?, ?)",
                (
                    run["uuid"], run["practice_id"], run["title"], run.get("file_hash"),
                    run.get("course"), run.get("day"), run.get("planned"), run["practised"],
                    run["started_at"], run.get("ended_at"), status, run.get("local_date"),
                    run["started_at"], run.get("checkin_before"), run.get("checkin_after"),
                    run.get("utc_offset"),
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
