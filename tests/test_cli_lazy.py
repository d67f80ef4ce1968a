"""The command line imports only the module of the command it runs (issue 18)."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from companion.cli import (
    COMMAND_MODULES,
    COMMAND_OF,
    AppFlags,
    build_parser,
    main,
    needed_modules,
)


def test_the_table_names_every_command_each_module_registers() -> None:
    registered: dict[str, str] = {}
    for name in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(name).register(sub)
        registered.update(dict.fromkeys(sub.choices, name))
    assert registered == COMMAND_OF


@pytest.mark.parametrize(
    ("argv", "modules"),
    [
        ([], ()),
        (["--no-sound"], ()),
        (["--no-sound", "--reduce-motion"], ()),
        (["run", "box-breathing"], ("companion.commands.run",)),
        (["--no-sound", "stats"], ("companion.commands.journal",)),
        (["--help"], COMMAND_MODULES),
        (["--version"], COMMAND_MODULES),
        (["no-such-command"], COMMAND_MODULES),
    ],
)
def test_needed_modules(argv: list[str], modules: tuple[str, ...]) -> None:
    assert needed_modules(argv) == modules


def test_shell_completion_sees_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_ARGCOMPLETE", "1")
    assert needed_modules(["run", "x"]) == COMMAND_MODULES


def test_help_still_lists_every_command() -> None:
    text = build_parser(needed_modules(["--help"])).format_help()
    for command in COMMAND_OF:
        assert command in text


def test_running_a_command_leaves_the_others_unimported() -> None:
    code = (
        "import sys; from companion.cli import main; main(['paths']); "
        "print(','.join(sorted(m for m in sys.modules if m.startswith('companion.commands.'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "companion.commands.files"


@pytest.mark.parametrize(
    ("argv", "no_sound", "reduce_motion"),
    [
        ([], False, False),
        (["--no-sound"], True, False),
        (["--reduce-motion", "--no-sound"], True, True),
    ],
)
def test_the_app_alone_gets_its_flags_without_the_parser(
    argv: list[str], no_sound: bool, reduce_motion: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `companion` with at most the top-level flags skips argparse (issue 18): the app must
    # still get exactly what the parser would have given it.
    seen: list[object] = []

    def opened(args: object, ctx: object) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr("companion.commands.opening.open_app", opened)
    assert main(argv) == 0
    (args,) = seen
    assert isinstance(args, AppFlags)  # no parser was built
    assert args.no_sound is no_sound and args.reduce_motion is reduce_motion
    parsed = build_parser(()).parse_args(argv)
    assert (parsed.no_sound, parsed.reduce_motion) == (no_sound, reduce_motion)
