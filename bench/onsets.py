"""Measuring when chimes really sound: run a practice on SDL's disk audio driver, find onsets.

Run in its own process (the mixer is process-wide), with SDL_AUDIODRIVER=disk and
SDL_DISKAUDIOFILE set:

    python bench/onsets.py PRACTICE.toml --out result.json [--muted]
        [--pause-at T --pause-for S]

The disk driver writes the mixed samples to a file at about real-time pace, but its pace is
set by whole-millisecond sleeps, so file position is not a clock. A thread therefore polls
the file's size every millisecond; a least-squares line through (monotonic time, samples
written) maps any sample back to the moment it left the mixer. Each sound's onset (first
sample over a threshold after a stretch of quiet) is then compared with the clock time the
session scheduled it for. Used by tests/test_chimes.py and for the figures in docs/sounds.md.
"""

from __future__ import annotations

import argparse
import array
import json
import os
import sys
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from companion.engine.clock import MonotonicClock
from companion.engine.session import Session
from companion.engine.timeline import build_timeline
from companion.paths import Paths
from companion.practice.load import parse_practice
from companion.sound.chimes import Chimes
from companion.sound.player import MixerPlayer

THRESHOLD = 400  # about -38 dBFS: well under a tick's first milliseconds, well over silence
QUIET = 0.1  # seconds below the threshold before a new onset counts


@dataclass
class _Call:
    name: str
    role: str
    at: float
    origin: float


class _Tap(MixerPlayer):
    """The mixer player, noting when each sound was asked for and the session origin then."""

    session: Session | None = None

    def __init__(self, paths: Paths, *, muted: bool) -> None:
        super().__init__(paths, muted=muted, probe=False)
        self.calls: list[_Call] = []

    def play(self, name: str, role: str = "") -> None:
        """Note the call, then play."""
        origin = self.session.origin if self.session and self.session.origin is not None else 0.0
        self.calls.append(_Call(name, role, time.monotonic(), origin))
        super().play(name, role=role)


class _SizeLog(threading.Thread):
    """Polls a file's size every millisecond and keeps the moments it grew."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="size-log", daemon=True)
        self.path = path
        self.points: list[tuple[float, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        last = -1
        while not self.done.wait(0.001):
            try:
                size = self.path.stat().st_size
            except OSError:
                continue
            if size != last:
                self.points.append((time.monotonic(), size))
                last = size


def find_onsets(samples: array.array[int], rate: int, threshold: int = THRESHOLD) -> list[int]:
    """Indexes of samples that cross the threshold after at least QUIET seconds below it."""
    quiet_needed = int(QUIET * rate)
    onsets: list[int] = []
    quiet = quiet_needed  # the file starts in silence
    for i, x in enumerate(samples):
        if x > threshold or x < -threshold:
            if quiet >= quiet_needed:
                onsets.append(i)
            quiet = 0
        else:
            quiet += 1
    return onsets


def fit_line(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares y = a + b x through the points; returns (a, b)."""
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    sxy = sum((p[0] - mx) * (p[1] - my) for p in points)
    b = sxy / sxx
    return my - b * mx, b


def time_of_sample(points: list[tuple[float, float]], index: int, rate: int) -> float:
    """When sample `index` was written: a line through the size log within a second of it.

    The disk driver's pace wanders by a few milliseconds over seconds, so a local fit follows
    it better than one line through the whole run.
    """
    near = [p for p in points if abs(p[1] - index) <= rate]
    if len(near) < 4:
        near = points
    a, b = fit_line(near)
    return (index - a) / b


def _residuals(points: list[tuple[float, float]], a: float, b: float) -> list[float]:
    """Min, median and max of the fit's residuals in milliseconds (how steady the file grew)."""
    res = sorted(((y - a) / b - x) * 1000 for x, y in points)
    return [res[0], res[len(res) // 2], res[-1]] if res else []


def measure(
    toml_text: str, *, muted: bool, pause_at: float | None, pause_for: float
) -> dict[str, object]:
    """Run the practice in real time on the mixer and return schedule, onsets and figures."""
    raw = Path(os.environ["SDL_DISKAUDIOFILE"])
    raw.unlink(missing_ok=True)  # a stale file's size would poison the first points
    log = _SizeLog(raw)
    log.start()
    paths = Paths.from_env()
    practice = parse_practice(tomllib.loads(toml_text), path="<measure>", practice_id="measure")
    timeline = build_timeline(practice)
    clock = MonotonicClock()
    mixer = tap = _Tap(paths, muted=muted)
    mixer.wait_ready(10.0)
    if not mixer.available:
        return {"error": mixer.notice or "no mixer"}
    for name in {s.sound for s in timeline.sounds(0.0, timeline.last_sound_time() + 1e-6)}:
        mixer.length(name)  # load before the practice starts, as the app's first bell would be
    session = Session(timeline, clock)
    tap.session = session
    chimes = Chimes(timeline, session, tap, clock)
    pause_seconds = 0.0
    waiter = threading.Event()  # never set: waits below are timed, not synchronisation
    session.start()
    chimes.start()
    if pause_at is not None:
        waiter.wait(max(0.0, session.practice_time_to_clock(pause_at) - clock.now()))
        paused_at = clock.now()
        session.pause()
        chimes.sync()
        waiter.wait(pause_for)
        session.resume()
        chimes.sync()
        pause_seconds = clock.now() - paused_at
    last = session.practice_time_to_clock(timeline.last_sound_time())
    waiter.wait(max(0.0, last - clock.now()) + 0.6)  # let the final sound ring out
    chimes.stop()
    log.done.set()
    log.join()
    freq, _fmt, channels = mixer._mixer.get_init() if mixer._mixer is not None else (0, 0, 0)
    latency = mixer.latency
    mixer.close()
    data = array.array("h")
    data.frombytes(raw.read_bytes()[: (raw.stat().st_size // 2) * 2])
    if sys.byteorder == "big":
        data.byteswap()
    points = [(t, size / 2 / max(1, channels)) for t, size in log.points if size > 0]
    a, b = fit_line(points)
    onsets = [time_of_sample(points, i, freq) for i in find_onsets(data, freq)]
    sounds = timeline.sounds(0.0, timeline.last_sound_time() + 1e-6)
    scheduled = sorted({round(c.origin + s.t, 6) for c, s in zip(tap.calls, sounds, strict=False)})
    late_ms = [(o - s) * 1000 for s, o in zip(scheduled, onsets, strict=False)]
    return {
        "late_ms": late_ms if len(onsets) == len(scheduled) else None,
        "rate": freq,
        "channels": channels,
        "effective_rate": b,
        "latency": latency,
        "open_seconds": mixer.open_seconds,
        "pause_seconds": pause_seconds,
        "scheduled": scheduled,
        "called": [c.at for c in tap.calls],
        "onsets": onsets,
        "peak": max((abs(x) for x in data), default=0),
        "samples": len(data),
        "residual_ms": _residuals(points, a, b),
        "points": points if os.environ.get("COMPANION_ONSET_POINTS") else [],
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: measure one practice file and write JSON."""
    parser = argparse.ArgumentParser(description="measure chime onsets on SDL's disk driver")
    parser.add_argument("practice", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--muted", action="store_true")
    parser.add_argument("--pause-at", type=float, default=None)
    parser.add_argument("--pause-for", type=float, default=0.0)
    args = parser.parse_args(argv)
    result = measure(
        args.practice.read_text(),
        muted=args.muted,
        pause_at=args.pause_at,
        pause_for=args.pause_for,
    )
    args.out.write_text(json.dumps(result, indent=1))
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    raise SystemExit(main())
