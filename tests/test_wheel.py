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
