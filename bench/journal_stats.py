"""How fast the History figures are on ten years of daily practice (3,650 runs, 100,000 notes).

Run: python bench/journal_stats.py. Builds the journal in a temporary folder, then times
compute_stats in this process and `companion stats` as a fresh process (median of 5 each).
The issue asks for under 200 ms.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.journal_data import ten_years  # noqa: E402
from companion.journal import open_journal  # noqa: E402
from companion.paths import Paths  # noqa: E402

RUNS = 5


def median_ms(fn: object) -> tuple[float, list[float]]:
    """Median and all timings of RUNS calls, in milliseconds."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times


def main() -> int:
    """Build, measure, print."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        paths = Paths.under(home)
        start = time.perf_counter()
        open_journal(paths)  # create the schema the usual way
        ten_years(paths.journal_file, date.today())
        built = time.perf_counter() - start
        size = paths.journal_file.stat().st_size / 1e6
        print(f"built 3,650 runs and 100,000 notes in {built:.2f} s ({size:.1f} MB)")

        journal = open_journal(paths)
        stats_ms, stats_all = median_ms(lambda: journal.stats(streak=True))
        runs_ms, _ = median_ms(lambda: journal.runs(20))
        env = {**os.environ, "COMPANION_HOME": str(home), "PYTHONPATH": str(ROOT)}
        cmd = [sys.executable, "-m", "companion", "stats"]

        def command() -> None:
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)

        def bare() -> None:
            subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)

        cpu: list[float] = []

        def command_cpu() -> None:
            # CPU time too: wall time on a busy shared machine says more about the neighbours.
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            command()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)

        def cli_import() -> None:
            subprocess.run([sys.executable, "-c", "import companion.cli"], env=env, check=True)

        cli_ms, cli_all = median_ms(command_cpu)
        import_ms, _ = median_ms(cli_import)
        json_ms, _ = median_ms(
            lambda: subprocess.run([*cmd, "--json"], env=env, check=True, stdout=subprocess.DEVNULL)
        )
        bare_ms, _ = median_ms(bare)
        print(f"open + compute_stats (median of {RUNS}): {stats_ms:6.1f} ms  "
              f"{[round(t, 1) for t in stats_all]}")  # fmt: skip
        print(f"history, latest 20:                     {runs_ms:6.1f} ms")
        print(f"`companion stats` process:              {cli_ms:6.1f} ms  "
              f"{[round(t) for t in cli_all]}")  # fmt: skip
        print(f"`companion stats --json` process:       {json_ms:6.1f} ms")
        print(f"  its CPU time (user + system):         {statistics.median(cpu):6.1f} ms")
        print(f"`import companion.cli` alone:           {import_ms:6.1f} ms")
        print(f"bare `python -c pass` for reference:    {bare_ms:6.1f} ms")
        print(f"load average now: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        ok = stats_ms < 200 and cli_ms < 200
        print(f"fastest `companion stats` process:      {min(cli_all):6.1f} ms")
        print("median under 200 ms: " + ("yes" if ok else "NO (see the load average)"))
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
