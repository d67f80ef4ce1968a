"""Drift after a simulated hour: the real practice screen, driven by a fake clock at 30 fps.

Run by bench/run.py in a child process (it prints one JSON object); also runnable alone:
`python bench/drift.py [--every N]`.

The fake clock advances by 1/30 s per frame for an hour, so any error that grows with
time (counting ticks, accumulating deltas) would show. The screen is asked to draw every
N-th frame (every frame with --every 1; the default, once a simulated second, keeps the
benchmark short) and each drawn word is checked against the engine's schedule at the exact
frame time. After the hour, the clock creeps forward in 1 ms steps over the next few phase
boundaries: the drift is how many ms after (or before) its scheduled moment the screen's
phase word changed, at 1 ms resolution, so 0 means on time to the millisecond.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import tempfile
import time
import tomllib
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent.parent))

FPS = 30
HOUR = 3600
STEP = Fraction(1, 1000)  # the creep after the hour: 1 ms
BOUNDARIES = 3

# Phase lengths that do not divide an hour or a frame evenly, so boundaries fall between frames.
PRACTICE = """\
title = "Drift"
[bells]
start = "none"
end = "none"
[[segment]]
kind = "breath"
duration = "65m"
pattern = { in = 5.5, hold = 2, out = 6.5 }
"""


class NullJournal:
    """A journal that keeps nothing: an hour of heartbeats would only time SQLite."""

    notice = None

    def recorder(self) -> NullJournal:
        """Itself."""
        return self

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


async def simulate(every: int) -> dict[str, float]:
    """Drive the screen through the hour; the figures as a dict."""
    from companion.config import Config
    from companion.engine.clock import FakeClock
    from companion.engine.timeline import build_timeline
    from companion.paths import Paths
    from companion.practice.load import parse_practice
    from companion.sound.player import SilentPlayer
    from companion.ui.app import make_app
    from companion.ui.screens.practice import PracticeScreen

    practice = parse_practice(
        tomllib.loads(PRACTICE), path="drift.toml", practice_id="drift", sounds=None
    )
    timeline = build_timeline(practice)
    clock = FakeClock(start=1000.0)
    home = Path(tempfile.mkdtemp(prefix="bench-drift-"))
    app = make_app(
        paths=Paths.under(home),
        practice=practice,
        clock=clock,
        player=SilentPlayer(),
        journal=NullJournal(),
        config=Config(),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):
            screen = app.screen
            # Started, and whole: the visuals are mounted after the first frame (issue 18).
            if (
                isinstance(screen, PracticeScreen)
                and screen.sitting.started
                and screen.query("#breath")
            ):
                break
            await pilot.pause()
        else:
            raise RuntimeError("the practice screen never started its session")
        guide: Any = screen.query_one("#breath")

        def shown() -> str:
            screen.tick()
            lines = [line.strip() for line in guide.text_lines if line.strip()]
            words = [w for w in ("Breathe in", "Breathe out", "Hold") if w in lines]
            return words[0] if words else ""

        mismatches = 0
        checked = 0
        started = time.perf_counter()
        frame = 0
        for frame in range(1, HOUR * FPS + 1):
            clock.advance(1 / FPS)  # accumulated in floats, as a real frame loop would
            if frame % every:
                continue
            exact = Fraction(frame, FPS)
            expected = timeline.state_at(float(exact)).breath
            assert expected is not None
            checked += 1
            # A frame within a microsecond of a boundary may honestly go either way.
            if (
                shown() != expected.word
                and abs(float(exact) - _nearest_boundary(timeline, float(exact))) > 1e-6
            ):
                mismatches += 1
            if checked % 300 == 0:
                await pilot.pause()  # let the app digest the updates it was sent
        hour_s = time.perf_counter() - started
        # Creep over the next boundaries in 1 ms steps and see when the word changes.
        now = Fraction(frame, FPS)
        drifts: list[float] = []
        boundaries = [e for e in timeline.events(float(now), float(now) + 60) if e.kind == "phase"]
        for event in boundaries[:BOUNDARIES]:
            target = Fraction(event.t).limit_denominator(1000)
            # Frames up to 50 ms before the boundary, then 1 ms steps.
            while now + Fraction(1, FPS) < target - Fraction(1, 20):
                clock.advance(1 / FPS)
                now += Fraction(1, FPS)
            before = shown()
            expected_step = math.ceil((target - now) / STEP)  # first step at or after the boundary
            step = 0
            while shown() == before:
                clock.advance(float(STEP))
                now += STEP
                step += 1
                if step > 2000:
                    raise RuntimeError(f"the word never changed near {event.t} s")
            if shown() != event.text:
                raise RuntimeError(
                    f"at {event.t} s the screen showed {shown()!r}, not {event.text!r}"
                )
            drifts.append(float((step - expected_step) * STEP * 1000))
        elapsed = clock.now() - (screen.sitting.session.origin or 0.0)
        return {
            "drift_ms": max(abs(d) for d in drifts),
            "drifts_ms": drifts,  # type: ignore[dict-item]
            "step_ms": float(STEP * 1000),
            "frames": frame,
            "frames_checked": checked,
            "mismatches": mismatches,
            "clock_error_ms": (elapsed - float(now)) * 1000,
            "simulated_s": float(now),
            "seconds_taken": hour_s,
        }


def _nearest_boundary(timeline: Any, t: float) -> float:
    """The phase boundary closest to t (from the engine's schedule)."""
    events = [e.t for e in timeline.events(max(0.0, t - 10), t + 10) if e.kind == "phase"]
    return min(events, key=lambda b: abs(b - t)) if events else math.inf


def main() -> int:
    """Print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=FPS, help="draw every N-th frame")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(simulate(max(1, args.every)))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
