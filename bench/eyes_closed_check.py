"""A real sitting with eyes closed on SDL's disk audio driver (tests and bench).

Run in its own process (the mixer is process-wide), with SDL_AUDIODRIVER=disk and
SDL_DISKAUDIOFILE set:

    python bench/eyes_closed_check.py PRACTICE.toml --out result.json
        [--background rain] [--eyes-closed] [--voice system] [--pause-at 8 --pause-for 3]

It runs the practice as the app and `run --plain` do: a Sitting with the real clock, the
real mixer, its Chimes thread and the eyes-closed Accompaniment (soundscape, tones, spoken
lines). Every sound the sitting asks for is noted with the moment it was due (its practice
time through the session) and the moment it was asked for. Afterwards the mixed samples
are read back and it reports the level of every 50 ms window on the clock, and for each
bell and spoken line the onset found against the moment it was due.
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
from dataclasses import dataclass
from pathlib import Path

from background_check import _rise, floor_before  # bench/ beside this file
from onsets import _SizeLog, fit_line, time_of_sample

from companion.engine.clock import MonotonicClock
from companion.engine.ear_cues import CueTones
from companion.eyes_closed import Accompaniment, EarChoice
from companion.paths import Paths
from companion.practice.load import load_practice
from companion.sitting import Sitting
from companion.sound.files import sound_names, soundscape_files
from companion.sound.player import MixerPlayer
from companion.sound.voice import make_voice

WINDOW = 0.05


@dataclass
class Asked:
    """One sound the sitting asked for: what, its role, when asked (clock)."""

    name: str
    role: str
    at: float


class Tap(MixerPlayer):
    """The mixer player, noting when each bell, tone and spoken line was asked for."""

    def __init__(self, paths: Paths) -> None:
        super().__init__(paths, probe=False)
        self.asked: list[Asked] = []
        self.spoken_files: dict[float, str] = {}

    def play(self, name: str, role: str = "") -> None:
        """Note, then play."""
        self.asked.append(Asked(name, role, time.monotonic()))
        super().play(name, role=role)

    def play_speech(self, path: Path) -> bool:
        """Note, then speak."""
        now = time.monotonic()
        self.asked.append(Asked(str(path), "speech", now))
        return super().play_speech(path)


def run(args: argparse.Namespace) -> dict[str, object]:
    """Run the practice on the mixer in real time and return what the disk file shows."""
    raw = Path(os.environ["SDL_DISKAUDIOFILE"])
    raw.unlink(missing_ok=True)
    log = _SizeLog(raw)
    log.start()
    paths = Paths.from_env()
    practice = load_practice(args.practice, sounds=sound_names(paths))
    player = Tap(paths)
    player.wait_ready(10.0)
    if not player.available:
        return {"error": player.notice or "no mixer"}
    for name in ("bowl", "bell", "tick", "breath-in", "breath-out", "region", "phrase"):
        player.length(name)  # loaded ahead, as a long practice has them by its second bell
    clock = MonotonicClock()
    sitting = Sitting(practice, clock)
    voice = None
    notice = None
    if args.voice:
        voice, notice = make_voice(args.voice, paths.cache_dir)
    choice = EarChoice(
        background=args.background,
        background_volume=args.volume,
        eyes_closed=args.eyes_closed,
        tones=CueTones.of(practice.sound),
    )
    ears = Accompaniment(
        sitting, player, choice, voice=voice, soundscapes=soundscape_files(paths)
    ).attach()
    if voice is not None and args.warm:  # rendered before the start, as a later day finds them
        from companion.engine.ear_cues import all_spoken_texts

        for text in all_spoken_texts(sitting.timeline):
            voice.wait(text, 30.0)
    wait = threading.Event()
    sitting.begin(player=player)
    origin = sitting.session.practice_time_to_clock(0.0)
    total = sitting.timeline.last_sound_time() + args.tail
    if args.pause_at is not None:
        wait.wait(max(0.0, origin + args.pause_at - time.monotonic()))
        sitting.pause()
        wait.wait(args.pause_for)
        sitting.resume()
    end_clock = sitting.session.practice_time_to_clock(total)
    while time.monotonic() < end_clock:
        wait.wait(min(0.5, end_clock - time.monotonic()))
        sitting.heartbeat()
    sitting.end(completed=True)
    wait.wait(args.after)
    sitting.stop_bells()
    log.done.set()
    log.join()
    freq = player.frequency
    latency = player.latency
    player_notice = player.notice
    volume = player.volume
    player.close()
    data = array.array("h")
    data.frombytes(raw.read_bytes()[: (raw.stat().st_size // 2) * 2])
    if sys.byteorder == "big":
        data.byteswap()
    points = [(t, size / 2) for t, size in log.points if size > 0]
    _a, rate_b = fit_line(points)

    def index_at(t: float) -> int:
        near = [p for p in points if abs(p[0] - t) <= 1.0] or points
        a_, b_ = fit_line(near)
        return max(0, int(a_ + b_ * t))

    def onset(at: float, floor: int) -> float | None:
        start = index_at(at)
        for i in range(start, min(len(data), start + freq)):
            if abs(data[i]) > floor:
                return time_of_sample(points, i, freq)
        return None

    session = sitting.session
    heard: list[dict[str, object]] = []
    due_speech = iter(t for t, _text in ears.spoken)
    for a in player.asked:
        # Due: the schedule's own moment for this sound, through the session (pauses moved).
        item: dict[str, object] = {
            "name": Path(a.name).name if a.role == "speech" else a.name,
            "role": a.role,
            "asked": a.at - origin,
        }
        floor = floor_before(data, freq, index_at(a.at))
        found = onset(a.at, floor)
        if a.role == "speech":
            item["due"] = next(due_speech, None)
            rise = _rise(Path(a.name), floor / max(1e-6, volume))
            item["rise"] = rise
            found = None if found is None or rise is None else found - rise
        item["onset"] = None if found is None else found - origin
        heard.append(item)
    spoken = [{"t": t, "text": text} for t, text in ears.spoken]
    skipped = [{"t": t, "text": text} for t, text in ears.skipped]
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
        "effective_rate": rate_b,
        "notice": player_notice or notice,
        "paused_for": args.pause_for if args.pause_at is not None else 0.0,
        "origin_shift": session.practice_time_to_clock(0.0) - origin,
        "heard": heard,
        "spoken": spoken,
        "skipped": skipped,
        "levels": levels,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: run the practice and write JSON."""
    parser = argparse.ArgumentParser(description="a sitting with eyes closed on the disk driver")
    parser.add_argument("practice", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--background", default=None)
    parser.add_argument("--volume", type=float, default=0.3)
    parser.add_argument("--eyes-closed", action="store_true")
    parser.add_argument("--voice", default=None, help='"system" or a command with {wav}')
    parser.add_argument("--warm", action="store_true", help="render every line before starting")
    parser.add_argument("--pause-at", type=float, default=None)
    parser.add_argument("--pause-for", type=float, default=3.0)
    parser.add_argument("--tail", type=float, default=0.5, help="seconds after the last bell")
    parser.add_argument("--after", type=float, default=2.0, help="seconds after the end")
    args = parser.parse_args(argv)
    result = run(args)
    args.out.write_text(json.dumps(result, indent=1))
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    raise SystemExit(main())
