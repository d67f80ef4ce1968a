"""The user's settings and key remaps in config.toml: read gently, written atomically.

Pure: imports no textual. A broken file never stops the app: its readable settings are kept,
the rest fall back to defaults, a notice says where and what to do, and the file is left
alone (settings changed in the app then live in memory only).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from companion.paths import Paths

if TYPE_CHECKING:
    import tomlkit


# NamedTuples, not frozen dataclasses: read before every first frame, and Python 3.11 compiles
# each dataclass method from source, about 0.6 ms a class (issue 18).
class Config(NamedTuple):
    """Settings as the app uses them; `keys` maps binding ids to keys."""

    volume: float = 0.8
    muted: bool = False
    terminal_bell: bool = False
    theme: str = "companion"
    reduce_motion: bool = False
    hide_breath_guide: bool = False
    check_in: bool = False
    show_streak: bool = False
    window_title: bool = True  # the phase and time left in the terminal's title
    last_practice: str = ""  # legacy: read from old files to carry over; see companion.state
    # Practising with eyes closed (docs/eyes-closed.md): a soundscape, its level, spoken cues.
    voice: str | tuple[str, ...] = "off"  # "off" | "system" | a command with {text}/{wav}
    background: str = ""  # a soundscape name; "" or "off" for none
    background_volume: float = 0.3
    eyes_closed: bool = False
    keys: Mapping[str, str] = MappingProxyType({})  # read-only: a default all copies share
    # True when read from a file we could not fully understand: never save over it.
    from_broken_file: bool = False

    def with_(self, **changes: Any) -> Config:
        """A copy with some settings changed."""
        return self._replace(**changes)


SETTING_TYPES: dict[str, type] = {
    "volume": float,
    "muted": bool,
    "terminal_bell": bool,
    "theme": str,
    "reduce_motion": bool,
    "hide_breath_guide": bool,
    "check_in": bool,
    "show_streak": bool,
    "window_title": bool,
    "last_practice": str,
    "voice": list,  # a word ("off", "system") or a command as a list of words
    "background": str,
    "background_volume": float,
    "eyes_closed": bool,
}


class ConfigError(Exception):
    """The settings could not be saved; the message says why and what to do."""


def load_config(paths: Paths) -> tuple[Config, str | None]:
    """The user's settings and a notice (None when all is well); never raises."""
    file = paths.config_file
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(), None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc.__class__.__name__
        return Config(from_broken_file=True), (
            f"{file} cannot be read ({reason}); using the default settings. "
            "Fix or remove the file; it will not be changed."
        )
    import tomllib  # here: with no settings file (the default) it is not needed to start

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from companion.toml_position import toml_position

        position = toml_position(exc)
        where = f":{position[1]}" if position else ""
        message = (position[0] if position else str(exc)).strip()
        return Config(from_broken_file=True), (
            f"{file}{where}: {message}. Using the default settings; fix the file "
            "(or remove it) and restart. It will not be changed."
        )
    return _parse(data, text, file)


def _parse(data: dict[str, Any], text: str, file: Path) -> tuple[Config, str | None]:
    problems: list[str] = []
    values: dict[str, Any] = {}
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        problems.append(f"{file}{_line(text, 'settings')}: [settings] must be a table")
        settings = {}
    for key, value in settings.items():
        expected = SETTING_TYPES.get(key)
        where = f"{file}{_line(text, key)}"
        if expected is None:
            known = ", ".join(sorted(SETTING_TYPES))
            problems.append(f"{where}: unknown setting {key!r} (known: {known})")
            continue
        checked = _check(key, value, expected)
        if isinstance(checked, _Bad):
            problems.append(f"{where}: {checked.why}")
            continue
        values[key] = checked
    keys: dict[str, str] = {}
    table = data.get("keys", {})
    if not isinstance(table, dict):
        problems.append(f"{file}{_line(text, 'keys')}: [keys] must be a table")
        table = {}
    for binding_id, key in table.items():
        if not isinstance(key, str) or not key.strip():
            problems.append(
                f'{file}{_line(text, binding_id)}: keys.{binding_id} must be a key in quotes, like "p"'
            )
            continue
        keys[binding_id] = key.strip()
    if not problems:
        return Config(**values, keys=keys), None
    notice = "; ".join(problems) + (
        ". Those settings use their defaults for now; fix the file and restart. "
        "It will not be changed until then."
    )
    return Config(**values, keys=keys, from_broken_file=True), notice


class _Bad(NamedTuple):
    """A setting value that does not fit, and what is wanted instead."""

    why: str


