"""companion's benchmark: how light, how exact, how fast, each beside a same-run baseline.

    python bench/run.py [--quick] [--json PATH] [--only NAME ...] [--verbose]

Runs every measurement (about four and a half minutes; --quick is a smoke run of about a
minute and a half whose figures are rougher), then prints one table: figure, value, baseline, ratio,
target, met. --json writes the same figures with exactly the keys the issue lists (null for
a figure that could not be measured; the table says why). Progress and the raw samples go
to stderr. Needs tmux; the app is the `companion` installed next to this Python.

docs/performance.md explains each figure and holds the latest numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# bench/ is run as a script: make `bench.*` importable. Appended,
# not prepended, so an installed companion still wins over the checkout's copy.
sys.path.append(str(Path(__file__).resolve().parent.parent))

from bench import dense, ears, live, measure, offline, opening
from bench.launch import companion_argv

Figures = dict[str, float | None]
Reasons = dict[str, str]


@dataclass(frozen=True)
class Durations:
    """How long each part runs: the full run, or a quick smoke run."""

    first_frame_runs: int
    cpu_s: float
    paused_s: float
    phase_s: float
    presses: int
    drift_every: int
    process_runs: int


FULL = Durations(first_frame_runs=7, cpu_s=30, paused_s=20, phase_s=120, presses=25,
                 drift_every=30, process_runs=5)  # fmt: skip
QUICK = Durations(first_frame_runs=3, cpu_s=8, paused_s=5, phase_s=20, presses=8,
                  drift_every=300, process_runs=3)  # fmt: skip

# The measurements in the order they run; each names the keys it fills.
Step = Callable[[Path, Durations, Callable[[str], None]], tuple[Figures, Reasons]]
STEPS: dict[str, tuple[Step, tuple[str, ...]]] = {
    "first-frame": (
        lambda w, d, log: live.first_frame(w, d.first_frame_runs, log),
        (
            "first_frame_ms",
            "first_frame_bare_ms",
            "first_frame_ratio",
            "first_frame_home_ms",
            "first_frame_home_ratio",
            "x_first_frame_home_unkept_ms",
            "x_first_frame_home_unkept_ratio",
        ),
    ),
    "cpu": (
        lambda w, d, log: live.cpu(w, d.cpu_s, d.paused_s, log),
        (
            "cpu_breathing_pct",
            "cpu_baseline_pct",
            "cpu_breathing_ratio",
            "cpu_paused_pct",
            "rss_bare_mb",
            "cpu_floor_pct",
            "cpu_breathing_vs_floor",
        ),
    ),
    "phase": (
        lambda w, d, log: live.phase_run(w, d.phase_s, log),
        ("phase_error_ms_max", "visible_updates_per_s", "rss_mb"),
    ),
    "noting": (
        lambda w, d, log: live.noting(w, d.presses, log),
        ("note_latency_ms_p95",),
    ),
    "opening": (
        lambda w, d, log: opening.opening(w, d.process_runs, log),
        ("enter_to_practice_ms", "history_open_ms"),
    ),
    "drift": (lambda w, d, log: offline.drift(w, d.drift_every, log), ("drift_ms_1h",)),
    "chimes": (lambda w, d, log: offline.chime_onsets(w, log), ("chime_onset_ms_p95",)),
    "journal": (
        lambda w, d, log: offline.journal_stats(w, d.process_runs, log),
        ("stats_10y_ms",),
    ),
    "loading": (
        lambda w, d, log: offline.loading(w, d.process_runs, log),
        ("load_200_practices_ms",),
    ),
    "dense": (
        lambda w, d, log: dense.dense(w, d.process_runs, log),
        ("dense_load_ms", "dense_first_frame_ms"),
    ),
    # Eyes closed (bench/ears.py): soundscape seams, spoken cue and bell onsets, CPU.
    "ears": (
        lambda w, d, log: ears.onsets(w, d.process_runs < FULL.process_runs, log),
        (
            "soundscape_seam_ratio_max",
            "spoken_cue_onset_ms_p95",
            "bell_onset_ms_p95",
            "bell_onset_over_background_ms_p95",
        ),
    ),
    "ears-cpu": (
        lambda w, d, log: ears.cpu(w, d.cpu_s, log),
        ("cpu_eyes_closed_pct", "cpu_eyes_open_pct", "x_cpu_eyes_closed_extra_points"),
    ),
}


LIVE = ("first-frame", "cpu", "phase", "noting", "opening", "ears-cpu")  # the steps that need tmux


def machine() -> str:
    """One line about where this ran: cores, CPU model, load, Python, Textual."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        textual = version("textual")
    except Exception:
        textual = "?"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores, {model}, load {load}; Python {platform.python_version()}, "
        f"Textual {textual}; {time.strftime('%Y-%m-%d %H:%M %Z')}"
    )


