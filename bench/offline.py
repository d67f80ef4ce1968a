"""Measurements that need no terminal: drift (fake clock), chime onsets (disk audio), the
journal's stats on ten years, and loading 200 user practice files.

Like bench/live.py, each returns (figures, reasons) and never raises for a missing part.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from bench import measure
from bench.launch import BENCH, ROOT, Timed, app_env, companion_argv, timed_run

Figures = dict[str, float | None]
Reasons = dict[str, str]
Log = Callable[[str], None]


def _child(argv: list[str], env: dict[str, str], timeout: float, cwd: Path) -> dict[str, Any]:
    """Run a bench child process that prints one JSON object; raise with its stderr if not."""
    result = subprocess.run(
        argv,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=cwd,  # not the checkout, so `-m companion...` means the installed package
    )
    if result.returncode != 0:
        tail = result.stderr.strip().splitlines()[-1:] or [f"exit code {result.returncode}"]
        raise RuntimeError(tail[0][:300])
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


# -- drift ----------------------------------------------------------------------------------
def drift(work: Path, every: int, log: Log) -> tuple[Figures, Reasons]:
    """The practice screen after a simulated hour at 30 fps (bench/drift.py in a child)."""
    try:
        data = _child(
            [sys.executable, str(BENCH / "drift.py"), "--every", str(every)],
            app_env(work / "drift-home"),
            timeout=240,
            cwd=work,
        )
    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
        return {}, {"drift_ms_1h": f"drift simulation failed: {exc}"}
    if data.get("mismatches"):
        return {}, {"drift_ms_1h": f"{data['mismatches']} frames showed the wrong phase word"}
    log(
        f"drift: {data['frames']} frames over {data['simulated_s']:.0f} s simulated, "
        f"{data['frames_checked']} drawn and checked, boundaries after the hour off by "
        f"{data['drifts_ms']} ms (1 ms steps); took {float(data['seconds_taken']):.1f} s"
    )
    return {"drift_ms_1h": float(data["drift_ms"]), "x_drift_step_ms": float(data["step_ms"])}, {}


# -- chime onsets ---------------------------------------------------------------------------
# A tick (a quarter of a second long) on every breath phase, one a second: each has silence
# before it, so its onset can be found, and 24 of them take 24 s.
CHIME_PRACTICE = """\
title = "Chime onsets"
[bells]
start = "none"
end = "none"
[[segment]]
kind = "breath"
duration = "24s"
pattern = { in = 1, out = 1 }
phase_sound = "tick"
"""


def chime_onsets(work: Path, log: Log) -> tuple[Figures, Reasons]:
    """Onset minus schedule for 24 sounds through the real mixer and Chimes with a real
    Session, on SDL's disk driver, using the sound module's own measuring tool
    (bench/onsets.py: polls the file's growth to map samples to clock time)."""
    folder = Path(tempfile.mkdtemp(prefix="chimes-", dir=work))
    toml = folder / "chimes.toml"
    toml.write_text(CHIME_PRACTICE, encoding="utf-8")
    out = folder / "result.json"
    env = {
        **app_env(folder / "home"),
        "SDL_AUDIODRIVER": "disk",
        "SDL_DISKAUDIOFILE": str(folder / "out.raw"),
    }
    argv = [sys.executable, str(ROOT / "bench" / "onsets.py"), str(toml), "--out", str(out)]
    try:
        result = subprocess.run(
            argv,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
            cwd=folder,
        )
        if not out.exists():
            tail = result.stderr.strip().splitlines()[-1:] or [f"exit {result.returncode}"]
            return {}, {"chime_onset_ms_p95": f"bench/onsets.py: {tail[0][:200]}"}
        data = json.loads(out.read_text())
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        return {}, {"chime_onset_ms_p95": str(exc)}
    if "error" in data:
        return {}, {"chime_onset_ms_p95": f"mixer: {data['error']}"}
    scheduled: list[float] = data["scheduled"]
    found: list[float] = data["onsets"]
    errors: list[float] = []
    missing = 0
    for t in scheduled:
        # The onset belonging to a sound: the nearest one after it (a sound cannot start
        # before it was asked for; 0.5 s is half the spacing).
        near = [o - t for o in found if -0.05 <= o - t < 0.5]
        if near:
            errors.append(min(near) * 1000)
        else:
            missing += 1
    if missing or len(errors) < 20:
        return {}, {
            "chime_onset_ms_p95": f"{missing} of {len(scheduled)} sounds had no onset in the file"
        }
    log(
        f"chimes: {len(errors)} onsets, p50 {measure.percentile(errors, 50):.1f} "
        f"p95 {measure.percentile(errors, 95):.1f} max {max(errors):.1f} ms; mixer buffer "
        f"{float(data.get('latency', 0)) * 1000:.1f} ms"
    )
    return {
        "chime_onset_ms_p95": measure.percentile(errors, 95),
        "x_audio_buffer_ms": float(data.get("latency", 0)) * 1000,
    }, {}


# -- the journal ----------------------------------------------------------------------------
def _medians(argv: list[str], env: dict[str, str], runs: int) -> tuple[float, float, list[float]]:
    """Median wall and CPU ms of `runs` runs (after one uncounted warm-up) and all CPU ms."""
    walls: list[float] = []
    cpus: list[float] = []
    for i in range(runs + 1):
        run = timed_run(argv, env)
        if run.code != 0:
            raise RuntimeError(f"{' '.join(argv[-2:])} exited {run.code}: {run.err[-200:]}")
        if i:
            walls.append(run.wall_ms)
            cpus.append(run.cpu_ms)
    return measure.median(walls), measure.median(cpus), cpus


def journal_stats(work: Path, runs: int, log: Log) -> tuple[Figures, Reasons]:
    """`companion stats` as a fresh process on ten years of practice, beside `companion
    --version` (the start-up every command pays). The figure is the process's own CPU time
    (median of `runs`): on an idle machine that is its wall time, and on a busy one it is what
    the neighbours disturb least. Wall times are logged too."""
    try:
        from bench.journal_data import ten_years  # bench/journal_stats.py uses it too
        from companion.journal import open_journal
        from companion.paths import Paths
    except (ImportError, OSError, AttributeError) as exc:
        return {}, {"stats_10y_ms": f"the journal or its ten-year builder is missing: {exc}"}
    home = Path(tempfile.mkdtemp(prefix="journal-", dir=work))
    env = app_env(home)
    try:
        started = time.perf_counter()
        paths = Paths.under(home)
        open_journal(paths)  # the schema, made the usual way
        ten_years(paths.journal_file, date.today())
        built = time.perf_counter() - started
        version_wall, version_cpu, _ = _medians([*companion_argv(), "--version"], env, runs)
        stats_wall, stats_cpu, all_cpu = _medians([*companion_argv(), "stats"], env, runs)
    except Exception as exc:
        return {}, {"stats_10y_ms": f"{type(exc).__name__}: {exc}"}
    log(
        f"journal: built ten years in {built:.1f} s; `companion stats` CPU "
        f"{[round(x) for x in all_cpu]} ms (median wall {stats_wall:.0f} ms); "
        f"`companion --version` CPU {version_cpu:.0f} ms (wall {version_wall:.0f} ms)"
    )
    return {"stats_10y_ms": stats_cpu, "x_version_ms": version_cpu}, {}


# -- loading user practices -----------------------------------------------------------------
VALID = """\
title = "User practice {n}"
summary = "A user's own breathing practice, number {n}."
tags = ["breath"]

[[segment]]
kind = "settle"
duration = "30s"
cues = [{{ at = "0s", text = "Arrive." }}]

[[segment]]
kind = "breath"
duration = "{minutes}m"
pattern = {{ in = 4, hold = {hold}, out = 6 }}
cues = [{{ at = "0s", text = "Follow the shape." }}, {{ at = "1m", text = "Softly." }}]
"""

# Each kind of mistake a person makes: broken TOML, a missing field, a bad value, an unknown
# kind, a bad duration. Cycled over the 20 invalid files.
INVALID = (
    'title = "Broken {n}"\n[[segment]\nkind = "breath"\n',
    'title = "No segments {n}"\n',
    'title = "Bad pattern {n}"\n[[segment]]\nkind = "breath"\nduration = "2m"\n'
    "pattern = {{ in = -4, out = 6 }}\n",
    'title = "Unknown kind {n}"\n[[segment]]\nkind = "juggling"\nduration = "2m"\n',
    'title = "Bad duration {n}"\n[[segment]]\nkind = "silence"\nduration = "ten minutes"\n',
)


def write_user_practices(folder: Path, total: int = 200, invalid: int = 20) -> None:
    """total practice files in folder, `invalid` of them with a mistake."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(total):
        if n < invalid:
            text = INVALID[n % len(INVALID)].format(n=n)
        else:
            text = VALID.format(n=n, minutes=3 + n % 17, hold=n % 5)
        (folder / f"user-{n:03d}.toml").write_text(text, encoding="utf-8")


def loading(work: Path, runs: int, log: Log) -> tuple[Figures, Reasons]:
    """`companion list` with 200 user files (20 invalid) against an empty practices folder,
    alternating, median of `runs` each; the difference in the process's own CPU time is the
    figure (wall time, on a shared machine, varies by more than the difference). Wall times
    and Library.load timed in this process are logged too."""
    empty = Path(tempfile.mkdtemp(prefix="load-empty-", dir=work))
    full = Path(tempfile.mkdtemp(prefix="load-200-", dir=work))
    write_user_practices(full / "practices")
    argv = [*companion_argv(), "list"]
    runs_with: list[Timed] = []
    runs_without: list[Timed] = []
    try:
        for i in range(runs + 1):
            pair = [(app_env(full), runs_with), (app_env(empty), runs_without)]
            for env, out in pair if i % 2 else pair[::-1]:
                run = timed_run(argv, env)
                # `list` may exit non-zero to say some files are broken; a crash is different.
                if run.code not in (0, 1) or "Traceback" in run.err:
                    raise RuntimeError(f"`companion list` exited {run.code}: {run.err[-200:]}")
                if i:  # the first round warms the disk cache
                    out.append(run)
    except (RuntimeError, OSError) as exc:
        return {}, {"load_200_practices_ms": str(exc)}
    cpu_with = measure.median([r.cpu_ms for r in runs_with])
    cpu_without = measure.median([r.cpu_ms for r in runs_without])
    wall_with = measure.median([r.wall_ms for r in runs_with])
    wall_without = measure.median([r.wall_ms for r in runs_without])
    figures: Figures = {
        "load_200_practices_ms": cpu_with - cpu_without,
        "x_list_empty_ms": cpu_without,
    }
    detail = ""
    try:
        from companion.library.library import Library
        from companion.paths import Paths

        for home in (empty, full):
            start = time.perf_counter()
            Library.load(Paths.under(home))
            detail += f" {(time.perf_counter() - start) * 1000:.0f}"
        detail = f"; Library.load in-process, none vs 200:{detail} ms"
    except Exception as exc:
        detail = f"; Library.load in-process failed: {exc}"
    log(
        f"loading: `companion list` CPU with 200 files {[round(r.cpu_ms) for r in runs_with]} "
        f"ms, without {[round(r.cpu_ms) for r in runs_without]} ms; median wall {wall_with:.0f} "
        f"vs {wall_without:.0f} ms{detail}"
    )
    return figures, {}