def _check(key: str, value: object, expected: type) -> object:
    """The value if it fits, else a _Bad saying what is wanted."""
    if key == "voice":
        return _check_voice(value)
    if key == "background" and isinstance(value, str) and value.strip().lower() in ("", "off"):
        return ""
    if expected is bool:
        ok = isinstance(value, bool)
        return value if ok else _Bad(f"{key} must be true or false (got {value!r})")
    if expected is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _Bad(f"{key} must be a number (got {value!r})")
        if key in ("volume", "background_volume") and not 0.0 <= float(value) <= 1.0:
            return _Bad(f"{key} must be between 0.0 and 1.0 (got {value!r})")
        return float(value)
    return (
        value if isinstance(value, str) else _Bad(f"{key} must be text in quotes (got {value!r})")
    )


def _check_voice(value: object) -> object:
    """ "off", "system", or a command list holding {wav}; else a _Bad with an example."""
    example = (
        'voice = "system", or a command such as voice = ["my-tts", "--out", "{wav}", "{text}"]'
    )
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("off", "system"):
            return word
        return _Bad(f'voice must be "off", "system" or a command list (got {value!r}); {example}')
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w for w in value):
        return _Bad(f"voice must be a list of words in quotes (got {value!r}); {example}")
    if not any("{wav}" in w for w in value):
        return _Bad(
            "the voice command must say where to write the sound with {wav} "
            f"(got {value!r}); {example}"
        )
    return tuple(value)


def _line(text: str, key: str) -> str:
    """':N' for the first line that sets `key` (or opens its table), else ''."""
    pattern = re.compile(rf"^\s*(\[{re.escape(key)}\]|\"?{re.escape(key)}\"?\s*=)")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return f":{number}"
    return ""


# Values the app once remembered in config.toml; now in state.json (companion.state). They
# are still read (once, to carry them over) and never written here again.
LEGACY_KEYS = frozenset({"last_practice"})


def save_config(paths: Paths, config: Config) -> None:
    """Write only the settings that differ from the file, editing it in place.

    Comments, order, blank lines and formatting survive (tomlkit); nothing changed means no
    write at all. The old file is kept as config.toml.bak. Raises ConfigError when the file
    was broken when read (so it is never overwritten) or cannot be read again or written.
    """
    file = paths.config_file
    if config.from_broken_file:
        raise ConfigError(
            f"{file} has a problem, so this setting is kept for this session only; "
            "fix the file to have settings remembered."
        )
    # Imported here: only a changed setting needs them, not the first frame.
    import tomllib

    import tomlkit
    import tomlkit.exceptions

    from companion.practice.save import write_text_atomic

    try:
        # Bytes, not read_text: universal newlines would turn a CRLF file into LF.
        text = file.read_bytes().decode("utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file} could not be read again before saving ({exc}).") from None
    try:
        on_disk, _ = _parse(tomllib.loads(text), text, file)
        document = tomlkit.parse(text)
    except (tomllib.TOMLDecodeError, tomlkit.exceptions.TOMLKitError) as exc:
        raise ConfigError(f"{file} could not be read again before saving ({exc}).") from None
    if on_disk.from_broken_file:
        raise ConfigError(
            f"{file} was changed and now has a problem, so this setting is kept for this "
            "session only."
        )
    changed = _apply(document, on_disk, config)
    if not changed:
        return
    try:
        write_text_atomic(file, tomlkit.dumps(document))
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ConfigError(
            f"{file} could not be written ({reason}); settings kept for this session."
        ) from None


def _apply(document: tomlkit.TOMLDocument, on_disk: Config, config: Config) -> bool:
    """Set each setting and key that differs from the file; True when any did."""
    changed = False
    for name in SETTING_TYPES:
        if name in LEGACY_KEYS:
            continue
        value = getattr(config, name)
        if isinstance(value, float):
            value = round(value, 3)  # 0.7, not 0.7000000000000001 after a few key presses
        if _same(getattr(on_disk, name), value):
            continue
        _set(_table(document, "settings"), name, value)
        changed = True
    for binding_id, key in config.keys.items():
        if on_disk.keys.get(binding_id) != key:
            _set(_table(document, "keys"), binding_id, key)
            changed = True
    return changed


def _set(table: Any, name: str, value: object) -> None:
    """Change a value in place; a new one goes right after the table's last setting.

    tomlkit's own `table[name] = value` would put a new key after any comments that close
    the table (so below a "# end of file" line); _insert_after keeps it with its kin.
    """
    keys = list(table.keys())
    if name in keys or not keys or not hasattr(table, "value"):
        table[name] = value
        return
    try:
        table.value._insert_after(keys[-1], name, value)
    except Exception:  # a tomlkit without it: the end of the table is still the right table
        table[name] = value


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) < 5e-4
    return a == b


def _table(document: tomlkit.TOMLDocument, name: str) -> Any:
    """The named table, added at the end when the file has none."""
    import tomlkit

    if name not in document:
        document.add(name, tomlkit.table())
    return document[name]
