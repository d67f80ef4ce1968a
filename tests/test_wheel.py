"""A built wheel carries the bundled practices and sounds, and finds them once installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("src") / "src"
    # Build from a copy so the working tree gains no build/ folder.
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "*.egg-info", "__pycache__", ".*_cache", "build", "dist"))
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("practice_companion-*.whl"))


@pytest.mark.slow
def test_the_wheel_holds_the_bundled_files(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    practices = {Path(n).name for n in names if n.startswith("companion/_data/practices/") and n.endswith(".toml")}
    sounds = {Path(n).name for n in names if n.startswith("companion/_data/sounds/")}
    assert {p.name for p in (ROOT / "practices").glob("*.toml")} <= practices
    assert {p.name for p in (ROOT / "sounds").iterdir() if p.suffix in (".wav", ".ogg")} <= sounds
    assert "companion/cli.py" in names


@pytest.mark.slow
def test_an_installed_wheel_lists_its_practices_and_sounds(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "--quiet",
         "--disable-pip-version-check", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target), "COMPANION_HOME": str(tmp_path / "home")}
    # Run from an empty folder so nothing can come from the source tree.
    where = subprocess.run(
        [sys.executable, "-c", "import companion.paths as p; print(p.PACKAGE_DIR); print(p.Paths.from_env().bundled_practices)"],
        capture_output=True, text=True, check=True, cwd=tmp_path, env=env,
    ).stdout.split()
    assert where[0].startswith(str(target))
    assert where[1].startswith(str(target))
    listed = subprocess.run(
        [sys.executable, "-m", "companion", "list"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert listed.returncode == 0, listed.stderr
    assert "box-breathing" in listed.stdout and "broken" not in listed.stdout
    sounds = subprocess.run(
        [sys.executable, "-m", "companion", "sounds"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert sounds.returncode == 0, sounds.stderr
    assert "bowl" in sounds.stdout


@pytest.mark.slow
def test_uv_tool_install_gives_a_companion_command_of_its_own(wheel: Path, tmp_path: Path) -> None:
    # What the README's `uv tool install .` does, into a home of the test's own; this Python
    # is the tool's interpreter, so uv never tries to download one.
    real_cache = os.environ.get("UV_CACHE_DIR") or str(Path.home() / ".cache" / "uv")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("UV_", "VIRTUAL_ENV"))},
        "HOME": str(tmp_path / "home"),
        "UV_TOOL_DIR": str(tmp_path / "tools"),
        "UV_TOOL_BIN_DIR": str(tmp_path / "bin"),
        "UV_CACHE_DIR": real_cache,  # a cache only: keeps reruns from fetching every wheel again
        "UV_PYTHON_DOWNLOADS": "never",
        "COMPANION_HOME": str(tmp_path / "companion"),
    }
    installed = subprocess.run(
        [sys.executable, "-m", "uv", "tool", "install", "--python", sys.executable, str(wheel)],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    command = tmp_path / "bin" / "companion"
    assert command.is_file(), installed.stderr
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    listed = subprocess.run(
        [str(command), "list"], capture_output=True, text=True, cwd=empty, env=env, timeout=60
    )
    assert listed.returncode == 0, listed.stderr
    assert "box-breathing" in listed.stdout and "broken" not in listed.stdout
    where = subprocess.run(
        [str(command), "paths", "--json"], capture_output=True, text=True, cwd=empty, env=env
    )
    assert str(tmp_path / "tools") in where.stdout  # its bundled practices are the tool's own
