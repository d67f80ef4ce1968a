"""Real processes killed mid-practice: the journal still holds the run, its notes and its time."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from companion.journal import open_journal
from companion.paths import Paths

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PRACTICE = """
title = "Tiny"
[bells]
start_strikes = 1
end_strikes = 1
[[segment]]
kind = "breath"
duration = "30s"
pattern = { in = 4, out = 4 }
"""
WAIT = 2.5


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def _start(args: list[str]) -> tuple[subprocess.Popen[str], float]:
    """Start a process and return it with the time its first line (the practice began) arrived."""
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
        start_new_session=True,
    )  # fmt: skip
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first, proc.stderr.read() if proc.stderr else "no output"
    return proc, time.monotonic()


def _runs(path: Path) -> list[tuple[str, float, int]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(
            "SELECT status, practised, (SELECT COUNT(*) FROM notes WHERE run_id = runs.id) FROM runs"
        ).fetchall()
    finally:
        db.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL])
def test_the_plain_runner_killed_mid_practice_leaves_an_ended_early_run(
    sig: signal.Signals, paths: Paths, tmp_path: Path
) -> None:
    file = tmp_path / "tiny.toml"
    file.write_text(PRACTICE)
    proc, began = _start(
        [sys.executable, "-m", "companion", "run", str(file), "--plain", "--no-sound"]
    )
    time.sleep(WAIT)
    proc.send_signal(sig)
    killed = time.monotonic()
    out, err = proc.communicate(timeout=20)
    assert "Traceback" not in err
    elapsed = killed - began
    if sig != signal.SIGKILL:
        assert proc.returncode == 0, err
        assert "Ended early" in out
        # Closed by the process itself, at once.
        ((status, practised, _),) = _runs(paths.journal_file)
        assert status == "ended early"
        assert elapsed - 0.5 <= practised <= elapsed + 1.0
        return
    ((status, practised, _),) = _runs(paths.journal_file)
    assert status == "running"  # nobody closed it yet
    open_journal(paths)  # the next start notices the dead process and closes its run
    ((status, practised, _),) = _runs(paths.journal_file)
    assert status == "ended early"
    # The heartbeat comes once a second, so at most about a second is lost.
    assert elapsed - 1.3 <= practised <= elapsed + 0.5


NOTER = textwrap.dedent(
    """
    import sys, time, tomllib
    from companion.journal import open_journal
    from companion.paths import Paths
    from companion.practice.load import parse_practice
    p = parse_practice(tomllib.loads('title = "N"\\n[[segment]]\\nkind = "noting"\\nduration = 600'),
                       path="n.toml", practice_id="n", sounds=None)
    rec = open_journal(Paths.under(sys.argv[1])).recorder()
    start = time.monotonic()
    rec.begin(p, 600.0)
    print("began", flush=True)
    beat = 0.0
    while True:
        t = time.monotonic() - start
        rec.note(t, "thinking", "t", 0, None)
        if t - beat >= 1.0:
            rec.progress(t)
            beat = t
        time.sleep(0.25)
    """
)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_a_recording_app_killed_keeps_every_note_taken(sig: signal.Signals, paths: Paths) -> None:
    proc, began = _start([sys.executable, "-c", NOTER, str(paths.data_dir)])
    time.sleep(WAIT)
    proc.send_signal(sig)
    killed = time.monotonic()
    proc.communicate(timeout=20)
    assert proc.returncode == -sig
    open_journal(paths)
    ((status, practised, notes),) = _runs(paths.journal_file)
    assert status == "ended early"
    elapsed = killed - began
    assert elapsed - 1.3 <= practised <= elapsed + 0.5
    assert notes >= int(WAIT / 0.25) - 1  # one note every quarter second, none lost
