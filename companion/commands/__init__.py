"""Subcommands of `companion`, one module per group.

Each module has `register(subparsers)` that adds its commands with `set_defaults(func=...)`;
a command function takes (args, ctx) and returns the exit code. Modules here must import
quickly: textual and pygame are imported inside the functions that need them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from companion.paths import Paths


@dataclass
class Context:
    """What every command may use: the folders, and where to write."""

    paths: Paths
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
