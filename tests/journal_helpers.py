"""Kept only for branches in flight that still import `tests.journal_helpers`: use tests.support.

Delete once every branch has merged.
"""

from companion.practice.model import Practice
from tests.support import (
    BREATH_TOML,
    LABELS,
    REGIONS,
    SCAN_TOML,
    add_run,
    practice_from,
    ten_years,
)

__all__ = ["BREATH_TOML", "LABELS", "REGIONS", "SCAN_TOML", "add_run", "practice", "ten_years"]


def practice(text: str = SCAN_TOML, practice_id: str = "t") -> Practice:
    """A practice from inline TOML (sound names unchecked), as before."""
    return practice_from(text, practice_id, sounds=None)
