"""Synthesise the bundled sounds into sounds/*.wav: deterministic, stdlib only, rerunnable.

    python tools/synth_sounds.py            # rewrite every sound in sounds/
    python tools/synth_sounds.py --out DIR  # write somewhere else (the tests do this)
    python tools/synth_sounds.py bowl tick  # only some of them

Every sound is a sum of exponentially decaying sine partials ("modal synthesis") plus, for
the strike, a short burst of low-passed noise from a fixed seed. Oscillators run as complex
rotations (z *= r * e^(i w)): only + and * after the first sample, so the output is the same
bytes on every IEEE-754 machine, and pure Python renders all five in a few seconds.

Parameters (ratios are to each sound's base frequency; tau is the amplitude's decay time
constant in seconds, so a partial is down 8.7 dB after one tau):

bowl     base 196 Hz (G3), 16 kHz, 12 s. Ratios from the Synthesis ToolKit's Tibetan prayer
         bowl modes, ~1, 2.98, 5.70, 9.0, 12.8, each split into a close pair 0.45-0.78 %
         apart so the two beat slowly (about 0.9 Hz at the fundamental), plus single modes at
         17.3 and 22.0. Fundamental tau 12 s falling to 0.7 s at 22.0; soft felt mallet:
         12 ms raised-cosine attack and a 40 ms low thump of filtered noise.
bell     base 880 Hz (A5), 22.05 kHz, 6 s. Church-bell partials: hum 0.5, prime 1, minor
         third 1.2, fifth 1.5, octave (nominal) 2, then weaker 2.5, 2.67, 3, 4 for the
         shimmer; the hum rings longest (tau 3.5 s). 2 ms attack and a bright noise click.
tick     a soft wooden tick, 22.05 kHz, 0.25 s: three heavily damped modes (1150, 2650,
         4100 Hz, tau 8-25 ms) and a 3 ms noise knock; peak -12 dBFS so it sits quietly.
tingsha  base 2200 Hz, 22.05 kHz, 7 s: two small cymbals, each with modes 1, 2.32, 3.9,
         the second tuned 0.18 % higher so the pair beats at about 4 Hz, struck 3 ms apart.
gong     base 90 Hz, 16 kHz, 11 s: ten inharmonic modes (1 ... 8.6); the upper ones swell in
         over 0.3-1.5 s after the strike, the way a gong blooms, then all decay slowly.

Peaks are normalised to -3 dBFS (tick -12 dBFS); the last seconds fade to zero on a raised
cosine so nothing clicks. Mono 16-bit PCM; every file stays under 400 KB.
"""

from __future__ import annotations

import argparse
import array
import cmath
import math
import random
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOUNDS_DIR = ROOT / "sounds"
SEED = 20240611  # fixed: the noise in the strikes is the same on every run
MAX_BYTES = 400_000


@dataclass(frozen=True)
class Partial:
    """One decaying sine: ratio to the base, amplitude, decay tau, optional swell-in time."""

    ratio: float
    amp: float
    tau: float
    rise: float = 0.0  # seconds for the partial to bloom in after the strike (gong)
    delay: float = 0.0  # seconds after the strike it starts (second tingsha cymbal)


@dataclass(frozen=True)
class Noise:
    """A strike: low-passed noise with a fast decay."""

    amp: float
    tau: float  # decay of the burst in seconds
    cutoff: float  # one-pole low-pass corner in Hz
    length: float  # seconds rendered


@dataclass(frozen=True)
class Recipe:
    """Everything that makes one sound."""

    name: str
    base: float
    rate: int
    seconds: float
    partials: tuple[Partial, ...]
    attack: float  # raised-cosine attack in seconds (a soft mallet is slower)
    fade: float  # raised-cosine fade-out over the last this-many seconds
    peak_db: float
    noise: Noise | None = None


