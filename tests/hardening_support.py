"""Kept only for branches in flight that still import `hardening_support`: use tests.support.

Delete once every branch has merged.
"""

from tests.support import (
    COMPANION,
    NEEDS_TMUX,
    PACED,
    ROOT,
    Term,
    alive,
    journal_rows,
    until,
    write_paced,
)

__all__ = [
    "COMPANION",
    "NEEDS_TMUX",
    "PACED",
    "ROOT",
    "Term",
    "alive",
    "journal_rows",
    "until",
    "write_paced",
]
