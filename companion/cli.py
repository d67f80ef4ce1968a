"""The `companion` command: opens the app, or runs one of the subcommands."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from companion import __version__
from companion.commands import Context
from companion.paths import Paths

# Each module adds its own subcommands; see companion/commands/__init__.py.
COMMAND_MODULES: tuple[str, ...] = (
    "companion.commands.practices",
    "companion.commands.files",
    "companion.commands.run",
    "companion.commands.sounds",
    "companion.commands.journal",
    "companion.commands.remote",
    "companion.commands.voice",
)

DESCRIPTION = """\
A calm practice companion for the terminal: paced breathing, body scans, noting and
kindness practices, each defined in a TOML file you can read, copy and change.

With no command, opens the app's home screen."""

EPILOG = """\
examples:
  companion                         open the app
  companion run box-breathing       start a practice
  companion run box-breathing --plain --minutes 3
                                    print each cue and phase as it happens, no TUI
  companion show coherent-breathing the outline of a practice
  companion validate my.toml        check a practice file you wrote
  companion note thinking           note to the practice running in another window

COMPANION_HOME puts every file the app reads and writes under one folder."""


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = argparse.ArgumentParser(
        prog="companion",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument("--no-sound", action="store_true", help="open the app without sound")
    parser.add_argument(
        "--reduce-motion",
        action="store_true",
        help="no growing shapes: still figures and bars (TEXTUAL_ANIMATIONS=none or basic "
        "does the same)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None, ctx: Context | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = ctx or Context(Paths.from_env())
    try:
        if getattr(args, "func", None) is None:
            from companion.commands.run import open_app

            return open_app(args, ctx)
        code: int = args.func(args, ctx)
        return code
    except KeyboardInterrupt:
        print("\nStopped.", file=ctx.err)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and friends: stop quietly like other Unix tools, and keep
        # Python from complaining when it flushes the closed pipe at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
