"""Check that every runtime dependency installs from wheels on each Python and platform we support.

    python tools/check_wheels.py            # 25 combinations; exit 1 with one line per gap

For each CPython (3.11 to 3.15) and platform (manylinux x86_64 and aarch64, macOS arm64 and
x86_64, Windows amd64) it asks the package index, through pip's own resolver with
`--only-binary=:all:`, whether the `[project] dependencies` of pyproject.toml resolve to
wheels. It downloads nothing but metadata (`pip install --dry-run --report`), caches that in
a temporary folder, and runs the combinations in parallel, so the whole check takes seconds.

pip evaluates environment markers (`; sys_platform == "win32"`, `; python_version >= "3.13"`)
for the Python running it, not for the target, so after each resolution this script walks the
resolved packages' requirements with the target's markers and asks again for any that apply
to the target but were left out. Standard library, plus pip (and its `packaging`).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # pragma: no cover - pip always carries a copy
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef,assignment]
    from pip._vendor.packaging.utils import canonicalize_name  # type: ignore[no-redef,assignment]

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13", "3.14", "3.15")


@dataclass(frozen=True)
class Platform:
    """A platform as pip's `--platform` tags and as environment-marker values."""

    key: str
    label: str
    tags: tuple[str, ...]
    markers: dict[str, str] = field(hash=False)


def _manylinux(arch: str) -> tuple[str, ...]:
    # glibc 2.28 is the oldest in wide use (RHEL 8, Debian 10); pip does not widen a
    # manylinux_2_28 tag to older glibc on its own, so name each one, old spellings included.
    return (*(f"manylinux_2_{v}_{arch}" for v in range(28, 16, -1)), f"manylinux2014_{arch}")


def _markers(os_name: str, sys_platform: str, system: str, machine: str) -> dict[str, str]:
    return {
        "os_name": os_name,
        "sys_platform": sys_platform,
        "platform_system": system,
        "platform_machine": machine,
        "platform_release": "",
        "platform_version": "",
    }


# pip widens a macOS tag to every older release of that architecture (and universal2); pip on a
# Mac accepts tags up to the macOS it runs on. 11 is the first macOS on Apple silicon; 10.15
# (2019) is where pygame-ce's newest wheels start, and current Intel Macs run 12 or later.
PLATFORMS = (
    Platform(
        "linux-x86_64",
        "manylinux x86_64",
        _manylinux("x86_64"),
        _markers("posix", "linux", "Linux", "x86_64"),
    ),
    Platform(
        "linux-aarch64",
        "manylinux aarch64",
        _manylinux("aarch64"),
        _markers("posix", "linux", "Linux", "aarch64"),
    ),
    Platform(
        "macos-arm64",
        "macOS arm64",
        ("macosx_11_0_arm64",),
        _markers("posix", "darwin", "Darwin", "arm64"),
    ),
    Platform(
        "macos-x86_64",
        "macOS x86_64",
        ("macosx_10_15_x86_64",),
        _markers("posix", "darwin", "Darwin", "x86_64"),
    ),
    Platform(
        "windows-amd64",
        "Windows amd64",
        ("win_amd64",),
        _markers("nt", "win32", "Windows", "AMD64"),
    ),
)


@dataclass
class Result:
    """One combination: the wheels it resolved to, or the gaps pip reported."""

    python: str
    platform: Platform
    wheels: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)


def runtime_requirements(pyproject: Path) -> list[str]:
    """The `[project] dependencies` of a pyproject.toml."""
    with pyproject.open("rb") as f:
        deps: list[str] = tomllib.load(f)["project"].get("dependencies", [])
    return deps


def marker_env(python: str, platform: Platform) -> dict[str, str]:
    """The environment-marker values of CPython `python` on `platform`."""
    return {
        **platform.markers,
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "implementation_version": f"{python}.0",
        "platform_python_implementation": "CPython",
        "extra": "",
    }


def applies(req: Requirement, env: dict[str, str], extras: Iterable[str] = ("",)) -> bool:
    """Whether a requirement's marker holds on the target (for any of the requested extras)."""
    if req.marker is None:
        return True
    return any(req.marker.evaluate({**env, "extra": extra}) for extra in extras)


def bare(req: Requirement) -> str:
    """A requirement without its marker, for pip to take as it is."""
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    return f"{req.name}{extras}{req.specifier}"


