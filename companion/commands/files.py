"""`companion paths`, `new`, `edit` and `schema`: shaping practices as text files."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from companion.commands import Context, say_why
from companion.library.library import Library
from companion.library.one import UnknownPractice
from companion.paths import Paths
from companion.practice.edit import SCHEMA_LINE, copy_header, copy_text, save_user_copy, user_file
from companion.practice.errors import PracticeError, Problem
from companion.practice.load import load_practice
from companion.practice.model import is_name
from companion.practice.save import toml_value
from companion.practice.schema import COURSE_SCHEMA, PRACTICE_SCHEMA, schema_text
from companion.sound.files import sound_names
from companion.user_files import entry_problem

FALLBACK_EDITORS = ("nano", "vi", "notepad")  # notepad: on Windows


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add paths, new, edit and schema."""
    p = sub.add_parser("paths", help="every folder and file the app reads and writes")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_paths)

    p = sub.add_parser(
        "new",
        help="write a new practice into your practices folder (a starter, or a copy of one)",
    )
    p.add_argument("name", metavar="NAME", help="the new practice's id and file name, like calm")
    p.add_argument(
        "--from", dest="source", metavar="ID", help="copy this practice (an id or a .toml path)"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace an existing file (it is kept as NAME.toml.bak)",
    )
    p.set_defaults(func=cmd_new)

    p = sub.add_parser(
        "edit",
        help="open one of your practices in $VISUAL/$EDITOR (a bundled one is copied first)",
    )
    p.add_argument("name", metavar="NAME", help="a practice id, like box-breathing")
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("schema", help="print the JSON Schema of practice files (for editors)")
    p.add_argument("--course", action="store_true", help="the schema of course files instead")
    p.add_argument(
        "--write",
        action="store_true",
        help="save both schemas into your practices folder, where new files point their editor",
    )
    p.set_defaults(func=cmd_schema)


# -- paths ----------------------------------------------------------------------------------
def path_rows(paths: Paths) -> list[tuple[str, str, Path]]:
    """(key, label, path) for every folder and file the app uses."""
    return [
        ("config_dir", "config folder", paths.config_dir),
        ("practices_dir", "your practices", paths.practices_dir),
        ("courses_dir", "your courses", paths.courses_dir),
        ("sounds_dir", "your sounds", paths.sounds_dir),
        ("config_file", "settings", paths.config_file),
        ("schema_file", "editor schema", paths.practices_dir / PRACTICE_SCHEMA),
        ("data_dir", "data folder", paths.data_dir),
        ("journal_file", "journal", paths.journal_file),
        ("runtime_dir", "running practices", paths.runtime_dir),
        ("cache_dir", "cache (practices read, spoken cues)", paths.cache_dir),
        ("logs_dir", "command logs (run --until)", paths.logs_dir),
        ("bundled_practices", "bundled practices", paths.bundled_practices),
        ("bundled_courses", "bundled courses", paths.bundled_courses),
        ("bundled_sounds", "bundled sounds", paths.bundled_sounds),
    ]


def cmd_paths(args: argparse.Namespace, ctx: Context) -> int:
    """Print every folder and file the app reads and writes, and whether it exists yet."""
    rows = path_rows(ctx.paths)
    if args.json:
        data = {key: str(path) for key, _label, path in rows}
        print(json.dumps(data, indent=2, ensure_ascii=False), file=ctx.out)
        return 0
    width = max(len(label) for _key, label, _path in rows)
    for _key, label, path in rows:
        note = "" if path.exists() else "  (not created yet)"
        print(f"{label:<{width}}  {path}{note}", file=ctx.out)
    print(
        "\nYour files with the same name as a bundled practice replace it. COMPANION_HOME puts "
        "everything under one folder;\nXDG_CONFIG_HOME and XDG_DATA_HOME move the config and "
        "data folders.",
        file=ctx.out,
    )
    return 0


# -- new ------------------------------------------------------------------------------------
def _safe_name(name: str, ctx: Context) -> str | None:
    """The practice id for NAME (a trailing .toml is allowed), or None after saying why not."""
    stem = name[: -len(".toml")] if name.endswith(".toml") else name
    if is_name(stem):
        return stem
    print(
        f"{name!r} cannot be a practice name: use letters, digits, - and _ only (at most 64), "
        "like calm or evening-scan. It becomes the file name and the practice's id.",
        file=ctx.err,
    )
    return None


