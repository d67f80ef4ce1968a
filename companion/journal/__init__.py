"""The journal: every practice remembered in one local SQLite file, and the figures to look back.

`open_journal(paths)` never raises. When the journal cannot be used, its recorder remembers
nothing and carries `notice`, one sentence saying why, which the app shows once.

store.py holds `Journal` and `open_journal`; db.py the SQLite file (schema, migrations,
failures); recorder.py records one practice; stats.py, history.py and export.py read it back.
"""

from __future__ import annotations

from companion.journal.db import JournalError
from companion.journal.history import RunRow
from companion.journal.recorder import NullRecorder, Recorder
from companion.journal.stats import Stats
from companion.journal.store import Journal, open_journal

__all__ = [
    "Journal",
    "JournalError",
    "NullRecorder",
    "Recorder",
    "RunRow",
    "Stats",
    "open_journal",
]