def compile_bytecode() -> str:
    """Compile companion's modules (and bench's) as pip does when it installs a wheel.

    An editable install compiles a changed module when it is first imported and keeps the
    result, unless PYTHONDONTWRITEBYTECODE is set (it is on some machines, this one
    included): then every module changed since its last .pyc is compiled from source at
    every launch, which once added tens of milliseconds to companion's first frame and none
    to the bare app's. Measure what an installed companion does.
    """
    import compileall

    import companion

    folders = [Path(companion.__file__).parent, Path(__file__).parent]
    ok = all(compileall.compile_dir(str(f), quiet=1) for f in folders)
    return f"bytecode compiled ({'ok' if ok else 'with errors'}): {', '.join(map(str, folders))}"


def main(argv: list[str] | None = None) -> int:
    """Run, print the table, write JSON; exit 0 (targets missed are reported, not fatal)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="shorter runs for a smoke test")
    parser.add_argument(
        "--only", nargs="+", choices=sorted(STEPS), metavar="NAME",
        help=f"run only these measurements ({', '.join(STEPS)})",
    )  # fmt: skip
    parser.add_argument("--verbose", action="store_true", help="keep the temporary files")
    args = parser.parse_args(argv)
    durations = QUICK if args.quick else FULL

    def log(text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    log(f"companion: {' '.join(companion_argv())}")
    log(machine())
    log(compile_bytecode())
    values: Figures = {}
    reasons: Reasons = {}
    work = Path(tempfile.mkdtemp(prefix="companion-bench-"))
    started = time.monotonic()
    try:
        for name, (step, keys) in STEPS.items():
            if args.only and name not in args.only:
                for key in keys:
                    reasons.setdefault(key, "not run (--only)")
                continue
            if shutil.which("tmux") is None and name in LIVE:
                for key in keys:
                    reasons[key] = "tmux is not installed"
                continue
            log(f"{name} ...")
            try:
                figures, why = step(work, durations, log)
            except Exception as exc:  # one broken measurement must not lose the others
                figures, why = {}, dict.fromkeys(keys, f"{type(exc).__name__}: {exc}")
            values.update(figures)
            for key, reason in why.items():
                if values.get(key) is None:
                    reasons[key] = reason
    finally:
        if args.verbose:
            log(f"temporary files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    values["x_rss_ratio"] = measure.ratio(values.get("rss_mb"), values.get("rss_bare_mb"))
    values["x_note_ratio"] = measure.ratio(
        values.get("note_latency_ms_p95"), values.get("x_bare_key_ms_p95")
    )
    for key in measure.KEYS:
        if values.get(key) is None and key not in reasons:
            reasons[key] = "not measured"
    log(f"done in {time.monotonic() - started:.0f} s")
    print(f"companion benchmark{' (quick)' if args.quick else ''}: {machine()}")
    print(measure.table(values, reasons))
    if args.json:
        args.json.write_text(json.dumps(measure.json_document(values), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
