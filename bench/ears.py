"""Bench steps for practising with eyes closed (bench/run.py runs them as `ears` and `ears-cpu`).

- seams: the largest join ratio of the bundled soundscapes (bench/soundscapes.py).
- onsets: real sittings on SDL's disk driver (bench/eyes_closed_check.py): spoken cues from
  the system voice against their schedule; a bell's onset without and with rain beneath it.
- cpu: the app breathing with rain and eyes-closed tones beside the same practice without,
  both in tmux over the same window, both on the disk driver.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench import measure
from bench.launch import FLOW_CYCLE, FLOW_ID, FLOW_MARKER, app_env, companion_argv, new_home
from bench.live import cpu_window
from bench.tmux import Tmux, TmuxError

Figures = dict[str, float | None]
Reasons = dict[str, str]
Log = Callable[[str], None]
ROOT = Path(__file__).resolve().parent.parent

SPOKEN = """
title = "Bench spoken"
[bells]
start = "tick"
start_strikes = 1
end = "tick"
end_strikes = 1
[[segment]]
kind = "silence"
duration = "{seconds}s"
cues = [{cues}]
"""
LINES = ("Soften the jaw.", "Let the shoulders drop.", "Feel the breath.", "Rest here.")

BELLS = """
title = "Bench bells"
[bells]
start = "bell"
start_strikes = 1
end = "bell"
end_strikes = 1
at = [{at}]
at_sound = "bell"
[[segment]]
kind = "silence"
duration = "{seconds}s"
"""


def _check(work: Path, toml: str, *flags: str) -> dict:  # type: ignore[type-arg]
    """One run of bench/eyes_closed_check.py in its own process; its JSON."""
    folder = Path(tempfile.mkdtemp(prefix="ears-", dir=work))
    practice = folder / "practice.toml"
    practice.write_text(toml)
    out = folder / "result.json"
    env = dict(os.environ)
    env.update(
        SDL_AUDIODRIVER="disk",
        SDL_DISKAUDIOFILE=str(folder / "out.raw"),
        PYGAME_HIDE_SUPPORT_PROMPT="1",
        COMPANION_HOME=str(folder / "home"),
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "eyes_closed_check.py"), str(practice),
         "--out", str(out), *flags],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    (folder / "out.raw").unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    result: dict = json.loads(out.read_text())  # type: ignore[type-arg]
    return result


def _bell_lates(result: dict, times: list[float]) -> list[float]:  # type: ignore[type-arg]
    """Milliseconds from each bell's scheduled time to its onset in the file."""
    lates: list[float] = []
    for h in result["heard"]:
        if h["role"] in ("start", "at", "end") and h["onset"] is not None:
            due = min(times, key=lambda t: abs(t - float(h["asked"])))
            lates.append((float(h["onset"]) - due + result["latency"]) * 1000)
    return lates


def onsets(work: Path, quick: bool, log: Log) -> tuple[Figures, Reasons]:
    """Spoken cue onsets against schedule; bell onsets on silence and over rain."""
    figures: Figures = {}
    reasons: Reasons = {}
    from bench.soundscapes import seams

    joins = seams()
    figures["soundscape_seam_ratio_max"] = max(f["join_ratio"] for f in joins.values())
    log("seams: " + ", ".join(f"{k} {v['join_ratio']:.2f}" for k, v in joins.items()))
    runs = 1 if quick else 3
    if shutil.which("espeak-ng") is None:
        reasons["spoken_cue_onset_ms_p95"] = "espeak-ng is not installed"
    else:
        lates: list[float] = []
        for _ in range(runs):
            cues = ", ".join(
                f'{{ at = "{3 + 3 * i}s", text = "{LINES[i % len(LINES)]}" }}' for i in range(8)
            )
            result = _check(work, SPOKEN.format(seconds=28, cues=cues), "--voice", "system")
            for h in result["heard"]:
                if h["role"] == "speech" and h["onset"] is not None and h["due"] is not None:
                    lates.append((float(h["onset"]) - float(h["due"])) * 1000)
            if result["skipped"]:
                log(f"spoken: {len(result['skipped'])} lines skipped (not ready in time)")
        log("spoken cue onsets (ms): " + ", ".join(f"{x:.1f}" for x in lates))
        figures["spoken_cue_onset_ms_p95"] = measure.percentile(lates, 95) if lates else None
    times = [0.0, 8.0, 16.0, 24.0, 32.0]
    toml = BELLS.format(at='"8s", "16s", "24s"', seconds=32)
    quiet: list[float] = []
    rain: list[float] = []
    for _ in range(runs):  # alternated, so the machine's load falls on both alike
        quiet += _bell_lates(_check(work, toml), times)
        rain += _bell_lates(_check(work, toml, "--background", "rain", "--volume", "0.3"), times)
    log("bell onsets on silence (ms): " + ", ".join(f"{x:.1f}" for x in quiet))
    log("bell onsets over rain (ms): " + ", ".join(f"{x:.1f}" for x in rain))
    if quiet and rain:
        figures["bell_onset_ms_p95"] = measure.percentile(quiet, 95)
        figures["bell_onset_over_background_ms_p95"] = measure.percentile(rain, 95)
        figures["x_bell_onset_background_diff_ms"] = (
            figures["bell_onset_over_background_ms_p95"] - figures["bell_onset_ms_p95"]  # type: ignore[operator]
        )
    return figures, reasons


def cpu(work: Path, seconds: float, log: Log) -> tuple[Figures, Reasons]:
    """The flowing breath practice with rain and eyes-closed tones, beside it without."""
    figures: Figures = {}
    reasons: Reasons = {}
    home = new_home(work)
    keys = ("cpu_eyes_closed_pct", "cpu_eyes_open_pct", "x_cpu_eyes_closed_extra_points")

    def env(name: str) -> dict[str, str]:
        e = app_env(home)
        e.update(SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=str(work / f"{name}.raw"))
        return e

    with Tmux() as closed, Tmux() as open_:
        try:
            argv = [*companion_argv(), "run", FLOW_ID]
            closed.start([*argv, "--background", "rain", "--eyes-closed"], env("closed"))
            open_.start(argv, env("open"))
            closed.wait_for(FLOW_MARKER)
            open_.wait_for(FLOW_MARKER)
            pids = {"closed": closed.pane_pid(), "open": open_.pane_pid()}
            cpu_window(pids, min(FLOW_CYCLE, seconds / 2))  # warm-up, not counted
            pct = cpu_window(pids, seconds)
        except (TmuxError, OSError, ValueError) as exc:
            return figures, dict.fromkeys(keys, str(exc))
    for name in ("closed", "open"):
        (work / f"{name}.raw").unlink(missing_ok=True)
    figures["cpu_eyes_closed_pct"] = pct["closed"]
    figures["cpu_eyes_open_pct"] = pct["open"]
    figures["x_cpu_eyes_closed_extra_points"] = pct["closed"] - pct["open"]
    log(f"cpu over {seconds:g} s: eyes closed with rain {pct['closed']:.2f}%, "
        f"the same practice without {pct['open']:.2f}%")  # fmt: skip
    return figures, reasons
