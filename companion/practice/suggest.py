"""Did you mean: the closest known word for a misspelt key, kind or name."""

from __future__ import annotations

import difflib
from collections.abc import Collection

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
