"""Figures for practising with eyes closed: loop seams, voice render times, onsets over a soundscape.

    python bench/soundscapes.py [--runs N] [--json PATH] [--no-audio]

1. The seam of every bundled soundscape (tools/synth_soundscapes.py `seam`): the step from
   the last sample to the first over the median step inside the loop (target: at most 3),
   and the largest step within 10 ms of the join over the same figure elsewhere (about 1).
2. How long the system voice (espeak-ng here) takes to render each spoken line of the
   bundled practices into a fresh cache: median, p95 and max, and the seconds of speech.
3. N runs of bench/background_check.py on SDL's disk driver: a bell's onset on
   silence and over rain (their difference is the cost of the background) and a spoken
   cue's onset over rain, each against the moment it was asked for.

docs/sounds.md and docs/eyes-closed.md quote these figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))


def _tool(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def seams() -> dict[str, dict[str, float]]:
    """Seam figures and size of every bundled soundscape."""
    tool = _tool("synth_soundscapes")
    out: dict[str, dict[str, float]] = {}
    for path in sorted((ROOT / "sounds" / "soundscapes").glob("*.wav")):
        figures = tool.seam(tool.read(path))
        out[path.stem] = {**figures, "bytes": float(path.stat().st_size)}
    return out


def spoken_lines() -> list[str]:
    """Every cue, phrase and prompt text in the bundled practices (each once)."""
    found: list[str] = []

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif (
            isinstance(value, str)
            and key in ("text", "phrases", "prompt", "prompts")
            and value not in found
            and len(value) > 3
        ):
            found.append(value)

    for file in sorted((ROOT / "practices").glob("*.toml")):
        walk(tomllib.loads(file.read_text(encoding="utf-8")))
    return found


def render_times() -> dict[str, Any]:
    """Render every spoken line with the system voice into a fresh cache; time each."""
    from companion.sound.voice import Voice, choose_voice, wav_seconds

    command = choose_voice("system").command
    if command is None:
        return {"error": "no system voice"}
    lines = spoken_lines()
    times: list[float] = []
    speech: list[float] = []
    with tempfile.TemporaryDirectory() as cache:
        voice = Voice(command, Path(cache))
        for line in lines:
            started = time.perf_counter()
            path = voice.wait(line, 30.0)
            times.append(time.perf_counter() - started)
            if path is not None:
                speech.append(wav_seconds(path) or 0.0)
        voice.close()
    times.sort()
    return {
        "voice": command.label,
        "lines": len(lines),
        "median_s": statistics.median(times),
        "p95_s": times[int(0.95 * (len(times) - 1))],
        "max_s": times[-1],
        "speech_median_s": statistics.median(speech) if speech else None,
        "speech_max_s": max(speech) if speech else None,
    }


def onsets(runs: int) -> dict[str, Any]:
    """Bell and speech onsets from `runs` runs of background_check on the disk driver."""
    from companion.sound.voice import Voice, choose_voice

    baseline: list[float] = []
    over: list[float] = []
    spoken: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        extra: list[str] = []
        command = choose_voice("system").command
        if command is not None:
            wav = Voice(command, Path(tmp)).wait("Let the shoulders drop", 30.0)
            extra = ["--speech-wav", str(wav)] if wav else []
        for i in range(runs):
            out = Path(tmp) / f"r{i}.json"
            env = dict(
                os.environ,
                SDL_AUDIODRIVER="disk",
                SDL_DISKAUDIOFILE=str(Path(tmp) / "out.raw"),
                PYGAME_HIDE_SUPPORT_PROMPT="1",
                COMPANION_HOME=str(Path(tmp) / "home"),
            )
            argv = [sys.executable, str(Path(__file__).with_name("background_check.py")), "--out", str(out)]
            subprocess.run([*argv, *extra], env=env, check=True, capture_output=True, timeout=120)
            result = json.loads(out.read_text())
            first, second = result["bell_late"]
            if first is not None and second is not None:
                baseline.append(first * 1000)
                over.append(second * 1000)
            if result.get("speech_late") is not None:
                spoken.append(result["speech_late"] * 1000)
    return {
        "runs": runs,
        "bell_on_silence_ms": baseline,
        "bell_over_rain_ms": over,
        "speech_over_rain_ms": spoken,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the figures; --json writes them too."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-audio", action="store_true", help="skip the disk-driver runs")
    args = parser.parse_args(argv)
    figures: dict[str, Any] = {"seams": seams(), "voice": render_times()}
    for name, f in figures["seams"].items():
        print(
            f"seam {name:<7} join {f['join_ratio']:.2f} x median step (target <= 3); "
            f"near-join max {f['window_ratio']:.2f} x elsewhere; {f['bytes']:.0f} bytes"
        )
    v = figures["voice"]
    if "error" not in v:
        print(
            f"voice {v['voice']}: {v['lines']} lines, render median {v['median_s'] * 1000:.0f} ms, "
            f"p95 {v['p95_s'] * 1000:.0f} ms, max {v['max_s'] * 1000:.0f} ms; "
            f"speech median {v['speech_median_s']:.1f} s, longest {v['speech_max_s']:.1f} s"
        )
    if not args.no_audio:
        o = figures["onsets"] = onsets(args.runs)
        for key in ("bell_on_silence_ms", "bell_over_rain_ms", "speech_over_rain_ms"):
            values = ", ".join(f"{x:.1f}" for x in o[key]) or "-"
            print(f"{key}: {values}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
