"""The pure core (format, engine, journal, CLI listing) never imports textual or pygame."""

from __future__ import annotations

import subprocess
import sys

import pytest

PURE = [
    "companion.practice",
    "companion.practice.load",
    "companion.practice.syntax",
    "companion.practice.check",
    "companion.practice.segment_check",
    "companion.practice.suggest",
    "companion.practice.edit",
    "companion.toml_position",
    "companion.config",
    "companion.engine",
    "companion.journal",
    "companion.journal.store",
    "companion.journal.db",
    "companion.engine.pacing",
    "companion.library",
    "companion.library.watch",
    "companion.library.choose",
    "companion.library.last_list",
    "companion.commands.opening",
    "companion.sound.files",
    "companion.outline",
    "companion.plain",
    "companion.paths",
    "companion.state",
    "companion.services",
    "companion.sitting",
    "companion.remote",
    "companion.remote.show",
    "companion.remote.snapshot",
]


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_import_neither_textual_nor_pygame(module: str) -> None:
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'pygame', 'rich')); "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_command_line_lists_without_loading_the_ui() -> None:
    # `companion list` and friends must start fast: the UI is imported only to open the app.
    code = (
        "import sys; from companion.cli import build_parser; build_parser(); "
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'pygame'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
