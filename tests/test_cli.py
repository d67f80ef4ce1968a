"""The command line: list, show, validate and run --plain, as a person would use them."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from companion.cli import main
from companion.commands import Context
from companion.engine.clock import FakeClock
from companion.engine.timeline import build_timeline
from companion.paths import Paths
from companion.plain import run_plain
from tests.support import practice_from

TINY = """
title = "Tiny"
[bells]
start_strikes = 1
end_strikes = 1
[[segment]]
kind = "breath"
duration = "8s"
pattern = { in = 2, out = 2 }
cues = [{ at = "0s", text = "Easy does it." }]
[[segment]]
kind = "body_scan"
duration = "4s"
regions = [{ name = "head", weight = 1 }, { name = "feet", weight = 1 }]
[[segment]]
kind = "phrases"
duration = "4s"
phrases = ["May I be at ease"]
every = "2s"
"""


def run(paths: Paths, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), ctx=Context(paths, out=out, err=err))
    return code, out.getvalue(), err.getvalue()


def test_list_shows_bundled_practices(paths: Paths) -> None:
    code, out, _ = run(paths, "list")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("box-breathing "))
    assert "Box breathing" in line and "5m" in line and "bundled" in line and "breath" in line


def test_a_broken_user_file_is_listed_with_its_error_and_hides_nothing(paths: Paths) -> None:
    paths.practices_dir.mkdir(parents=True)
    (paths.practices_dir / "mine.toml").write_text('title = "Mine"\n[[segment]]\nkind = "silence"\nduration = "2m"\n')
    (paths.practices_dir / "broken.toml").write_text('title = "B"\n[[segment]]\nkind = "brething"\nduration = "1m"\n')
    (paths.practices_dir / "box-breathing.toml").write_text('title = "My box"\n[[segment]]\nkind = "silence"\nduration = "1m"\n')
    code, out, _ = run(paths, "list")
    assert code == 0
    assert any(line.startswith("mine ") and "user" in line and "2m" in line for line in out.splitlines())
    assert any(line.startswith("box-breathing ") and "My box" in line and "overrides bundled" in line for line in out.splitlines())
    assert "broken.toml: segment[1].kind: unknown kind 'brething'; did you mean 'breath'?" in out


def test_show_prints_the_outline(paths: Paths) -> None:
    code, out, _ = run(paths, "show", "box-breathing")
    assert code == 0
    assert "Box breathing  (box-breathing, bundled)" in out
    assert "4-4-4-4 (3.75/min), 15 breaths" in out
    assert "start     bowl     at 00:00, 00:04, 00:08" in out


def test_show_json_is_a_stable_document(paths: Paths, tmp_path: Path) -> None:
    file = tmp_path / "tiny.toml"
    file.write_text(TINY)
    code, out, _ = run(paths, "show", str(file), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["format"] == 1 and doc["id"] == "tiny" and doc["total"] == 16
    breath, scan, phrases = doc["segments"]
    assert breath["pattern"] == {"in": 2, "hold": 0, "out": 2, "hold_out": 0, "top_up": 0}
    assert breath["breaths"] == 2 and breath["start"] == 0 and breath["end"] == 8
    assert [r["name"] for r in scan["regions"]] == ["head", "feet"]
    assert scan["regions"][0]["start"] == 8
    assert phrases["phrases"] == ["May I be at ease"] and phrases["every"] == 2
    assert doc["bells"]["times"] == [
        {"t": 0, "sound": "bowl", "role": "start"},
        {"t": 16, "sound": "bowl", "role": "end"},
    ]


def test_an_unknown_id_suggests_the_closest(paths: Paths) -> None:
    code, _, err = run(paths, "show", "box-breathin")
    assert code == 1
    assert "No practice called 'box-breathin'. Did you mean: box-breathing" in err
    code, _, err = run(paths, "run", "box-brething", "--plain")
    assert code == 1 and "box-breathing" in err


def test_validate_exits_0_for_good_files_and_1_with_every_problem(paths: Paths, tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(TINY)
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[[segment]]\nkind = "breath"\nduration = "1m"\npattern = { inhale = 4, out = -1 }\n')
    syntax = tmp_path / "syntax.toml"
    syntax.write_text('title = "x\n')
    code, out, _ = run(paths, "validate", str(good))
    assert code == 0 and out.strip() == f"{good}: ok"
    code, out, _ = run(paths, "validate", str(good), str(bad), str(syntax), str(tmp_path / "nope.toml"))
    assert code == 1
    assert out.splitlines() == [
        f"{good}: ok",
        f"{bad}: segment[1].pattern.inhale: unknown key; did you mean 'in'?",
        f"{bad}: segment[1].pattern.in: is required (seconds for the in-breath)",
        f"{bad}: segment[1].pattern.out: must be a positive number of seconds (got -1)",
        f"{syntax}:1:11: a text in quotes is never closed on this line; add the closing quote",
        f"{tmp_path / 'nope.toml'}: no such file",
    ]


def test_validate_never_shows_a_traceback_for_junk(paths: Paths, tmp_path: Path) -> None:
    junk = tmp_path / "junk.toml"
    junk.write_bytes(bytes(range(256)) * 10)
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    code, out, err = run(paths, "validate", str(junk), str(deep), str(tmp_path))
    assert code == 1
    assert "Traceback" not in out + err
    assert len(out.splitlines()) == 3


def test_plain_run_prints_every_moment_on_time_with_a_fake_clock() -> None:
    timeline = build_timeline(practice_from(TINY))
    clock = FakeClock()
    start = clock.now()
    stamps: list[tuple[float, str]] = []

    class Out(io.StringIO):
        def write(self, text: str) -> int:
            if text.strip():
                stamps.append((round(clock.now() - start, 6), text.strip()))
            return len(text)

    rung: list[tuple[float, str, str]] = []
    practised = run_plain(
        timeline, clock, clock.sleep, Out(), play=lambda s, r: rung.append((clock.now() - start, s, r))
    )
    assert practised == 16
    lines = [text for _, text in stamps]
    assert lines[0] == "Tiny - 00:16. Ctrl+C ends the practice."
    assert "[00:00] == Paced breathing (8s) ==" in lines
    assert "[00:00] Easy does it." in lines
    assert "[00:08] region: head" in lines and "[00:10] region: feet" in lines
    assert "[00:12] “May I be at ease”" in lines
    assert lines[-1] == "[00:16] The practice is complete"
    # Every line is printed when the clock reaches its moment, not before and not after.
    for when, text in stamps[1:]:
        assert text.startswith(f"[{int(when) // 60:02d}:{int(when) % 60:02d}]")
    phases = [(when, text) for when, text in stamps if "breath " in text and "(" in text]
    assert [when for when, _ in phases] == [0, 2, 4, 6]
    assert rung == [(0, "bowl", "start"), (16, "bowl", "end")]


@pytest.mark.slow
def test_plain_run_in_a_real_process_keeps_time_and_ends_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    file = tmp_path / "tiny.toml"
    file.write_text(TINY)
    env = {**os.environ, "COMPANION_HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "companion", "run", str(file), "--plain", "--no-sound"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    import time

    began = None
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        if began is None:
            began = time.monotonic()
        if "region: feet" in line:
            # feet begins 8 + 2 = 10 s in, 6 s before the end; the phase lines before it came
            # on time too.
            break
        if "[00:06]" in line:
            assert 5.8 <= time.monotonic() - began <= 6.5
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "Ended early after" in rest
    assert "Traceback" not in err


def test_validate_reports_a_sound_file_that_cannot_be_played(paths: Paths, tmp_path: Path) -> None:
    paths.sounds_dir.mkdir(parents=True)
    (paths.sounds_dir / "chime.wav").write_text("this is not audio")
    file = tmp_path / "uses.toml"
    file.write_text(
        'title = "x"\n[bells]\nstart = "chime"\n[[segment]]\nkind = "silence"\nduration = "1m"\nchime = "bell"\n'
    )
    code, out, _ = run(paths, "validate", str(file))
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        f"{file}: bells.start: sound 'chime' cannot be played: {paths.sounds_dir / 'chime.wav'} "
        "is not a WAV file pygame can play"
    )
    assert lines[0].endswith("; replace the file or choose another sound")
