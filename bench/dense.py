"""Dense practices: a 12-hour practice with a bell every 10 s (4,320 bells) and one of 200
segments with 30 cues each (about 215 KiB, within the 256 KiB limit), beside the bundled box
breathing.

Two figures: the in-process time to load, build the timeline of and outline each practice
(what `show` and the app's start do before drawing), and the first frame of
`companion run FILE` in a real terminal (tmux). Each is the worst of the two dense practices;
box breathing, measured in the same rounds, is the baseline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bench import measure
from bench.launch import app_env, companion_argv, new_home
from bench.live import first_frame_once
from bench.tmux import TmuxError

Figures = dict[str, float | None]
Reasons = dict[str, str]
Log = Callable[[str], None]

INTERVAL_TITLE = "Twelve hours of bells"
CUES_TITLE = "Two hundred segments"
BOX_TITLE = "Box breathing"


def interval_practice() -> str:
    """Twelve hours of silence with an interval bell every ten seconds: 4,320 bells."""
    return (
        f'title = "{INTERVAL_TITLE}"\n[bells]\nstart = "bowl"\nend = "bowl"\n'
        'interval = "10s"\ninterval_sound = "bell"\n'
        '[[segment]]\nkind = "silence"\nduration = "12h"\n'
    )


def cues_practice() -> str:
    """Two hundred three-minute segments, each with thirty cues six seconds apart."""
    cues = ", ".join(f'{{ at = "{j * 6}s", text = "Rest {j}." }}' for j in range(30))
    lines = [f'title = "{CUES_TITLE}"']
    for _ in range(200):
        lines += ["[[segment]]", 'kind = "settle"', 'duration = "3m"', f"cues = [{cues}]"]
    return "\n".join(lines) + "\n"


def write_dense(folder: Path) -> dict[str, Path]:
    """The two dense practice files in folder, by id."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"dense-interval": interval_practice(), "dense-cues": cues_practice()}
    out: dict[str, Path] = {}
    for name, text in files.items():
        out[name] = folder / f"{name}.toml"
        out[name].write_text(text, encoding="utf-8")
    return out


def load_ms(path: Path, runs: int) -> float:
    """Median milliseconds to load, build the timeline of and outline one practice file."""
    from companion.engine.timeline import build_timeline
    from companion.outline import outline, outline_text
    from companion.practice.load import load_practice

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        practice = load_practice(path, sounds=None)
        timeline = build_timeline(practice)
        outline_text(outline(practice, timeline))
        timeline.state_at(0.0)
        timeline.next_change(0.0)
        times.append((time.perf_counter() - start) * 1000)
    return measure.median(times)


def dense(work: Path, runs: int, log: Log) -> tuple[Figures, Reasons]:
    """Load and first frame of both dense practices and of box breathing, alternating."""
    home = new_home(work)
    files = write_dense(home / "practices")
    from companion.paths import Paths

    box = Paths.under(home).bundled_practices / "box-breathing.toml"
    loads = {name: load_ms(path, max(3, runs)) for name, path in files.items()}
    box_load = load_ms(box, max(3, runs))
    figures: Figures = {
        "dense_load_ms": max(loads.values()),
        "x_dense_box_load_ms": box_load,
    }
    log(f"dense load: {', '.join(f'{k} {v:.1f}' for k, v in loads.items())}, box {box_load:.1f} ms")
    env = app_env(home)
    cases = {
        "dense-interval": (str(files["dense-interval"]), INTERVAL_TITLE),
        "dense-cues": (str(files["dense-cues"]), CUES_TITLE),
        "box": ("box-breathing", BOX_TITLE),
    }
    frames: dict[str, list[float]] = {name: [] for name in cases}
    try:
        for round_no in range(runs + 1):  # round 0 warms the disk cache
            order = list(cases.items())
            if round_no % 2:
                order.reverse()
            for name, (target, marker) in order:
                argv = [*companion_argv(), "run", target, "--no-sound"]
                ms = first_frame_once(argv, env, marker, work)
                if round_no:
                    frames[name].append(ms)
    except (TmuxError, OSError, ValueError) as exc:
        return figures, {"dense_first_frame_ms": str(exc)}
    medians = {name: measure.median(values) for name, values in frames.items()}
    worst = max(medians["dense-interval"], medians["dense-cues"])
    figures["dense_first_frame_ms"] = worst
    figures["x_dense_box_first_frame_ms"] = medians["box"]
    figures["x_dense_first_frame_ratio"] = measure.ratio(worst, medians["box"])
    log(f"dense first frame: {', '.join(f'{k} {v:.0f}' for k, v in medians.items())} ms")
    return figures, {}
