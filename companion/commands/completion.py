"""`companion completion bash|zsh|fish`, and the answers the shell asks for when Tab is pressed.

argcomplete does the shell side: its script runs `companion` with `_ARGCOMPLETE` set, and
`answer()` replies from the parser itself, so new commands and options complete with no
change here. Practice, course and sound names are read from folder listings at that moment
(no file is parsed), so a practice saved a second ago completes too. argcomplete is imported
only on those two paths; an ordinary `companion` start never loads it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from companion.commands import Context
from companion.paths import Paths

SHELLS = ("bash", "zsh", "fish")

INSTALL = """\
to install (then open a new shell):
  bash  add to ~/.bashrc:   eval "$(companion completion bash)"
  zsh   add to ~/.zshrc, after compinit:   eval "$(companion completion zsh)"
  fish  companion completion fish > ~/.config/fish/completions/companion.fish

Tab then completes commands, options, practice and course ids, and sound names."""

Completer = Callable[..., Iterable[str]]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add completion."""
    p = sub.add_parser(
        "completion",
        help="print the script that lets your shell complete commands and practice ids",
        description="Print a completion script for your shell.",
        epilog=INSTALL,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")
    p.set_defaults(func=cmd_completion)


def cmd_completion(args: argparse.Namespace, ctx: Context) -> int:
    """Print the shell's completion script."""
    from argcomplete.shell_integration import shellcode

    ctx.out.write(shellcode(["companion"], shell=args.shell))
    return 0


def _stems(folders: Iterable[Path], suffixes: tuple[str, ...]) -> list[str]:
    names: set[str] = set()
    for folder in folders:
        try:
            names.update(
                f.stem for f in folder.iterdir() if f.suffix.lower() in suffixes and f.is_file()
            )
        except OSError:  # a missing or unreadable folder has nothing to offer
            continue
    return sorted(names)


def practice_ids(paths: Paths) -> list[str]:
    """Every practice id, bundled and the user's own (file names, nothing parsed)."""
    return _stems((paths.bundled_practices, paths.practices_dir), (".toml",))


def course_ids(paths: Paths) -> list[str]:
    """Every course id, bundled and the user's own."""
    return _stems((paths.bundled_courses, paths.courses_dir), (".toml",))


def sound_names(paths: Paths) -> list[str]:
    """Every sound name, bundled and the user's own."""
    from companion.sound.files import sound_files

    return sorted(sound_files(paths))


def _ids(source: Callable[[Paths], list[str]], files: bool = False) -> Completer:
    """A completer offering `source`'s names; with `files`, .toml paths once a path is typed."""

    def complete(prefix: str, **_: Any) -> Iterable[str]:
        if files and (prefix.startswith(("/", ".", "~")) or "/" in prefix):
            from argcomplete.completers import FilesCompleter

            found: Iterable[str] = FilesCompleter(("toml",))(prefix)
            return found
        return source(Paths.from_env())

    return complete


# (command path, argument dest) -> what completes there. Arguments met nowhere here still
# complete by their metavar (any PRACTICE or COURSE), so a new command gets ids for free.
BY_PLACE: dict[tuple[tuple[str, ...], str], Completer] = {
    (("edit",), "name"): _ids(practice_ids),
    (("new",), "source"): _ids(practice_ids, files=True),
    (("sounds", "play"), "name"): _ids(sound_names),
}
BY_METAVAR: dict[str, Completer] = {
    "PRACTICE": _ids(practice_ids, files=True),
    "COURSE": _ids(course_ids),
}


def attach_completers(parser: argparse.ArgumentParser, place: tuple[str, ...] = ()) -> None:
    """Give every argument that takes an id its completer, through every level of commands."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                attach_completers(child, (*place, name))
            continue
        completer = BY_PLACE.get((place, action.dest))
        if completer is None and isinstance(action.metavar, str):
            completer = BY_METAVAR.get(action.metavar)
        if completer is not None:
            action.completer = completer  # type: ignore[attr-defined]


def answer(parser: argparse.ArgumentParser) -> None:
    """Reply to the shell's completion request (`_ARGCOMPLETE` is set) and exit."""
    import argcomplete

    attach_completers(parser)
    # Options are offered once a `-` is typed, so `companion run <Tab>` shows practices only.
    argcomplete.autocomplete(parser, always_complete_options=False)