def _pair(ratio: float, split: float, amp: float, tau: float) -> tuple[Partial, Partial]:
    """A bowl mode as two close partials split by `split` (a fraction), beating slowly."""
    return (
        Partial(ratio, amp, tau),
        Partial(ratio * (1.0 + split), amp * 0.8, tau * 0.92),
    )


BOWL = Recipe(
    name="bowl",
    base=196.0,
    rate=16_000,
    seconds=12.0,
    partials=(
        *_pair(1.0, 0.0045, 1.00, 12.0),
        *_pair(2.98, 0.0050, 0.55, 7.0),
        *_pair(5.70, 0.0060, 0.30, 4.0),
        *_pair(9.0, 0.0070, 0.15, 2.5),
        *_pair(12.8, 0.0078, 0.08, 1.6),
        Partial(17.3, 0.04, 1.0),
        Partial(22.0, 0.025, 0.7),
    ),
    attack=0.012,
    fade=3.0,
    peak_db=-3.0,
    noise=Noise(amp=0.08, tau=0.012, cutoff=500.0, length=0.04),
)

BELL = Recipe(
    name="bell",
    base=880.0,
    rate=22_050,
    seconds=6.0,
    partials=(
        Partial(0.5, 0.55, 3.5),  # hum: the longest
        Partial(1.0, 1.00, 2.2),  # prime (strike note)
        Partial(1.0012, 0.25, 2.0),  # a faint doublet: no real bell is perfectly round
        Partial(1.2, 0.50, 1.6),  # minor third (tierce)
        Partial(1.5, 0.35, 1.3),  # fifth (quint)
        Partial(2.0, 0.60, 1.1),  # octave (nominal)
        Partial(2.5, 0.20, 0.6),
        Partial(2.67, 0.15, 0.5),
        Partial(3.0, 0.12, 0.4),
        Partial(4.0, 0.08, 0.3),
    ),
    attack=0.002,
    fade=2.0,
    peak_db=-3.0,
    noise=Noise(amp=0.15, tau=0.004, cutoff=4000.0, length=0.02),
)

TICK = Recipe(
    name="tick",
    base=1150.0,
    rate=22_050,
    seconds=0.25,
    partials=(
        Partial(1.0, 1.0, 0.025),
        Partial(2650 / 1150, 0.6, 0.012),
        Partial(4100 / 1150, 0.3, 0.008),
    ),
    attack=0.0015,
    fade=0.1,
    peak_db=-12.0,
    noise=Noise(amp=0.5, tau=0.003, cutoff=1500.0, length=0.02),
)

TINGSHA = Recipe(
    name="tingsha",
    base=2200.0,
    rate=22_050,
    seconds=7.0,
    partials=(
        Partial(1.0, 1.0, 3.0),
        Partial(2.32, 0.4, 1.2),
        Partial(3.9, 0.2, 0.6),
        # the second cymbal, 0.18 % sharp and a hair late: the pair beats at about 4 Hz
        Partial(1.0018, 0.9, 2.8, delay=0.003),
        Partial(2.32 * 1.0018, 0.35, 1.1, delay=0.003),
        Partial(3.9 * 1.0018, 0.18, 0.55, delay=0.003),
    ),
    attack=0.001,
    fade=2.0,
    peak_db=-3.0,
    noise=Noise(amp=0.1, tau=0.002, cutoff=6000.0, length=0.01),
)

GONG = Recipe(
    name="gong",
    base=90.0,
    rate=16_000,
    seconds=11.0,
    partials=(
        Partial(1.0, 1.00, 9.0),
        Partial(1.52, 0.55, 7.0, rise=0.3),
        Partial(2.03, 0.45, 6.0, rise=0.5),
        Partial(2.44, 0.40, 5.5, rise=0.7),
        Partial(3.07, 0.35, 5.0, rise=0.9),
        Partial(3.65, 0.30, 4.5, rise=1.1),
        Partial(4.20, 0.25, 4.0, rise=1.2),
        Partial(5.30, 0.20, 3.5, rise=1.3),
        Partial(6.80, 0.14, 3.0, rise=1.4),
        Partial(8.60, 0.10, 2.5, rise=1.5),
    ),
    attack=0.02,
    fade=3.0,
    peak_db=-3.0,
    noise=Noise(amp=0.12, tau=0.02, cutoff=300.0, length=0.08),
)

