"""Outside control of a running practice: `companion note`, `pause`, `resume`, `end`, `status`.

Pure (no textual, no pygame). The owner of a running practice starts a `Server` with a
`RemoteTarget` and a `submit` callable; commands in other processes `connect` and ask.
"""

from __future__ import annotations

from companion.remote.client import Connection, NotPractising, RemoteError, connect
from companion.remote.jobs import JobQueue
from companion.remote.places import Endpoint, Unavailable
from companion.remote.protocol import (
    VERSION,
    NoteReply,
    Refused,
    RemoteTarget,
    StatusSnapshot,
    match_label,
)
from companion.remote.server import Server, Submit

__all__ = [
    "VERSION",
    "Connection",
    "Endpoint",
    "JobQueue",
    "NotPractising",
    "NoteReply",
    "Refused",
    "RemoteError",
    "RemoteTarget",
    "Server",
    "StatusSnapshot",
    "Submit",
    "Unavailable",
    "connect",
    "match_label",
]
