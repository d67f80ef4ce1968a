"""How the benchmark starts companion and its baselines: commands, environment, temporary homes."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

APP_MARKER = "Box breathing"  # the practice title in the header of `companion run box-breathing`
BENCH_ID = "bench-breath"
BENCH_MARKER = "Bench breathing"
PHASE_WORDS = ("Breathe in", "Breathe out", "Hold")

# Box breathing from the first second (no settle segment), silent, long enough for every
# live run, with one noting key. The words change every 4 s: in, hold, out, hold.
BENCH_PRACTICE = """\
title = "Bench breathing"
summary = "Box breathing with no settling, for bench/run.py."
tags = ["breath"]

[bells]
start = "none"
end = "none"

[noting]
keys = { t = "thinking" }

[[segment]]
kind = "breath"
duration = "20m"
title = "Box"
pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }
"""


# For CPU: the guide never rests (no holds), so every second of the window is animation,
# the most a breath guide costs. Its first cycle (10 s) is the warm-up bench/live.py skips.
FLOW_ID = "bench-flow"
FLOW_MARKER = "Bench flowing"
FLOW_CYCLE = 10.0
FLOW_PRACTICE = """\
title = "Bench flowing"
summary = "In for four, out for six, no holds: the breath guide always moving."
tags = ["breath"]

[bells]
start = "none"
end = "none"

[[segment]]
kind = "breath"
duration = "20m"
title = "Flow"
pattern = { in = 4, out = 6 }
"""


def companion_argv() -> list[str]:
    """The installed console script next to this Python, else `python -m companion`."""
    script = Path(sys.executable).parent / "companion"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "companion"]


def python_argv(script: str) -> list[str]:
    """Run one of the bench scripts with this Python."""
    return [sys.executable, str(BENCH / script)]


def app_env(home: Path) -> dict[str, str]:
    """What every app run gets: its own home, no sound device, a modern terminal's colours."""
    return {
        "COMPANION_HOME": str(home),
        "SDL_AUDIODRIVER": "dummy",
        "PYGAME_HIDE_SUPPORT_PROMPT": "1",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
    }


def new_home(parent: Path, *, bench_practice: bool = True) -> Path:
    """A fresh COMPANION_HOME, with the bench practices in its practices folder."""
    home = Path(tempfile.mkdtemp(prefix="home-", dir=parent))
    if bench_practice:
        folder = home / "practices"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{BENCH_ID}.toml").write_text(BENCH_PRACTICE, encoding="utf-8")
        (folder / f"{FLOW_ID}.toml").write_text(FLOW_PRACTICE, encoding="utf-8")
    return home


@dataclass(frozen=True)
class Timed:
    """One command run to completion: wall and CPU milliseconds, exit code, stderr's tail."""

    wall_ms: float
    cpu_ms: float  # user + system time of the process itself: what a busy machine disturbs least
    code: int
    err: str


def timed_run(argv: list[str], env: dict[str, str]) -> Timed:
    """Run a command with env added, output discarded (stderr kept), and time it."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()  # small: the command's messages, if any
    # wait4 gives this child's own resource usage (CPU time), unlike wait().
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    return Timed(
        wall, (usage.ru_utime + usage.ru_stime) * 1000, proc.returncode, err.strip()[-300:]
    )
