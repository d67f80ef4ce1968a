"""Shared fixtures: every test gets its own home folder and no real sound device.

Helpers live in tests/support (import them from `tests.support`); fixtures live here."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.paths import Paths
from tests.support import AppBuilder

os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Keep the developer's own practices, config and journal out of every test.
    monkeypatch.setenv("COMPANION_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    yield


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    """A fresh home folder with the bundled practices and sounds."""
    return Paths.under(tmp_path / "home")


@pytest.fixture
def build_app(paths: Paths) -> AppBuilder:
    """Builds the app on a fake clock in the `paths` home (see tests.support.apps)."""
    return AppBuilder(paths)
