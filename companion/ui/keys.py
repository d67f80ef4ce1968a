"""Which key names a user's keymap may bind (checked before Textual is handed them)."""

from __future__ import annotations

import unicodedata

from textual.keys import Keys


def valid_key(key: str) -> bool:
    """True for a key Textual can bind: one character, a key name, or modifiers+key."""
    if not key:
        return False
    if len(key) == 1:
        return key.isprintable()
    *mods, name = key.split("+")
    if any(m not in ("ctrl", "shift", "alt", "meta", "super", "hyper") for m in mods):
        return False
    if len(name) == 1 or name in {k.value for k in Keys} or name in NAMED_KEYS:
        return True
    try:
        unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        return False
    return True


NAMED_KEYS = frozenset(
    {"space", "enter", "escape", "backspace", "tab", "delete", "insert", "home", "end"}
    | {"up", "down", "left", "right", "pageup", "pagedown"}
    | {f"f{i}" for i in range(1, 25)}
)
