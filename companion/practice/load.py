"""Read a practice file and check every rule, reporting every problem with its place.

The loader's contract: `parse_practice` returns a Practice or raises PracticeError, whatever
data it is given; `load_practice` adds the same promise for whatever bytes are on disk.
"""

from __future__ import annotations

import difflib
import math
import re
import stat
import tomllib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from companion.practice.durations import DurationError, format_duration, parse_duration, type_name
from companion.practice.errors import PracticeError, Problem
from companion.practice.model import (
    PHASES,
    SEGMENT_KINDS,
    Bells,
    Cue,
    Pattern,
    Practice,
    Ramp,
    Region,
    Segment,
)
from companion.practice.noting import DEFAULT_NOTING, MAX_LABEL, RESERVED_KEYS
from companion.practice.regions import DEFAULT_REGIONS, KNOWN_REGIONS, default_weight

MAX_FILE_BYTES = 256 * 1024
NESTED_TOO_DEEP = (
    "is nested too deeply to read (lists or tables hundreds of levels inside each other); "
    "a practice needs only a few levels"
)
MAX_SEGMENTS = 200
MAX_TOTAL_SECONDS = 12 * 3600
PHASE_MIN, PHASE_MAX = 0.5, 60.0
MAX_TEXT = 4000
MAX_LIST = 500
MIN_SEGMENT_SECONDS = 1.0
OPEN_SCAN_SECONDS_PER_WEIGHT = 30.0

SOUND_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")

TOP_KEYS = ("title", "summary", "description", "tags", "bells", "noting", "segment")
BELL_KEYS = ("start", "start_strikes", "end", "end_strikes", "interval", "interval_sound")
COMMON_SEGMENT_KEYS = ("kind", "duration", "title", "cues", "chime")
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "settle": (),
    "breath": ("pattern", "ramp", "labels", "phase_sound"),
    "body_scan": ("direction", "regions", "prompts"),
    "phrases": ("recipient", "phrases", "every"),
    "noting": (),
    "silence": (),
}
ALL_SEGMENT_KEYS = COMMON_SEGMENT_KEYS + tuple(k for keys in KIND_KEYS.values() for k in keys)
PATTERN_KEYS = ("in", "hold", "out", "hold_out", "top_up")

# Words people reach for that mean one of ours; checked before fuzzy matching.
ALIASES: dict[str, str] = {
    "inhale": "in",
    "breathe_in": "in",
    "exhale": "out",
    "breathe_out": "out",
    "hold_in": "hold",
    "pause": "hold",
    "hold_after_out": "hold_out",
    "holdout": "hold_out",
    "topup": "top_up",
    "segments": "segment",
    "length": "duration",
    "time": "duration",
    "name": "title",
    "bell": "chime",
    "type": "kind",
    "body_scan_regions": "regions",
    "breath": "breath",
    "bodyscan": "body_scan",
    "body-scan": "body_scan",
    "scan": "body_scan",
    "metta": "phrases",
    "loving_kindness": "phrases",
    "timer": "silence",
}


def suggest(word: str, choices: Collection[str]) -> str:
    """ "; did you mean 'x'?" for the closest choice, or "" when nothing is close."""
    alias = ALIASES.get(word.lower())
    if alias in choices:
        return f"; did you mean '{alias}'?"
    close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def unknown_key(key: str, allowed: Collection[str]) -> str:
    """ "unknown key" with the closest allowed key, or else the list of allowed keys."""
    hint = suggest(key, allowed)
    if hint:
        return f"unknown key{hint}"
    return f"unknown key; the keys allowed here are {', '.join(allowed)}"


_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
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
    match = _TOML_POSITION.match(shown)
    if match:
        message = match["msg"]
        line = int(match["line"])
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
        return Problem(path, message, line=line, column=int(match["col"]))
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


def load_practice(
    path: Path,
    *,
    source: str = "file",
    sounds: Collection[str] | None = None,
    practice_id: str | None = None,
    display: str | None = None,
) -> Practice:
    """Load and check one practice file. The id is the file name's stem."""
    shown = display or str(path)
    data = read_toml(path, shown)
    return parse_practice(
        data,
        path=shown,
        practice_id=practice_id or path.stem,
        source=source,
        sounds=sounds,
        file_path=path,
    )


