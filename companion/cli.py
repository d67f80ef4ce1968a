"""The `companion` command: opens the app, or runs one of the subcommands."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from companion import __version__
from companion.commands import Context
from companion.paths import Paths

if TYPE_CHECKING:
    import argparse

# Each module adds its own subcommands; see companion/commands/__init__.py.
COMMAND_MODULES: tuple[str, ...] = (
    "companion.commands.practices",
    "companion.commands.files",
    "companion.commands.run",
    "companion.commands.sounds",
    "companion.commands.journal",
    "companion.commands.remote",
    "companion.commands.voice",
    "companion.commands.timer",
    "companion.commands.completion",
)

# Which module adds each command, so a run imports only its own command's module (the
# others cost about 20-35 ms of start-up, e.g. before the app's first frame). Help, an
# unknown word or a mistake still builds the whole parser, so every message lists them all.
# tests/test_cli_lazy.py checks this table against what the modules register.
COMMAND_OF: dict[str, str] = {
    **dict.fromkeys(("list", "show", "validate"), "companion.commands.practices"),
    **dict.fromkeys(("paths", "new", "edit", "schema"), "companion.commands.files"),
    "run": "companion.commands.run",
    "sounds": "companion.commands.sounds",
    **dict.fromkeys(("history", "stats", "export", "import"), "companion.commands.journal"),
    **dict.fromkeys(("note", "pause", "resume", "end", "status"), "companion.commands.remote"),
    "voice": "companion.commands.voice",
    "timer": "companion.commands.timer",
    "completion": "companion.commands.completion",
}
TOP_FLAGS = frozenset({"--no-sound", "--reduce-motion"})  # the top level's options that run

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
  companion timer 20 --interval 5m  sit for 20 minutes with a bell every 5
  companion show coherent-breathing the outline of a practice
  companion validate my.toml        check a practice file you wrote
  companion note thinking           note to the practice running in another window

environment:
  COMPANION_HOME  put every file the app reads and writes under one folder
  NO_COLOR        any value: draw the app without colour (greys only)

`companion --version` prints the version; `companion completion bash|zsh|fish` prints a
script that lets your shell complete commands and practice ids."""


class AppFlags:
    """The top level's options, as the parser would give them, when there is no command."""

    command = None
    func = None

    def __init__(self, no_sound: bool, reduce_motion: bool) -> None:
        self.no_sound = no_sound
        self.reduce_motion = reduce_motion


def needed_modules(argv: Sequence[str]) -> tuple[str, ...]:
    """The command modules a command line needs: its command's own, none to open the app,
    all of them for help, --version, a mistake or anything else."""
    if "_ARGCOMPLETE" in os.environ:  # a shell asking what Tab completes needs every command
        return COMMAND_MODULES
    words = list(argv)
    while words and words[0] in TOP_FLAGS:
        words.pop(0)
    if not words:
        return ()  # the app's home screen
    module = COMMAND_OF.get(words[0])
    return COMMAND_MODULES if module is None else (module,)


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """The command line, with the commands of `modules` (all of them unless told)."""
    import argparse

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
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None, ctx: Context | None = None) -> int:
    """Run the command line; returns the exit code."""
    words = sys.argv[1:] if argv is None else list(argv)
    args: object
    if "_ARGCOMPLETE" not in os.environ and set(words) <= TOP_FLAGS:
        # `companion` alone, the commonest start, needs no parser: argparse and its
        # translations cost about 2 ms before the home screen's first frame (issue 18).
        args = AppFlags("--no-sound" in words, "--reduce-motion" in words)
    else:
        parser = build_parser(needed_modules(words))  # every module when the shell asks (Tab)
        if "_ARGCOMPLETE" in os.environ:  # the shell asking what Tab completes
            from companion.commands.completion import answer

            answer(parser)  # replies and exits
            return 0
        args = parser.parse_args(words)
    ctx = ctx or Context(Paths.from_env())
    try:
        func = getattr(args, "func", None)
        if func is None:
            from companion.commands.opening import open_app

            return open_app(args, ctx)
        code: int = func(args, ctx)
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
