"""What the tests share: import everything from here (`from tests.support import ...`).

apps: the app on a fake clock; fakes: recording player and journal; practices: practices as
text and the one way to load or write them; screens: reading what an app shows, a widget host;
term: the real command in tmux; journal: journals with known runs; remote: outside-control
processes (remote_fake.py is the stand-in practice they start).
"""

from __future__ import annotations

from tests.support.apps import AppBuilder, at, go_to, home_of, settle, whole
from tests.support.fakes import RecordingJournal, RecordingPlayer
from tests.support.journal import LABELS, REGIONS, TODAY, add_run, small, ten_years
from tests.support.practices import (
    ALL_KINDS,
    BOX,
    BOX_AFTER_SETTLE,
    BREATH_TOML,
    BROKEN_BREATH,
    CALM_BREATH,
    PACED,
    PHRASES,
    RAMP,
    SCAN_DOWN,
    SCAN_TOML,
    SCAN_UP,
    SOUNDS,
    STARTS,
    TONGLEN,
    TOTAL,
    every_kind,
    practice_from,
    timeline_of,
    write_paced,
    write_practice,
    write_still_box,
    write_touched,
    write_wav,
)
from tests.support.remote import FAKE, WAIT, FakePractice, Follower, Lines, companion, env_for
from tests.support.screens import (
    CALM,
    WidgetApp,
    record_notices,
    record_toasts,
    screen_text,
    state_feed,
)
from tests.support.term import COMPANION, NEEDS_TMUX, ROOT, Term, alive, journal_rows, until

__all__ = [
    "ALL_KINDS",
    "BOX",
    "BOX_AFTER_SETTLE",
    "BREATH_TOML",
    "BROKEN_BREATH",
    "CALM",
    "CALM_BREATH",
    "COMPANION",
    "FAKE",
    "LABELS",
    "NEEDS_TMUX",
    "PACED",
    "PHRASES",
    "RAMP",
    "REGIONS",
    "ROOT",
    "SCAN_DOWN",
    "SCAN_TOML",
    "SCAN_UP",
    "SOUNDS",
    "STARTS",
    "TODAY",
    "TONGLEN",
    "TOTAL",
    "WAIT",
    "AppBuilder",
    "FakePractice",
    "Follower",
    "Lines",
    "RecordingJournal",
    "RecordingPlayer",
    "Term",
    "WidgetApp",
    "add_run",
    "alive",
    "at",
    "companion",
    "env_for",
    "every_kind",
    "go_to",
    "home_of",
    "journal_rows",
    "practice_from",
    "record_notices",
    "record_toasts",
    "screen_text",
    "settle",
    "small",
    "state_feed",
    "ten_years",
    "timeline_of",
    "until",
    "whole",
    "write_paced",
    "write_practice",
    "write_still_box",
    "write_touched",
    "write_wav",
]