def cmd_new(args: argparse.Namespace, ctx: Context) -> int:
    """Write a starter or a copy into the user's practices folder and print its path."""
    name = _safe_name(args.name, ctx)
    if name is None:
        return 2
    target = user_file(ctx.paths, name)
    if target.exists() and not args.force:
        print(
            f"{target}: already exists. `companion edit {name}` opens it, or add --force to "
            f"replace it (the old file is kept as {target.name}.bak).",
            file=ctx.err,
        )
        return 1
    if args.source:
        library = Library.load(ctx.paths)
        try:
            practice = library.resolve(args.source)
        except UnknownPractice as exc:
            say_why(exc, ctx)
            return 1
        except PracticeError as exc:
            say_why(exc, ctx)
            print(f"Fix {args.source!r} first, or copy another practice.", file=ctx.err)
            return 1
        bundled = library.entries.get(name)
        replaces = bundled is not None and bundled.source == "bundled"
        text = copy_text(practice, copy_header(name, practice, replaces))
    else:
        text = starter_text(name, target)
    if not _write(ctx, name, text):
        return 1
    write_schema_files(ctx.paths)
    print(target, file=ctx.out)
    return 0


def _write(ctx: Context, name: str, text: str) -> bool:
    """Save the user's copy (a file it replaces is kept as .bak), or say why it cannot be."""
    target = user_file(ctx.paths, name)
    try:
        save_user_copy(ctx.paths, name, text)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        print(f"{target}: cannot be written ({reason}); see `companion paths`.", file=ctx.err)
        return False
    return True


def write_schema_files(paths: Paths) -> list[Path]:
    """Keep the schemas in the practices folder current, so `#:schema` lines resolve.

    They are generated files, so they are simply replaced; failing to write them only
    costs editor completion, never the practice itself.
    """
    written: list[Path] = []
    for name, folder in (
        (PRACTICE_SCHEMA, paths.practices_dir),
        (COURSE_SCHEMA, paths.courses_dir),
    ):
        target = folder / name
        text = schema_text(name)
        try:
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                folder.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            written.append(target)
        except OSError:
            continue
    return written


def starter_text(name: str, target: Path) -> str:
    """A small, valid practice full of comments showing what can be changed."""
    title = toml_value(name.replace("-", " ").replace("_", " ").strip().capitalize() or name)
    return STARTER.format(schema=SCHEMA_LINE, name=name, path=target, title=title)


STARTER = '''{schema}
# {name}: a new practice of your own, made by `companion new`.
# Change anything you like, then check it with `companion validate {path}`.
# Every field is described in docs/practice-format.md.

title = {title}
summary = "One line about this practice, shown in lists."
description = """
A few lines shown before the practice starts: what it is, and how to do it.

If watching the breath makes you uneasy, press b to hide the breath guide and rest on
your hands or your feet instead. Press g at any moment for a grounding pause.
"""
# The first tag groups the practice on the home screen: breath, body, noting, kindness, quick.
tags = ["breath"]

# Bells: a sound name (bowl, bell, tick, tingsha, gong, or a file in your sounds folder
# without its ending), or "none". These are the defaults.
[bells]
start = "bowl"
start_strikes = 3
end = "bowl"
end_strikes = 2
# interval = "5m"          # a bell every five minutes, counted from the start
# interval_sound = "bell"

# Segments run in order. Kinds: settle, breath, body_scan, phrases, noting, silence.
# Durations: 90 (seconds), "90s", "5m", "1m30s", or "open" (last segment only).

[[segment]]
kind = "settle"
duration = "30s"
title = "Arriving"
cues = [
  {{ at = "0s", text = "Sit comfortably and let your hands rest." }},
  {{ at = "15s", text = "Notice the breath as it is, without changing it." }},
]

[[segment]]
kind = "breath"
duration = "3m"
title = "Paced breathing"
# Seconds for each phase; hold, hold_out and top_up are optional.
pattern = {{ in = 4, out = 6 }}
# ramp = {{ to = {{ in = 5, out = 7 }}, over = "2m" }}   # change the pattern slowly
# labels = {{ in = "Breathe in", out = "Let go" }}       # your own words for each phase
cues = [
  {{ at = "0s", text = "Follow the guide: in as it grows, out as it shrinks." }},
  {{ at = "1m30s", text = "If your mind has wandered, join the next breath." }},
]

# [[segment]]
# kind = "body_scan"
# duration = "3m"
# direction = "down"
# regions = ["head", "shoulders", "hands", "belly", "feet", "whole body"]

# [[segment]]
# kind = "phrases"
# duration = "2m"
# recipient = "yourself"
# phrases = ["May I be kind to myself", "May I be at ease"]
# every = "12s"

[[segment]]
kind = "settle"
duration = "30s"
title = "Resting"
cues = [
  {{ at = "0s", text = "Let the pace go. Notice how you feel now." }},
]
'''


