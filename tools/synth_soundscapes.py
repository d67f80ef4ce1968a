"""Synthesise the bundled soundscapes into sounds/soundscapes/*.wav: deterministic, stdlib only.

    python tools/synth_soundscapes.py             # rewrite every soundscape
    python tools/synth_soundscapes.py --out DIR   # write somewhere else (the tests do this)
    python tools/synth_soundscapes.py rain ocean  # only some of them
    python tools/synth_soundscapes.py --seams     # print the loop-seam figures of the files

(`python tools/synth_sounds.py` runs this too, after the bells.)

Each soundscape is a loop rendered *circularly*, so it has no seam to hide: the noise is a
fixed list of N samples from a seeded generator that wraps around; every filter runs one lap
to settle and a second lap to write, so its state at the last sample leads straight into the
first; every event (a drop, a bubble, a chirp) is added at its index modulo N, so one that
starts near the end finishes at the start; slow swells are functions of t modulo the loop's
length. The sample after the last one is therefore exactly what the synthesis would have
produced next, which is what a crossfade only approximates (an equal-power crossfade of two
stretches of noise also dips in texture half way, and swells by up to 3 dB where they are
alike). Only + and * and a seeded `random.Random` touch samples after the filter
coefficients are set, so the files are the same bytes on every run.

rain    24 s: a bed of white noise band-passed 400 Hz-6 kHz, 2,900 tiny drops (4-9 ms
        bursts of noise high-passed at 900 Hz) and 48 nearer drops (a 1.5-3.5 kHz ping of
        10-22 ms) at random times; the bed breathes with two slow gusts.
stream  24 s: noise band-passed 200 Hz-2.5 kHz whose level wanders on three slow sines, and
        about 1,400 bubbles (decaying sines of 350-1,600 Hz gliding up by 30-80 %: the
        sound of water over stones, after van den Doel's bubble model).
brown   24 s: white noise through a leaky integrator (corner 8 Hz, so -6 dB per octave
        above it), high-passed at 25 Hz so speakers are not asked for rumble.
ocean   30 s: three waves 10 s apart, each a 3.5 s raised-cosine swell and a 2.8 s decay over
        a low wash (noise low-passed twice at 450 Hz) with a breaking hiss (1.2-5 kHz) that
        follows each crest 0.6 s late.
night   24 s: a soft brown-noise bed, a near cricket (4.2 kHz, three-pulse chirps every
        0.8 s) and a far one (4.7 kHz, quieter, every 1.1 s), both with small jitter.

All are 16 kHz mono 16-bit (nothing in them needs more than 8 kHz), normalised to an RMS
of -24 dBFS with the peak held under -3 dBFS, and each file stays under 1 MB.
"""

from __future__ import annotations

import argparse
import array
import cmath
import math
import random
import sys
import wave
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "sounds" / "soundscapes"
RATE = 16_000
SEED = 20261130
RMS_DB = -24.0
PEAK_DB = -3.0
MAX_BYTES = 1_000_000

Signal = list[float]


# -- building blocks (all circular: the output is one period of an endless signal) ---------


def noise(rng: random.Random, n: int) -> Signal:
    """White noise in -1..1 (uniform: plain arithmetic, identical everywhere)."""
    return [rng.random() * 2.0 - 1.0 for _ in range(n)]


def lowpass(x: Signal, cutoff: float) -> Signal:
    """One-pole low-pass, run twice round the loop so it starts in its steady state."""
    a = 1.0 - math.exp(-2.0 * math.pi * cutoff / RATE)
    y = 0.0
    for v in x:  # the settling lap
        y += a * (v - y)
    out = [0.0] * len(x)
    for i, v in enumerate(x):
        y += a * (v - y)
        out[i] = y
    return out


def highpass(x: Signal, cutoff: float) -> Signal:
    """One-pole high-pass: the input less its low-pass."""
    return [v - lo for v, lo in zip(x, lowpass(x, cutoff), strict=True)]


def add_wrapped(buf: Signal, start: int, grain: Signal, gain: float = 1.0) -> None:
    """Add an event into the loop at `start`, wrapping past the end to the beginning."""
    n = len(buf)
    for k, v in enumerate(grain):
        buf[(start + k) % n] += gain * v