def left_out(
    roots: Sequence[Requirement], report: dict[str, object], env: dict[str, str]
) -> list[Requirement]:
    """Requirements that apply on the target but that pip, judging by its own markers, skipped."""
    resolved: dict[str, dict[str, object]] = {}
    for item in report["install"]:  # type: ignore[attr-defined]
        meta = item["metadata"]
        resolved[canonicalize_name(meta["name"])] = meta
    missing: list[Requirement] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    queue = list(roots)
    while queue:
        req = queue.pop()
        name = canonicalize_name(req.name)
        key = (name, frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        meta = resolved.get(name)
        if meta is None:
            missing.append(req)
            continue
        for text in meta.get("requires_dist") or []:  # type: ignore[attr-defined]
            sub = Requirement(text)
            if applies(sub, env, ("", *req.extras)):
                queue.append(sub)
    return missing


def pip_resolve(
    reqs: Sequence[str], python: str, platform: Platform, work: Path, pip_args: Sequence[str]
) -> tuple[dict[str, object] | None, str]:
    """Ask pip to resolve `reqs` to wheels for one target; (report, "") or (None, why not)."""
    out = Path(tempfile.mkdtemp(dir=work))
    digits = python.replace(".", "")
    command = [
        sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
        "--disable-pip-version-check", "--no-input",
        "--report", str(out / "report.json"), "--target", str(out / "target"),
        "--cache-dir", str(work / "cache"),
        "--only-binary=:all:", "--implementation", "cp", "--python-version", python,
        "--abi", f"cp{digits}", "--abi", "abi3", "--abi", "none",
        *(arg for tag in platform.tags for arg in ("--platform", tag)),
        *pip_args, *reqs,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if done.returncode == 0:
        return json.loads((out / "report.json").read_text()), ""
    return None, pip_reason(done.stderr)


def pip_reason(stderr: str) -> str:
    """pip's own words for what it could not find, on one line."""
    found = re.search(r"satisfies the requirement (.+?) \(from versions", stderr)
    if found:
        return f"no wheel of {found.group(1)}"
    errors = [
        line.removeprefix("ERROR: ") for line in stderr.splitlines() if line.startswith("ERROR")
    ]
    return errors[-1] if errors else (stderr.strip().splitlines() or ["pip failed"])[-1]


def resolve(
    roots: Sequence[Requirement],
    python: str,
    platform: Platform,
    work: Path,
    pip_args: Sequence[str],
) -> tuple[list[str], str]:
    """Wheels for `roots` on one target, markers judged for that target; (wheels, gap or "")."""
    env = marker_env(python, platform)
    wanted = [r for r in roots if applies(r, env)]
    asked = [bare(r) for r in wanted]
    # Each round adds what the last one's markers hid; real trees need one or two.
    for _ in range(5):
        report, why = pip_resolve(asked, python, platform, work, pip_args)
        if report is None:
            return [], why
        missing = left_out(wanted, report, env)
        if not missing:
            items = report["install"]
            return sorted(i["download_info"]["url"].rsplit("/", 1)[-1] for i in items), ""  # type: ignore[attr-defined]
        asked += [bare(r) for r in missing if bare(r) not in asked]
    return [], "the requirements kept growing after five rounds of markers"


def check(
    requirements: Sequence[str],
    python: str,
    platform: Platform,
    work: Path,
    pip_args: Sequence[str],
) -> Result:
    """Resolve everything together; when that fails, each dependency alone, to name every gap."""
    roots = [Requirement(r) for r in requirements]
    result = Result(python, platform)
    wheels, why = resolve(roots, python, platform, work, pip_args)
    if not why:
        result.wheels = wheels
        return result
    for root in roots:
        _, alone = resolve([root], python, platform, work, pip_args)
        if alone:
            result.gaps.append(f"{root.name}: {alone} for CPython {python} on {platform.label}")
    if not result.gaps:  # each installs alone, not together: a conflict between them
        result.gaps.append(f"(together): {why} for CPython {python} on {platform.label}")
    return result


def table(results: Sequence[Result], pythons: Sequence[str], platforms: Sequence[Platform]) -> str:
    """A Python-by-platform grid: how many wheels each combination resolved to, or GAP."""
    cell = {(r.python, r.platform.key): r for r in results}
    width = max(len(p.label) for p in platforms)
    lines = ["CPython  " + "  ".join(f"{p.label:<{width}}" for p in platforms)]
    for python in pythons:
        marks = []
        for p in platforms:
            r = cell[(python, p.key)]
            marks.append("GAP" if r.gaps else f"ok ({len(r.wheels)} wheels)")
        lines.append(f"{python:<7}  " + "  ".join(f"{m:<{width}}" for m in marks))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check; 0 when every combination resolves to wheels, else 1."""
    keys = [p.key for p in PLATFORMS]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    parser.add_argument(
        "--requirement", action="append", default=[], metavar="REQ",
        help="also check this requirement (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--python", action="append", choices=PYTHONS, help="only these (repeatable)"
    )
    parser.add_argument("--platform", action="append", choices=keys, help="only these (repeatable)")
    parser.add_argument(
        "--find-links", action="append", default=[], metavar="DIR",
        help="also look for packages here (passed to pip)",
    )  # fmt: skip
    parser.add_argument("--jobs", type=int, default=8, help="pip processes at once (default 8)")
    parser.add_argument(
        "--cache-dir", type=Path, help="keep pip's cache here (default: a temporary folder)"
    )
    args = parser.parse_args(argv)

    requirements = [*runtime_requirements(args.pyproject), *args.requirement]
    pythons = args.python or list(PYTHONS)
    platforms = [p for p in PLATFORMS if not args.platform or p.key in args.platform]
    pip_args = [arg for d in args.find_links for arg in ("--find-links", str(d))]
    work = Path(tempfile.mkdtemp(prefix="check-wheels-"))
    if args.cache_dir:
        args.cache_dir.mkdir(parents=True, exist_ok=True)
        (work / "cache").symlink_to(args.cache_dir.resolve())
    combos = [(py, p) for py in pythons for p in platforms]
    print(
        f"check_wheels: {', '.join(requirements)}\n"
        f"  on {len(combos)} combinations, wheels only, asking the index with pip"
    )
    try:
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(
                pool.map(lambda c: check(requirements, c[0], c[1], work, pip_args), combos)
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(table(results, pythons, platforms))
    gaps = [gap for r in results for gap in r.gaps]
    for gap in gaps:
        print(f"gap: {gap}")
    if gaps:
        print(f"check_wheels: {len(gaps)} gap(s); each dependency above must ship wheels there")
        return 1
    print(f"check_wheels: all {len(combos)} combinations resolve to wheels")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
