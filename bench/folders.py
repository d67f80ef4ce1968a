"""The user's folders as they really are: two figures for docs/reliability.md.

- `companion list` with 5,000 practice files and 2,000 other files in the practices folder
  (and 2,000 in the sounds folder), against an empty home: wall and CPU milliseconds.
- The app on its home screen while a practice file is rewritten every 100 ms (truncated,
  then written, as a careless script would), against the same app with the file left alone,
  side by side over the same window: percent of one core. At the end the list must show
  the last title written and no warning about the file.

Run: `python -m bench.folders [--seconds 30] [--runs 3]` from the checkout.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

from bench import measure
from bench.launch import app_env, companion_argv, new_home, timed_run
from bench.live import cpu_window
from bench.tmux import Tmux

REWRITE_EVERY = 0.1
PRACTICE = 'title = "{title}"\n[[segment]]\nkind = "silence"\nduration = "1m"\n'


def fill(home: Path, practices: int, junk: int) -> None:
    """`practices` valid practice files and `junk` other files in each of the two folders."""
    folder = home / "practices"
    sounds = home / "sounds"
    folder.mkdir(parents=True, exist_ok=True)
    sounds.mkdir(parents=True, exist_ok=True)
    from companion.paths import Paths

    # Copies of a bundled practice (2 KiB, three segments with cues): a realistic file.
    box = (Paths.under(home).bundled_practices / "box-breathing.toml").read_text()
    for i in range(practices):
        text = box.replace('title = "Box breathing"', f'title = "Box breathing {i}"')
        (folder / f"p{i:05d}.toml").write_text(text)
    for i in range(junk):
        (folder / f"junk{i:05d}.txt").write_text("not a practice")
        (sounds / f"junk{i:05d}.txt").write_text("not a sound")


def list_times(work: Path, runs: int) -> dict[str, float]:
    """Median wall and CPU ms of `companion list`, 5,000 files and an empty home."""
    big = new_home(work, bench_practice=False)
    fill(big, 5000, 2000)
    empty = new_home(work, bench_practice=False)
    out: dict[str, float] = {}
    for name, home in (("5000", big), ("empty", empty)):
        timed_run([*companion_argv(), "list"], app_env(home))  # warm the disk cache
        runs_done = [timed_run([*companion_argv(), "list"], app_env(home)) for _ in range(runs)]
        out[f"list_{name}_wall_ms"] = measure.median([r.wall_ms for r in runs_done])
        out[f"list_{name}_cpu_ms"] = measure.median([r.cpu_ms for r in runs_done])
    return out


def rewriter(file: Path, stop: threading.Event) -> int:
    """Rewrite `file` every 100 ms (truncate, then write) until stopped; returns the count."""
    count = 0
    while not stop.wait(REWRITE_EVERY):
        count += 1
        with file.open("w") as f:  # not atomic on purpose: a poll may catch it half-written
            f.write(PRACTICE.format(title=f"Rewritten {count}"))
    return count


def rewrite_cpu(work: Path, seconds: float) -> dict[str, float]:
    """The app's CPU on the home screen with one file rewritten every 100 ms, and without."""
    busy = new_home(work, bench_practice=False)
    calm = new_home(work, bench_practice=False)
    for home in (busy, calm):
        (home / "practices").mkdir(parents=True, exist_ok=True)
        (home / "practices" / "churn.toml").write_text(PRACTICE.format(title="Rewritten 0"))
    stop = threading.Event()
    counted: list[int] = []
    with Tmux() as app, Tmux() as still:
        app.start([*companion_argv(), "--no-sound"], app_env(busy))
        still.start([*companion_argv(), "--no-sound"], app_env(calm))
        for pane in (app, still):
            pane.wait_for("Quick session")
            pane.send_keys("/")
            pane.wait_for("filter: type words")
            pane.send_keys("Rewritten")  # the list shows only that practice
            pane.wait_for("Rewritten 0")
        writer = threading.Thread(
            target=lambda: counted.append(rewriter(busy / "practices" / "churn.toml", stop))
        )
        writer.start()
        time.sleep(2.5)  # the first poll after the writes began
        pct = cpu_window({"rewritten": app.pane_pid(), "left alone": still.pane_pid()}, seconds)
        stop.set()
        writer.join()
        last = f"Rewritten {counted[0]}"
        screen = app.wait_for(last, timeout=5).text
        warned = "problems" in screen
    return {
        "cpu_rewritten_pct": pct["rewritten"],
        "cpu_left_alone_pct": pct["left alone"],
        "rewrites": float(counted[0]),
        "warning_shown": float(warned),
    }


def main() -> None:
    """Print both figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-folders-") as tmp:
        work = Path(tmp)
        for key, value in {
            **list_times(work, args.runs),
            **rewrite_cpu(work, args.seconds),
        }.items():
            print(f"{key:24} {value:10.2f}")


if __name__ == "__main__":
    main()