def ping(freq: float, tau: float, glide: float = 0.0) -> Signal:
    """A decaying sine from phase 0; `glide` is how far its pitch rises over 3 tau (0.5 = 50 %)."""
    length = int(5.0 * tau * RATE)
    step = cmath.exp(complex(-1.0 / (tau * RATE), 2.0 * math.pi * freq / RATE))
    # Each sample turns the oscillator a little further: a linear upward glide.
    bend = cmath.exp(complex(0.0, 2.0 * math.pi * freq * glide / (3.0 * tau * RATE * RATE)))
    z, out = complex(1.0, 0.0), [0.0] * length
    for i in range(length):
        out[i] = z.imag
        z *= step
        step *= bend
    fade = max(1, length // 5)  # a raised-cosine tail so the grain ends at zero
    for k in range(fade):
        out[length - 1 - k] *= 0.5 - 0.5 * math.cos(math.pi * k / fade)
    return out


def burst(rng: random.Random, tau: float) -> Signal:
    """A short burst of noise decaying with `tau` (a raindrop's tick)."""
    length = int(5.0 * tau * RATE)
    decay = math.exp(-1.0 / (tau * RATE))
    level, out = 1.0, [0.0] * length
    for i in range(length):
        out[i] = level * (rng.random() * 2.0 - 1.0)
        level *= decay
    return out


def periodic(n: int, parts: tuple[tuple[int, float, float], ...]) -> Signal:
    """1 + a sum of sines with whole cycles per loop: (cycles, depth, phase) each."""
    return [
        1.0 + sum(d * math.sin(2.0 * math.pi * c * i / n + p) for c, d, p in parts)
        for i in range(n)
    ]


def poisson_times(rng: random.Random, n: int, per_second: float) -> list[int]:
    """Event start indexes over the loop with exponential gaps."""
    times, t = [], 0.0
    while True:
        t += rng.expovariate(per_second)
        if t * RATE >= n:
            return times
        times.append(int(t * RATE))


# -- the soundscapes -----------------------------------------------------------------------


def rain(rng: random.Random, n: int) -> Signal:
    """Steady rain: a hissing bed, many tiny drops, a few nearer ones."""
    gust = periodic(n, ((1, 0.18, 0.3), (3, 0.08, 1.9)))
    bed = lowpass(highpass(noise(rng, n), 400.0), 6000.0)
    out = [0.35 * b * g for b, g in zip(bed, gust, strict=True)]
    drops = [0.0] * n
    for start in poisson_times(rng, n, 120.0):
        add_wrapped(
            drops, start, burst(rng, rng.uniform(0.0008, 0.0018)), 0.2 + 0.8 * rng.random() ** 3
        )
    for v, i in zip(highpass(drops, 900.0), range(n), strict=True):
        out[i] += 0.5 * v
    for start in poisson_times(rng, n, 2.0):
        tone = ping(rng.uniform(1500.0, 3500.0), rng.uniform(0.002, 0.0045), glide=0.1)
        add_wrapped(out, start, tone, 0.25 + 0.25 * rng.random())
    return out


def stream(rng: random.Random, n: int) -> Signal:
    """Water over stones: a wandering band of noise and many small rising bubbles."""
    level = periodic(n, ((2, 0.2, 0.0), (5, 0.12, 2.1), (11, 0.06, 4.0)))
    bed = lowpass(highpass(noise(rng, n), 200.0), 2500.0)
    out = [0.6 * b * g for b, g in zip(bed, level, strict=True)]
    for start in poisson_times(rng, n, 60.0):
        freq = 350.0 * (1600.0 / 350.0) ** rng.random()  # log-uniform: small bubbles sing higher
        tau = rng.uniform(0.006, 0.016)
        gain = 0.04 + 0.3 * rng.random() ** 2
        add_wrapped(out, start, ping(freq, tau, glide=rng.uniform(0.3, 0.8)), gain)
    return out


def brown(rng: random.Random, n: int) -> Signal:
    """Brown noise: integrated white noise, without the sub-audible rumble."""
    return highpass(lowpass(noise(rng, n), 8.0), 25.0)


def ocean(rng: random.Random, n: int) -> Signal:
    """Waves every 10 s: a low wash that swells and a hiss where each one breaks."""
    seconds = n / RATE
    crests = (3.5, 13.7, 23.4)  # a little uneven, as waves are

    def swell(t: float, late: float = 0.0) -> float:
        total = 0.0
        for crest in crests:
            for wrap in (-seconds, 0.0, seconds):  # each wave also reaches across the join
                d = t - (crest + late + wrap)
                if -3.5 <= d < 0.0:
                    total += 0.5 - 0.5 * math.cos(math.pi * (d + 3.5) / 3.5)
                elif d >= 0.0:
                    total += math.exp(-d / 2.8)
        return total

    wash = lowpass(lowpass(noise(rng, n), 450.0), 450.0)
    hiss = lowpass(highpass(noise(rng, n), 1200.0), 5000.0)
    out = [0.0] * n
    for i in range(n):
        t = i / RATE
        out[i] = 3.0 * wash[i] * (0.25 + swell(t)) + 0.3 * hiss[i] * swell(t, 0.6) ** 2
    return out


def night(rng: random.Random, n: int) -> Signal:
    """A still night: a faint bed and two crickets, one near, one far."""
    out = [0.15 * v for v in highpass(lowpass(noise(rng, n), 60.0), 25.0)]
    for freq, every, gain in ((4200.0, 0.8, 0.5), (4700.0, 1.1, 0.18)):
        pulse = _pulse(freq, 0.014)
        t = rng.uniform(0.0, every)
        while t * RATE < n:
            for p in range(3):
                add_wrapped(out, int((t + p * 0.032) * RATE), pulse, gain)
            t += every * rng.uniform(0.9, 1.1)
    return out


def _pulse(freq: float, length: float) -> Signal:
    """One cricket pulse: a sine under a raised-cosine window."""
    m = int(length * RATE)
    return [
        (0.5 - 0.5 * math.cos(2.0 * math.pi * i / m)) * math.sin(2.0 * math.pi * freq * i / RATE)
        for i in range(m)
    ]


SCAPES: dict[str, tuple[Callable[[random.Random, int], Signal], float]] = {
    "rain": (rain, 24.0),
    "stream": (stream, 24.0),
    "brown": (brown, 24.0),
    "ocean": (ocean, 30.0),
    "night": (night, 24.0),
}


# -- output and the seam figures -----------------------------------------------------------


def render(name: str) -> array.array[int]:
    """One soundscape as 16-bit samples (one period of the loop)."""
    make, seconds = SCAPES[name]
    rng = random.Random(f"{SEED}-{name}")
    x = make(rng, round(seconds * RATE))
    rms = math.sqrt(sum(v * v for v in x) / len(x)) or 1.0
    peak = max(abs(v) for v in x) or 1.0
    gain = min(32767.0 * 10 ** (RMS_DB / 20.0) / rms, 32767.0 * 10 ** (PEAK_DB / 20.0) / peak)
    return array.array("h", (round(v * gain) for v in x))


def write(name: str, out_dir: Path) -> Path:
    """Render one soundscape to out_dir/<name>.wav and return the path."""
    pcm = render(name)
    if sys.byteorder == "big":
        pcm.byteswap()  # WAV is little-endian
    path = out_dir / f"{name}.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(f"{path} is {size} bytes, over the {MAX_BYTES} limit")
    return path


def seam(samples: array.array[int] | list[int], window: int = 160) -> dict[str, float]:
    """How the join compares with the inside of the loop.

    join_ratio: the step from the last sample to the first, over the median step inside.
    window_ratio: the largest step within `window` samples either side of the join, over the
    median of the same figure at 100 places spread through the loop (a seam stands out as
    a larger maximum; for noise the largest of 2*window steps is naturally several medians).
    """
    n = len(samples)
    steps = sorted(abs(samples[i + 1] - samples[i]) for i in range(n - 1))
    median = max(1.0, float(steps[len(steps) // 2]))

    def largest_around(at: int) -> int:
        return max(
            abs(samples[(at + k + 1) % n] - samples[(at + k) % n]) for k in range(-window, window)
        )

    inside = sorted(largest_around(n * j // 101) for j in range(1, 101))
    around_join = largest_around(n - 1)
    typical = max(1.0, float(inside[len(inside) // 2]))
    return {
        "join_step": float(abs(samples[0] - samples[-1])),
        "median_step": median,
        "join_ratio": abs(samples[0] - samples[-1]) / median,
        "window_step": float(around_join),
        "window_typical": typical,
        "window_ratio": around_join / typical,
    }


def read(path: Path) -> array.array[int]:
    """The samples of a mono 16-bit WAV file."""
    with wave.open(str(path), "rb") as w:
        data = array.array("h")
        data.frombytes(w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        data.byteswap()
    return data


def main(argv: list[str] | None = None) -> int:
    """Command line: render the named soundscapes (all by default), or print seam figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"which ones (default: {', '.join(SCAPES)})")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder to write into")
    parser.add_argument("--seams", action="store_true", help="print seam figures, write nothing")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in SCAPES]
    if unknown:
        parser.error(f"unknown soundscape(s): {', '.join(unknown)}; known: {', '.join(SCAPES)}")
    for name in args.names or list(SCAPES):
        if args.seams:
            f = seam(read(args.out / f"{name}.wav"))
            print(
                f"{name:<7} join step {f['join_step']:.0f} / median step {f['median_step']:.0f}"
                f" = {f['join_ratio']:.2f};  largest step near the join {f['window_step']:.0f}"
                f" / typical {f['window_typical']:.0f} = {f['window_ratio']:.2f}"
            )
            continue
        args.out.mkdir(parents=True, exist_ok=True)
        path = write(name, args.out)
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