# -- edit -----------------------------------------------------------------------------------
def editor_command(environ: Mapping[str, str] | None = None) -> list[str] | None:
    """$VISUAL, else $EDITOR (split like a shell would), else nano or vi if installed."""
    env = os.environ if environ is None else environ
    for var in ("VISUAL", "EDITOR"):
        value = env.get(var, "").strip()
        if value:
            try:
                parts = shlex.split(value)
            except ValueError:
                parts = value.split()
            if parts:
                return parts
    for name in FALLBACK_EDITORS:
        found = shutil.which(name)
        if found:
            return [found]
    return None


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _check(target: Path, paths: Paths) -> list[Problem]:
    try:
        load_practice(target, source="user", sounds=sound_names(paths))
    except PracticeError as exc:
        return exc.problems
    return []


def cmd_edit(args: argparse.Namespace, ctx: Context) -> int:
    """Open a user practice in the editor (copying a bundled one first), then validate it."""
    name = _safe_name(args.name, ctx)
    if name is None:
        return 2
    target = user_file(ctx.paths, name)
    odd = entry_problem(target) if target.exists() else None
    if odd is not None:  # a pipe or a device: an editor would block on it or fail
        print(f"{target}: {odd}", file=ctx.err)
        return 1
    if not target.exists():
        library = Library.load(ctx.paths)
        entry = library.entries.get(name)
        if entry is None:
            close = difflib.get_close_matches(name, library.ids(), n=3, cutoff=0.5)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            print(
                f"No practice called {name!r}.{hint} `companion new {name}` starts a new one.",
                file=ctx.err,
            )
            return 1
        if entry.practice is None:
            for problem in entry.problems:
                print(problem, file=ctx.err)
            return 1
        header = copy_header(name, entry.practice, replaces_bundled=True)
        if not _write(ctx, name, copy_text(entry.practice, header)):
            return 1
        write_schema_files(ctx.paths)
        print(f"Copied the bundled practice to {target}; your copy now replaces it.", file=ctx.out)
    command = editor_command()
    if command is None:
        print(
            f"No editor found. Set VISUAL or EDITOR (for example `export EDITOR=nano`), or open "
            f"{target} in any text editor.",
            file=ctx.err,
        )
        return 1
    while True:
        try:
            status = subprocess.call([*command, str(target)])
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            print(
                f"Could not start the editor {command[0]!r} ({reason}). Set VISUAL or EDITOR "
                "to an editor that is installed.",
                file=ctx.err,
            )
            return 1
        if status != 0:
            print(
                f"The editor exited with status {status}; checking the file anyway.", file=ctx.err
            )
        problems = _check(target, ctx.paths)
        if not problems:
            print(f"{target}: ok", file=ctx.out)
            return 0
        for problem in problems:
            print(problem, file=ctx.err)
        if _stdin_is_tty():
            print("Open it again to fix this? [Y/n] ", end="", file=ctx.out, flush=True)
            answer = sys.stdin.readline()
            if answer and answer.strip().lower() in ("", "y", "yes"):
                continue
        print(
            f"The file is saved as it is; until it is fixed, `companion list` shows it as broken. "
            f"`companion edit {name}` opens it again.",
            file=ctx.err,
        )
        return 1


# -- schema ---------------------------------------------------------------------------------
def cmd_schema(args: argparse.Namespace, ctx: Context) -> int:
    """Print a JSON Schema, or save both beside the user's practices."""
    if args.write:
        written = write_schema_files(ctx.paths)
        if not written:
            print(f"{ctx.paths.practices_dir}: the schemas cannot be written there.", file=ctx.err)
            return 1
        for path in written:
            print(path, file=ctx.out)
        return 0
    print(schema_text(COURSE_SCHEMA if args.course else PRACTICE_SCHEMA), end="", file=ctx.out)
    return 0
