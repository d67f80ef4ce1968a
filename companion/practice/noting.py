"""The noting labels and which keys may carry them."""

from __future__ import annotations

DEFAULT_NOTING: dict[str, str] = {
    "t": "thinking",
    "f": "feeling",
    "h": "hearing",
    "s": "seeing",
    "p": "planning",
    "r": "remembering",
    "w": "wanting",
    "j": "judging",
    "k": "self-critical",
}

# Keys the session itself uses; a noting key may not take one of these.
RESERVED_KEYS: frozenset[str] = frozenset({" ", "q", "n", "g", "m", "+", "-", "?", "=", "b"})

MAX_LABEL = 24
