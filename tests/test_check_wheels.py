"""tools/check_wheels.py finds a dependency without wheels and names it, its Python and platform."""

from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "check_wheels.py"
SDIST_ONLY = "companion-made-up-sdist-only"
WINDOWS_NEEDS_IT = "companion-made-up-windows-dep"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_wheels", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_wheels"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def write_sdist(folder: Path, name: str) -> None:
    """A source-only release: pip with --only-binary=:all: must refuse it."""
    stem = f"{name.replace('-', '_')}-1.0"
    data = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n".encode()
    with tarfile.open(folder / f"{stem}.tar.gz", "w:gz") as tar:
        info = tarfile.TarInfo(f"{stem}/PKG-INFO")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


def write_wheel(folder: Path, name: str, requires: list[str]) -> None:
    """A pure-Python wheel whose metadata carries `requires`."""
    stem = f"{name.replace('-', '_')}-1.0"
    info = f"{stem}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires
    )
    files = {
        f"{name.replace('-', '_')}.py": "",
        f"{info}/METADATA": metadata,
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{path},,\n" for path in files) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(folder / f"{stem}-py3-none-any.whl", "w") as whl:
        for path, text in files.items():
            whl.writestr(path, text)
        whl.writestr(f"{info}/RECORD", record)


def test_markers_are_judged_for_the_target_not_for_this_machine() -> None:
    cw = load_script()
    report = {
        "install": [
            {
                "metadata": {
                    "name": "click",
                    "requires_dist": ['colorama; platform_system == "Windows"'],
                }
            },
            {
                "metadata": {
                    "name": "rich",
                    "requires_dist": [
                        'typing-extensions>=4; python_version < "3.12"',
                        'ipywidgets; extra == "jupyter"',
                    ],
                }
            },
        ]
    }
    roots = [cw.Requirement("click"), cw.Requirement("rich[jupyter]")]
    windows, linux = (
        next(p for p in cw.PLATFORMS if p.key == k) for k in ("windows-amd64", "linux-x86_64")
    )
    missing = {r.name for r in cw.left_out(roots, report, cw.marker_env("3.11", windows))}
    assert missing == {"colorama", "typing-extensions", "ipywidgets"}
    missing = {r.name for r in cw.left_out(roots, report, cw.marker_env("3.14", linux))}
    assert missing == {"ipywidgets"}  # no colorama off Windows; typing-extensions not on 3.14


def test_pip_reason_keeps_the_requirement_and_who_needed_it() -> None:
    cw = load_script()
    stderr = (
        "WARNING: Location 'file:///x' is ignored\n"
        "ERROR: Could not find a version that satisfies the requirement pygments<3,>=2.13 "
        "(from rich) (from versions: none)\n"
        "ERROR: No matching distribution found for pygments<3,>=2.13\n"
    )
    assert cw.pip_reason(stderr) == "no wheel of pygments<3,>=2.13 (from rich)"


@pytest.mark.slow
def test_a_dependency_without_wheels_fails_the_check_naming_it(tmp_path: Path) -> None:
    # The real dependencies come from the package index; two made-up ones from a local folder:
    # one ships only a source archive, the other is a wheel that needs it on Windows alone.
    write_sdist(tmp_path, SDIST_ONLY)
    write_wheel(tmp_path, WINDOWS_NEEDS_IT, [f'{SDIST_ONLY}; sys_platform == "win32"'])
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--find-links", str(tmp_path),
         "--requirement", WINDOWS_NEEDS_IT, "--requirement", SDIST_ONLY,
         "--python", "3.15", "--platform", "windows-amd64", "--platform", "macos-arm64"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    gaps = sorted(line for line in done.stdout.splitlines() if line.startswith("gap: "))
    assert gaps == sorted(
        [
            f"gap: {WINDOWS_NEEDS_IT}: no wheel of {SDIST_ONLY} for CPython 3.15 on Windows amd64",
            f"gap: {SDIST_ONLY}: no wheel of {SDIST_ONLY} for CPython 3.15 on Windows amd64",
            f"gap: {SDIST_ONLY}: no wheel of {SDIST_ONLY} for CPython 3.15 on macOS arm64",
        ]
    ), done.stdout
    assert "GAP" in done.stdout and "ok (" not in done.stdout  # both combinations have a gap