def parse_practice(
    data: Mapping[str, Any],
    *,
    path: str,
    practice_id: str,
    source: str = "file",
    sounds: Collection[str] | None = None,
    file_path: Path | None = None,
) -> Practice:
    """Turn parsed TOML into a Practice, or raise PracticeError listing every problem."""
    checker = _Checker(path, sounds)
    try:
        practice = checker.practice(data, practice_id, source, file_path)
    except RecursionError:
        checker.add("", NESTED_TOO_DEEP)
        practice = None
    if checker.problems or practice is None:
        raise PracticeError(checker.problems or [Problem(path, "is not a practice")])
    return practice


class _Checker:
    """Walks the parsed data once, collecting problems instead of stopping at the first."""

    def __init__(self, path: str, sounds: Collection[str] | None) -> None:
        self.path = path
        self.sounds = sounds
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, message, where=where))

    # -- small readers -------------------------------------------------------------------
    def unknown(self, table: Mapping[str, Any], allowed: Collection[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                place = f"{where}.{key}" if where else str(key)
                self.add(place, unknown_key(str(key), allowed))

    def text(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        *,
        required: bool = False,
        one_line: bool = False,
        limit: int = MAX_TEXT,
        example: str | None = None,
    ) -> str:
        place = f"{where}.{key}" if where else key
        if key not in table:
            if required:
                self.add(place, "is required; add " + (example or f'a line such as {key} = "..."'))
            return ""
        value = table[key]
        if not isinstance(value, str):
            self.add(place, f"must be a text in quotes (got {type_name(value)})")
            return ""
        if required and not value.strip():
            self.add(place, "must not be empty")
        if one_line and "\n" in value:
            self.add(place, "must be a single line")
        if len(value) > limit:
            self.add(place, f"is {len(value)} characters long; the most is {limit}")
            return value[:limit]
        return value

    def texts(
        self, table: Mapping[str, Any], key: str, where: str, *, limit: int = MAX_LIST
    ) -> list[str]:
        place = f"{where}.{key}" if where else key
        value = table.get(key, [])
        if not isinstance(value, list):
            self.add(place, f'must be a list of texts, like ["a", "b"] (got {type_name(value)})')
            return []
        if len(value) > limit:
            self.add(place, f"has {len(value)} items; the most is {limit}")
            value = value[:limit]
        out: list[str] = []
        for i, item in enumerate(value, 1):
            if not isinstance(item, str):
                self.add(f"{place}[{i}]", f"must be a text in quotes (got {type_name(item)})")
            elif not item.strip():
                self.add(f"{place}[{i}]", "must not be empty")
            elif len(item) > MAX_TEXT:
                self.add(f"{place}[{i}]", f"is {len(item)} characters long; the most is {MAX_TEXT}")
            else:
                out.append(item)
        return out

    def duration(
        self, table: Mapping[str, Any], key: str, where: str, *, allow_open: bool = False
    ) -> float | None:
        place = f"{where}.{key}" if where else key
        try:
            seconds = parse_duration(table[key], allow_open=allow_open)
        except DurationError as exc:
            self.add(place, str(exc))
            return math.nan
        if seconds is not None and seconds < 0:
            self.add(place, f"must be a positive duration (got {table[key]!r})")
            return math.nan
        return seconds

    def sound(
        self, table: Mapping[str, Any], key: str, where: str, default: str | None
    ) -> str | None:
        place = f"{where}.{key}" if where else key
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, str):
            self.add(place, f'must be a sound name in quotes, or "none" (got {type_name(value)})')
            return default
        if value == "none":
            return None
        if "/" in value or "\\" in value or ".." in value or value.startswith("~"):
            self.add(
                place,
                f"must be a sound name, not a path (got {value!r}); put the file in your sounds "
                "folder (see `companion paths`) and write its name without the folder or ending",
            )
            return default
        if not SOUND_NAME.fullmatch(value):
            stem, dot, ending = value.rpartition(".")
            if dot and ending.lower() in ("wav", "ogg") and SOUND_NAME.fullmatch(stem):
                advice = f"write the name without its ending, like {stem!r}"
            else:
                advice = "use letters, digits, - and _ only"
            self.add(place, f"is not a sound name (got {value!r}); {advice}")
            return default
        if self.sounds is not None and value not in self.sounds:
            if not self.sounds:
                self.add(
                    place,
                    f"unknown sound {value!r} (no sounds are installed: put .wav or .ogg files "
                    'in your sounds folder, see `companion paths`, or write "none")',
                )
                return default
            hint = suggest(value, self.sounds)
            known = ", ".join(sorted(self.sounds))
            self.add(place, f"unknown sound {value!r}{hint} (known sounds: {known})")
            return default
        return value

    def table(self, parent: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any] | None:
        place = f"{where}.{key}" if where else key
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.add(place, f"must be a table, like {key} = {{ ... }} (got {type_name(value)})")
            return None
        return value

    # -- the practice ---------------------------------------------------------------------
    def practice(
        self, data: Mapping[str, Any], practice_id: str, source: str, file_path: Path | None
    ) -> Practice | None:
        if not isinstance(data, Mapping):
            self.add("", "is not a TOML table")
            return None
        if not data:
            self.add(
                "",
                'holds no settings; a practice needs a line such as title = "..." '
                "and at least one [[segment]]",
            )
            return None
        self.unknown(data, TOP_KEYS, "")
        title = self.text(data, "title", "", required=True, one_line=True, limit=120)
        summary = self.text(data, "summary", "", one_line=True, limit=300)
        description = self.text(data, "description", "")
        tags = self.texts(data, "tags", "", limit=20)
        bells = self.bells(data)
        noting = self.noting(data)
        segments = self.segments(data)
        if self.problems:
            return None
        return Practice(
            id=practice_id,
            title=title.strip(),
            summary=summary.strip(),
            description=description.strip(),
            tags=tuple(tags),
            bells=bells,
            noting=noting,
            segments=tuple(segments),
            path=file_path,
            source=source,
        )

    def bells(self, data: Mapping[str, Any]) -> Bells:
        table = self.table(data, "bells", "")
        if table is None:
            return Bells()
        self.unknown(table, BELL_KEYS, "bells")
        defaults = Bells()
        interval: float | None = None
        if "interval" in table:
            interval = self.duration(table, "interval", "bells")
            if interval is not None and not math.isnan(interval) and interval < 10:
                self.add(
                    "bells.interval", f"must be at least 10 seconds (got {table['interval']!r})"
                )
        return Bells(
            start=self.sound(table, "start", "bells", defaults.start) or "none",
            start_strikes=self.strikes(table, "start_strikes", defaults.start_strikes),
            end=self.sound(table, "end", "bells", defaults.end) or "none",
            end_strikes=self.strikes(table, "end_strikes", defaults.end_strikes),
            interval=None if interval is None or math.isnan(interval) else interval,
            interval_sound=self.sound(table, "interval_sound", "bells", defaults.interval_sound)
            or "none",
        )

    def strikes(self, table: Mapping[str, Any], key: str, default: int) -> int:
        if key not in table:
            return default
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            self.add(f"bells.{key}", f"must be a whole number from 1 to 5 (got {type_name(value)})")
            return default
        return value

    def noting(self, data: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        table = self.table(data, "noting", "")
        if table is None:
            return tuple(DEFAULT_NOTING.items())
        self.unknown(table, ("keys",), "noting")
        keys = self.table(table, "keys", "noting")
        if keys is None:
            if "keys" not in table:
                self.add("noting.keys", 'is required in [noting]; e.g. keys = { t = "thinking" }')
            return tuple(DEFAULT_NOTING.items())
        out: list[tuple[str, str]] = []
        if not keys:
            self.add("noting.keys", "must name at least one key")
        for key, label in keys.items():
            place = f"noting.keys.{key}"
            if len(key) != 1 or not key.isprintable() or key.isspace():
                self.add(place, "a noting key must be a single printable character")
                continue
            if key in RESERVED_KEYS:
                self.add(place, f"{key!r} controls the session; choose another key")
                continue
            if not isinstance(label, str) or not label.strip():
                self.add(
                    place, f'must be a label in quotes, like "thinking" (got {type_name(label)})'
                )
                continue
            if len(label) > MAX_LABEL:
                self.add(place, f"labels may be at most {MAX_LABEL} characters (got {len(label)})")
                continue
            out.append((key, label.strip()))
        return tuple(out)

    def segments(self, data: Mapping[str, Any]) -> list[Segment]:
        raw = data.get("segment")
        if raw is None:
            self.add("segment", "a practice needs at least one [[segment]]")
            return []
        if not isinstance(raw, list):
            self.add(
                "segment",
                f"must be a list of [[segment]] tables (got {type_name(raw)}); "
                "start each segment with a [[segment]] line",
            )
            return []
        if not all(isinstance(s, dict) for s in raw):
            self.add(
                "segment",
                "must be a list of [[segment]] tables (some items are not tables); "
                "start each segment with a [[segment]] line",
            )
            return []
        if not raw:
            self.add("segment", "a practice needs at least one [[segment]]")
            return []
        if len(raw) > MAX_SEGMENTS:
            self.add("segment", f"has {len(raw)} segments; the most is {MAX_SEGMENTS}")
            raw = raw[:MAX_SEGMENTS]
        out: list[Segment] = []
        for i, table in enumerate(raw, 1):
            seg = self.segment(table, f"segment[{i}]", last=i == len(raw))
            if seg is not None:
                out.append(seg)
        total = sum(s.duration for s in out if s.duration is not None)
        # A single segment over the limit has its own message; the sum would only repeat it.
        single_over = any(s.duration is not None and s.duration > MAX_TOTAL_SECONDS for s in out)
        if total > MAX_TOTAL_SECONDS and not single_over:
            self.add(
                "segment",
                f"the segments add up to {format_duration(total)}; a practice may be at most 12h",
            )
        return out

    def segment(self, table: Mapping[str, Any], where: str, *, last: bool) -> Segment | None:
        kind = table.get("kind")
        if kind is None:
            self.add(f"{where}.kind", "is required; one of " + ", ".join(SEGMENT_KINDS))
            return None
        if not isinstance(kind, str):
            self.add(
                f"{where}.kind",
                f'must be a kind in quotes, like kind = "breath" (got {type_name(kind)}); '
                f"kinds: {', '.join(SEGMENT_KINDS)}",
            )
            return None
        if kind not in SEGMENT_KINDS:
            hint = suggest(kind, SEGMENT_KINDS)
            self.add(
                f"{where}.kind",
                f"unknown kind {kind!r}{hint} (kinds: {', '.join(SEGMENT_KINDS)})",
            )
            return None
        own = COMMON_SEGMENT_KEYS + KIND_KEYS[kind]
        for key in table:
            if key in own:
                continue
            if key in ALL_SEGMENT_KEYS:
                users = [k for k, keys in KIND_KEYS.items() if key in keys]
                self.add(
                    f"{where}.{key}",
                    f"is only used by {' and '.join(users)} segments (this one is {kind!r})",
                )
            else:
                self.add(f"{where}.{key}", unknown_key(str(key), own))

        duration: float | None = math.nan
        if "duration" not in table:
            self.add(
                f"{where}.duration", 'is required, like duration = "5m" (or "open" for the last)'
            )
        else:
            duration = self.duration(table, "duration", where, allow_open=True)
            if duration is None and not last:
                self.add(f"{where}.duration", '"open" is only allowed for the last segment')
            elif duration is not None and not math.isnan(duration):
                if duration < MIN_SEGMENT_SECONDS:
                    self.add(
                        f"{where}.duration",
                        f"must be at least 1 second (got {table['duration']!r})",
                    )
                elif duration > MAX_TOTAL_SECONDS:
                    # Absurd lengths (1e30) are shown as written, not as a 30-digit hour count.
                    shown = (
                        format_duration(duration)
                        if duration < 1000 * 3600
                        else f"{table['duration']!r}"
                    )
                    self.add(f"{where}.duration", f"must be at most 12h (got {shown})")
        finite = duration if duration is not None and not math.isnan(duration) else None

        title = self.text(table, "title", where, one_line=True, limit=120)
        cues = self.cues(table, where, finite)
        chime = self.sound(table, "chime", where, None)
        seg = Segment(
            kind=kind,
            duration=duration,
            title=title.strip(),
            cues=tuple(cues),
            chime=chime,
        )
        if kind == "breath":
            seg = self.breath(table, where, seg, finite)
        elif kind == "body_scan":
            seg = self.body_scan(table, where, seg)
        elif kind == "phrases":
            seg = self.phrases(table, where, seg)
        return seg

    def cues(self, table: Mapping[str, Any], where: str, duration: float | None) -> list[Cue]:
        raw = table.get("cues", [])
        place = f"{where}.cues"
        if not isinstance(raw, list):
            self.add(
                place, f'must be a list like [{{ at = "0s", text = "..." }}] (got {type_name(raw)})'
            )
            return []
        if len(raw) > MAX_LIST:
            self.add(place, f"has {len(raw)} cues; the most is {MAX_LIST}")
            raw = raw[:MAX_LIST]
        out: list[Cue] = []
        for i, item in enumerate(raw, 1):
            here = f"{place}[{i}]"
            if not isinstance(item, dict):
                self.add(
                    here,
                    f'must be a table like {{ at = "30s", text = "..." }} (got {type_name(item)})',
                )
                continue
            self.unknown(item, ("at", "text"), here)
            at: float | None = 0.0
            if "at" in item:
                at = self.duration(item, "at", here)
            text = self.text(
                item, "text", here, required=True, example='it, like { at = "30s", text = "..." }'
            )
            if at is None or math.isnan(at) or not text:
                continue
            if duration is not None and at >= duration:
                self.add(
                    f"{here}.at",
                    f"is at {format_duration(at)}, after the segment ends ({format_duration(duration)})",
                )
                continue
            out.append(Cue(at=at, text=text.strip()))
        out.sort(key=lambda c: c.at)
        return out

    def phase_seconds(
        self, table: Mapping[str, Any], key: str, where: str, *, required: bool
    ) -> float:
        place = f"{where}.{key}"
        if key not in table:
            if required:
                self.add(
                    place, f"is required (seconds for the {'in' if key == 'in' else 'out'}-breath)"
                )
            return 0.0
        value = table[key]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.add(place, f"must be a number of seconds (got {type_name(value)})")
            return 0.0
        if required and value <= 0:
            self.add(place, f"must be a positive number of seconds (got {value:g})")
            return 0.0
        if value < 0:
            self.add(place, f"must be 0 or a positive number of seconds (got {value:g})")
            return 0.0
        if value == 0:
            return 0.0
        if not PHASE_MIN <= value <= PHASE_MAX:
            zero = "" if required else "0 or "
            self.add(
                place,
                f"must be {zero}between {PHASE_MIN:g} and {PHASE_MAX:g} seconds (got {value:g})",
            )
            return 0.0
        return float(value)

    def pattern(self, value: object, where: str) -> Pattern | None:
        if not isinstance(value, dict):
            self.add(
                where,
                f"must be a table like {{ in = 4, hold = 4, out = 4, hold_out = 4 }} (got {type_name(value)})",
            )
            return None
        before = len(self.problems)
        self.unknown(value, PATTERN_KEYS, where)
        inhale = self.phase_seconds(value, "in", where, required=True)
        exhale = self.phase_seconds(value, "out", where, required=True)
        hold = self.phase_seconds(value, "hold", where, required=False)
        hold_out = self.phase_seconds(value, "hold_out", where, required=False)
        top_up = self.phase_seconds(value, "top_up", where, required=False)
        if len(self.problems) > before:
            return None
        return Pattern(inhale=inhale, exhale=exhale, hold=hold, hold_out=hold_out, top_up=top_up)

    def breath(
        self, table: Mapping[str, Any], where: str, seg: Segment, duration: float | None
    ) -> Segment:
        from dataclasses import replace

        if "pattern" not in table:
            self.add(
                f"{where}.pattern",
                "is required for a breath segment, like pattern = { in = 4, out = 6 }",
            )
            return seg
        pattern = self.pattern(table["pattern"], f"{where}.pattern")
        ramp: Ramp | None = None
        ramp_table = self.table(table, "ramp", where)
        if ramp_table is not None:
            here = f"{where}.ramp"
            self.unknown(ramp_table, ("to", "over"), here)
            to = None
            if "to" not in ramp_table:
                self.add(
                    f"{here}.to", "is required: the pattern to arrive at, like { in = 5, out = 5 }"
                )
            else:
                to = self.pattern(ramp_table["to"], f"{here}.to")
            over: float | None = math.nan
            if "over" not in ramp_table:
                self.add(f"{here}.over", 'is required: how long the change takes, like "3m"')
            else:
                over = self.duration(ramp_table, "over", here)
                if over is not None and not math.isnan(over):
                    if over <= 0:
                        self.add(f"{here}.over", "must be longer than 0 seconds")
                    elif duration is not None and over > duration:
                        self.add(
                            f"{here}.over",
                            f"is {format_duration(over)}, longer than the segment ({format_duration(duration)})",
                        )
            if to is not None and over is not None and not math.isnan(over) and over > 0:
                ramp = Ramp(to=to, over=over)
        labels: list[tuple[str, str]] = []
        label_table = self.table(table, "labels", where)
        if label_table is not None:
            self.unknown(label_table, PHASES, f"{where}.labels")
            for phase in PHASES:
                if phase in label_table:
                    text = self.text(label_table, phase, f"{where}.labels", one_line=True, limit=80)
                    if text.strip():
                        labels.append((phase, text.strip()))
        phase_sound = self.sound(table, "phase_sound", where, None)
        return replace(
            seg, pattern=pattern, ramp=ramp, labels=tuple(labels), phase_sound=phase_sound
        )

    def body_scan(self, table: Mapping[str, Any], where: str, seg: Segment) -> Segment:
        from dataclasses import replace

        direction = "down"
        if "direction" in table:
            value = table["direction"]
            if value not in ("down", "up"):
                shown = repr(value) if isinstance(value, str) else type_name(value)
                self.add(f"{where}.direction", f'must be "down" or "up" (got {shown})')
            else:
                direction = value
        regions: list[Region] = []
        raw = table.get("regions")
        if raw is None:
            regions = [Region(name, default_weight(name)) for name in DEFAULT_REGIONS]
        elif not isinstance(raw, list):
            self.add(
                f"{where}.regions",
                f'must be a list of region names, like ["head", "feet"] (got {type_name(raw)})',
            )
        elif not raw:
            self.add(f"{where}.regions", "must name at least one region")
        else:
            if len(raw) > 60:
                self.add(f"{where}.regions", f"has {len(raw)} regions; the most is 60")
                raw = raw[:60]
            for i, item in enumerate(raw, 1):
                region = self.region(item, f"{where}.regions[{i}]")
                if region is not None:
                    regions.append(region)
        prompts = self.texts(table, "prompts", where)
        return replace(seg, direction=direction, regions=tuple(regions), prompts=tuple(prompts))

    def region(self, item: object, where: str) -> Region | None:
        weight: float | None = None
        if isinstance(item, dict):
            self.unknown(item, ("name", "weight"), where)
            name = item.get("name")
            if "weight" in item:
                w = item["weight"]
                if isinstance(w, bool) or not isinstance(w, int | float) or not 0.1 <= w <= 10:
                    self.add(
                        f"{where}.weight", f"must be a number from 0.1 to 10 (got {type_name(w)})"
                    )
                    return None
                weight = float(w)
        else:
            name = item
        if not isinstance(name, str):
            self.add(where, f"must be a region name in quotes (got {type_name(name)})")
            return None
        key = name.strip().lower()
        if key not in KNOWN_REGIONS:
            self.add(
                where,
                f"unknown body region {name!r}{suggest(key, KNOWN_REGIONS)} "
                f"(regions: {', '.join(KNOWN_REGIONS)})",
            )
            return None
        return Region(key, weight if weight is not None else default_weight(key))

    def phrases(self, table: Mapping[str, Any], where: str, seg: Segment) -> Segment:
        from dataclasses import replace

        recipient = self.text(table, "recipient", where, one_line=True, limit=120)
        phrases = self.texts(table, "phrases", where)
        if "phrases" not in table:
            self.add(f"{where}.phrases", 'is required, like phrases = ["May I be at ease"]')
        elif not phrases and isinstance(table.get("phrases"), list) and not table["phrases"]:
            self.add(f"{where}.phrases", "must hold at least one phrase")
        every = 10.0
        if "every" in table:
            value = self.duration(table, "every", where)
            if value is not None and not math.isnan(value):
                if not 2 <= value <= 600:
                    self.add(
                        f"{where}.every", f"must be between 2s and 10m (got {table['every']!r})"
                    )
                else:
                    every = value
        return replace(seg, recipient=recipient.strip(), phrases=tuple(phrases), every=every)


def open_scan_cycle(seg: Segment) -> float:
    """How long one pass over the regions takes in an open body scan."""
    return sum(r.weight for r in seg.regions) * OPEN_SCAN_SECONDS_PER_WEIGHT
