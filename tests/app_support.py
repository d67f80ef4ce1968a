"""Kept only for branches in flight that still import `app_support`: use tests.support.

Delete once every branch has merged.
"""

from tests.support import (
    ALL_KINDS,
    STARTS,
    TOTAL,
    RecordingJournal,
    RecordingPlayer,
    every_kind,
    record_notices,
    screen_text,
    write_practice,
)

__all__ = [
    "ALL_KINDS",
    "STARTS",
    "TOTAL",
    "RecordingJournal",
    "RecordingPlayer",
    "every_kind",
    "record_notices",
    "screen_text",
    "write_practice",
]