RECIPES: dict[str, Recipe] = {r.name: r for r in (BOWL, BELL, TICK, TINGSHA, GONG)}


def render(recipe: Recipe) -> list[float]:
    """The sound as floats, before normalising."""
    rate = recipe.rate
    n = round(recipe.seconds * rate)
    out = [0.0] * n
    for p in recipe.partials:
        freq = recipe.base * p.ratio
        if freq >= rate / 2:
            raise ValueError(f"{recipe.name}: partial {p.ratio} is above Nyquist")
        step = cmath.exp(complex(-1.0 / (p.tau * rate), 2.0 * math.pi * freq / rate))
        start = round(p.delay * rate)
        z = complex(0.0, 0.0) + p.amp  # starts at phase 0: sin(0) = 0, so no click
        if p.rise > 0:
            grow = math.exp(-1.0 / (p.rise * rate))
            g = 1.0
            for i in range(start, n):
                out[i] += z.imag * (1.0 - g)
                z *= step
                g *= grow
        else:
            for i in range(start, n):
                out[i] += z.imag
                z *= step
    if recipe.noise is not None:
        _add_noise(out, recipe.noise, rate)
    _shape(out, recipe.attack, recipe.fade, rate)
    return out


def _add_noise(out: list[float], noise: Noise, rate: int) -> None:
    rng = random.Random(f"{SEED}")
    alpha = 1.0 - math.exp(-2.0 * math.pi * noise.cutoff / rate)
    decay = math.exp(-1.0 / (noise.tau * rate))
    level, y = noise.amp, 0.0
    for i in range(min(len(out), int(noise.length * rate))):
        y += alpha * (rng.uniform(-1.0, 1.0) - y)
        out[i] += level * y * 4.0  # the low-pass takes most of the level away
        level *= decay


def _shape(out: list[float], attack: float, fade: float, rate: int) -> None:
    """A raised-cosine attack (the mallet) and a raised-cosine fade to true zero at the end."""
    a = max(1, int(attack * rate))
    for i in range(min(a, len(out))):
        out[i] *= 0.5 - 0.5 * math.cos(math.pi * i / a)
    f = max(1, int(fade * rate))
    n = len(out)
    for k in range(min(f, n)):
        out[n - 1 - k] *= 0.5 - 0.5 * math.cos(math.pi * k / f)


def to_pcm(samples: list[float], peak_db: float) -> array.array[int]:
    """Normalise the peak to peak_db dBFS and quantise to 16-bit."""
    peak = max(abs(s) for s in samples) or 1.0
    gain = 32767.0 * 10 ** (peak_db / 20.0) / peak
    pcm = array.array("h", (round(s * gain) for s in samples))
    if sys.byteorder == "big":
        pcm.byteswap()  # WAV is little-endian
    return pcm


def write(recipe: Recipe, out_dir: Path) -> Path:
    """Render one recipe to out_dir/<name>.wav and return the path."""
    pcm = to_pcm(render(recipe), recipe.peak_db)
    path = out_dir / f"{recipe.name}.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(recipe.rate)
        w.writeframes(pcm.tobytes())
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(f"{path} is {size} bytes, over the {MAX_BYTES} limit")
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line: render the named sounds (all by default)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"which sounds (default: {', '.join(RECIPES)})")
    parser.add_argument("--out", type=Path, default=SOUNDS_DIR, help="folder to write into")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in RECIPES]
    if unknown:
        parser.error(f"unknown sound(s): {', '.join(unknown)}; known: {', '.join(RECIPES)}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.names or list(RECIPES):
        path = write(RECIPES[name], args.out)
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
