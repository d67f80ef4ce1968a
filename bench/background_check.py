"""Measuring a soundscape under the bells on SDL's disk audio driver (tests and bench).

Run in its own process (the mixer is process-wide), with SDL_AUDIODRIVER=disk and
SDL_DISKAUDIOFILE set:

    python bench/background_check.py --out result.json [--scape rain]

It rings a bell on silence, starts the soundscape, rings the same bell over it, pauses the
soundscape, resumes it, mutes and unmutes, speaks a rendered cue over it (--speech-wav) and
stops it, at fixed moments, then reads the mixed samples back and reports: the level (RMS)
of every 50 ms window with its clock time, and the onsets of both bells and of the speech
against the moment each was asked for. The
onset over a background is the first sample louder than four times the loudest sample of
the half second before the call (a bell's strike rises far above any soundscape's grain).
"""

from __future__ import annotations

import argparse
import array
import json
import math
import os
import sys
import threading
import time
import wave
from pathlib import Path

from onsets import THRESHOLD, _SizeLog, fit_line, time_of_sample  # bench/onsets.py beside this file

from companion.paths import Paths
from companion.sound.player import MixerPlayer

# Seconds from the start of the run at which each step is taken.
PLAN = (
    (0.0, "bell"),  # the baseline: a bell on silence
    (6.5, "start"),  # the soundscape fades in over 1.5 s
    (8.0, "bell"),  # the same bell over it
    (15.0, "pause"),  # fades out over 1.5 s
    (17.5, "resume"),
    (19.0, "mute"),
    (19.4, "unmute"),
    (20.5, "speak"),  # a rendered cue on the speech channel (with --speech-wav)
    (23.0, "stop"),
    (25.0, "end"),
)
WINDOW = 0.05  # seconds per RMS window
BELL = "bell"


def floor_before(data: array.array[int], rate: int, start: int) -> int:
    """What a new sound must exceed to be heard as one: 4x the loudest of the half second before."""
    before = data[max(0, start - rate // 2) : start]
    return max(THRESHOLD, 4 * max((abs(x) for x in before), default=0))


def onset_after(data: array.array[int], rate: int, start: int) -> int | None:
    """The first sample after `start` louder than floor_before it."""
    floor = floor_before(data, rate, start)
    for i in range(start, min(len(data), start + rate)):
        if abs(data[i]) > floor:
            return i
    return None


def run(scape: str, volume: float, speech: Path | None = None) -> dict[str, object]:
    """Play the plan on the mixer in real time and return what the disk file shows."""
    raw = Path(os.environ["SDL_DISKAUDIOFILE"])
    raw.unlink(missing_ok=True)
    log = _SizeLog(raw)
    log.start()
    player = MixerPlayer(Paths.from_env(), probe=False)
    player.wait_ready(10.0)
    if not player.available:
        return {"error": player.notice or "no mixer"}
    player.length(BELL)  # loaded before the first strike, as a practice's first bell would be
    waiter = threading.Event()  # never set: the waits below keep to the plan, not sync
    origin = time.monotonic()
    called: dict[str, list[float]] = {}
    for at, step in PLAN:
        waiter.wait(max(0.0, origin + at - time.monotonic()))
        called.setdefault(step, []).append(time.monotonic())
        if step == "bell":
            player.play(BELL, role="interval")
        elif step == "start":
            player.start_background(scape, volume)
        elif step == "pause":
            player.pause_background()
        elif step == "resume":
            player.resume_background()
        elif step == "stop":
            player.stop_background()
        elif step in ("mute", "unmute"):
            player.set_muted(step == "mute")
        elif step == "speak" and speech is not None:
            player.play_speech(speech)
    log.done.set()
    log.join()
    freq = player.frequency
    latency = player.latency
    notice = player.notice
    player.close()
    data = array.array("h")
    data.frombytes(raw.read_bytes()[: (raw.stat().st_size // 2) * 2])
    if sys.byteorder == "big":
        data.byteswap()
    points = [(t, size / 2) for t, size in log.points if size > 0]
    _a, b = fit_line(points)

    def index_at(t: float) -> int:
        near = [p for p in points if abs(p[0] - t) <= 1.0] or points
        a_, b_ = fit_line(near)
        return max(0, int(a_ + b_ * t))

    def late_after(asked: float) -> float | None:
        found = onset_after(data, freq, index_at(asked))
        return None if found is None else time_of_sample(points, found, freq) - asked

    late = [late_after(asked) for asked in called["bell"]]
    speech_late = speech_rise = None
    if speech is not None:
        # Words rise from silence: the file's own time to reach the detection floor is part
        # of the speech, not of the delay, so it is measured in the file and taken off.
        floor = floor_before(data, freq, index_at(called["speak"][0]))
        speech_rise = _rise(speech, floor / max(1e-6, player.volume))
        heard = late_after(called["speak"][0])
        speech_late = None if heard is None or speech_rise is None else heard - speech_rise
    n = int(WINDOW * freq)
    levels = [
        (
            round(time_of_sample(points, i, freq) - origin, 3),
            round(math.sqrt(sum(x * x for x in data[i : i + n]) / n), 1),
        )
        for i in range(0, len(data) - n, n)
    ]
    return {
        "rate": freq,
        "latency": latency,
        "notice": notice,
        "effective_rate": b,
        "plan": [list(p) for p in PLAN],
        "window": WINDOW,  # each level covers [t, t + window)
        "called": {k: [t - origin for t in v] for k, v in called.items()},
        "bell_late": late,
        "speech_late": speech_late,
        "speech_rise": speech_rise,
        "levels": levels,
    }


def _rise(path: Path, level: float) -> float | None:
    """Seconds from the start of a WAV file to its first sample above `level`."""
    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        data = array.array("h")
        data.frombytes(w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        data.byteswap()
    return next((i / rate for i, x in enumerate(data) if abs(x) > level), None)


def main(argv: list[str] | None = None) -> int:
    """Command line: run the plan and write JSON."""
    parser = argparse.ArgumentParser(description="a soundscape under bells on SDL's disk driver")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--scape", default="rain")
    parser.add_argument("--volume", type=float, default=0.5)
    parser.add_argument("--speech-wav", type=Path, default=None, help="a rendered cue to speak")
    args = parser.parse_args(argv)
    result = run(args.scape, args.volume, args.speech_wav)
    args.out.write_text(json.dumps(result, indent=1))
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    raise SystemExit(main())
