"""Reading a TOML file within our limits, and tomllib's syntax errors in words with their place.

Whatever bytes are on disk, `read_toml` returns parsed data or raises PracticeError naming
the file, the line and column, and what to do.
"""

from __future__ import annotations

import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from companion.practice.errors import PracticeError, Problem
from companion.toml_position import toml_position

MAX_FILE_BYTES = 256 * 1024
NESTED_TOO_DEEP = (
    "is nested too deeply to read (lists or tables hundreds of levels inside each other); "
    "a practice needs only a few levels"
)

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]*?)\s*\]")
_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_.\-\"' ]+?)\s*=")
_ESCAPE_HINT = (
    "; in double quotes a \\ starts an escape: write \\\\ for a backslash, "
    "or use single quotes, like 'C:\\sounds'"
)

# Extra words for tomllib's messages, which say what broke but not what to do.
_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("Expected '=' after a key", "; write each setting as key = value"),
    ("Expected newline or end of document", "; put each key = value on a line of its own"),
    ("Unclosed array", "; a list opened with [ above is missing its closing ]"),
    ("Expected ']]' at the end", "; a list-of-tables line is written [[segment]]"),
    ("Expected ']' at the end", "; a table line is written [bells]"),
    ("Unclosed inline table", "; a { ... } table must close with } on the same line"),
    ("Unescaped '\\' in a string", _ESCAPE_HINT),
    ("Invalid hex value", _ESCAPE_HINT),
    ("Escaped character is not a Unicode scalar value", _ESCAPE_HINT),
    ("Invalid date or datetime", '; put texts in quotes, like "2024-05-01"'),
    ("Invalid statement", "; each line should be key = value, a [table] or a [[segment]]"),
)


def _source_line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _written_twice(message: str, source: str) -> str:
    """Name what is written twice, from the line tomllib stopped on."""
    inline = re.match(r"Duplicate inline table key (.+)$", message)
    if inline:
        return f"{inline.group(1)} is written twice in one {{ ... }} table; keep only one"
    header = _HEADER.match(source)
    if header:
        brackets, name = header.groups()
        if brackets == "[[":
            return (
                f"[[{name}]] clashes with an earlier {name} that is not a list of tables; "
                f"start every one with [[{name}]]"
            )
        return (
            f"[{name}] clashes with {name} set earlier in the file (as [{name}], "
            f"{name} = {{ ... }} or {name}.key = ...); merge them into one [{name}]"
        )
    key = _KEY_LINE.match(source)
    if key:
        name = key.group(1).strip()
        return f"'{name}' is written twice; keep only one"
    return message + " (a key or table is written twice)"


def _syntax_problem(path: str, error: tomllib.TOMLDecodeError, text: str = "") -> Problem:
    shown = str(error)
    position = toml_position(shown)
    if position is not None:
        message, line, column = position
        source = _source_line(text, line)
        if message.startswith(("Cannot overwrite a value", "Cannot declare", "Duplicate inline")):
            message = _written_twice(message, source)
        elif message.startswith("Cannot mutate immutable namespace") or message.startswith(
            "Cannot redefine namespace"
        ):
            message += "; a table written inline as { ... } cannot be added to later"
        elif message == "Invalid initial character for a key part" and "{" in source:
            message += "; a { ... } table must stay on one line, with no comma after its last value"
        elif message == "Illegal character '\\n'":
            # tomllib stops at the end of the line of a text that was never closed.
            message = "a text in quotes is never closed on this line; add the closing quote"
        elif message == "Invalid value":
            message += '; texts need quotes, like kind = "breath" (numbers and true/false do not)'
        elif message.startswith("Illegal character"):
            message += "; texts may not hold control characters (write \\t for a tab)"
        else:
            for start, hint in _SYNTAX_HINTS:
                if message.startswith(start):
                    message += hint
                    break
        return Problem(path, message, line=line, column=column)
    shown = shown.replace("(at end of document)", "").strip()
    if shown.startswith("Unterminated string") or "'''" in shown or '"""' in shown:
        # tomllib reports the end of the file; point at where the text was opened instead.
        for quotes in ('"""', "'''"):
            if text.count(quotes) % 2:
                opened = text.rfind(quotes)
                line = text.count("\n", 0, opened) + 1
                column = opened - (text.rfind("\n", 0, opened) + 1) + 1
                message = f"the text opened here with {quotes} is never closed"
                return Problem(path, message, line=line, column=column)
        last = text.rstrip("\n").count("\n") + 1
        return Problem(path, "a text in quotes on this line is never closed", line=last)
    return Problem(path, f"{shown} at the end of the file", line=None)


def _too_big(shown: str, size: int) -> PracticeError:
    limit = "practice files may be at most 256 KiB"
    if size // 1024 > MAX_FILE_BYTES // 1024:
        message = f"is {size // 1024} KiB; {limit}"
    else:  # just over: whole KiB would read "is 256 KiB ... at most 256 KiB"
        message = f"is {size} bytes; {limit} ({MAX_FILE_BYTES} bytes)"
    return PracticeError([Problem(shown, message)])


def read_toml(path: Path, display: str | None = None) -> dict[str, Any]:
    """Read a TOML file within our limits; raise PracticeError with a located message."""
    shown = display or str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A device, pipe or socket: reading one could block or never end.
            raise PracticeError(
                [Problem(shown, "is not a regular file; name a .toml file you have saved")]
            )
        if info.st_size > MAX_FILE_BYTES:
            raise _too_big(shown, info.st_size)
        with path.open("rb") as file:
            # Never trust the size alone: a file may grow between stat and read.
            raw = file.read(MAX_FILE_BYTES + 1)
    except PracticeError:
        raise
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise PracticeError([Problem(shown, f"cannot be read ({reason})")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise PracticeError(
            [Problem(shown, "is more than 256 KiB; practice files may be at most 256 KiB")]
        )
    return parse_toml_bytes(raw, shown)


def parse_toml_bytes(raw: bytes, shown: str) -> dict[str, Any]:
    """Decode and parse TOML text, turning every failure into a PracticeError."""
    if len(raw) > MAX_FILE_BYTES:
        raise _too_big(shown, len(raw))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # editors on Windows add a byte-order mark; it carries no meaning
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        # Count characters, not bytes, so the column matches what an editor shows.
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise PracticeError(
            [Problem(shown, "is not UTF-8 text; save it as UTF-8", line=line, column=column)]
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise PracticeError(
            [Problem(shown, "holds a NUL byte; this looks like a binary file, not TOML", line=line)]
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PracticeError([_syntax_problem(shown, exc, text)]) from None
    except RecursionError:
        raise PracticeError([Problem(shown, NESTED_TOO_DEEP)]) from None
