"""Subcommands of `companion`, one module per group.

Each module has `register(subparsers)` that adds its commands with `set_defaults(func=...)`;
a command function takes (args, ctx) and returns the exit code. Modules here must import
quickly: textual and pygame are imported inside the functions that need them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from companion.paths import Paths

if TYPE_CHECKING:
    from companion.practice.model import Practice


@dataclass
class Context:
    """What every command may use: the folders, and where to write."""

    paths: Paths
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)


def say_why(error: Exception, ctx: Context) -> None:
    """Print why a practice could not be had: the closest ids, or every problem in its file."""
    problems = getattr(error, "problems", None)
    if problems:
        for problem in problems:
            print(problem, file=ctx.err)
    else:
        print(str(error), file=ctx.err)


def find_practice(ctx: Context, name: str) -> Practice | None:
    """A practice by id or path (reading only its own file), or None after saying why."""
    from companion.library.one import UnknownPractice, resolve_one
    from companion.practice.errors import PracticeError

    try:
        return resolve_one(ctx.paths, name)
    except (UnknownPractice, PracticeError) as exc:
        say_why(exc, ctx)
        return None
