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

The cue tones for practising with eyes closed are quieter and softer (docs/sounds.md):

tock        a lower, rounder tick: 520 Hz with modes 2.2 and 3.4, 0.3 s, peak -12 dBFS.
breath-in   392 Hz gliding up 26 %/s (to about 494 Hz), soft 0.25 s swell, 1.2 s, -18 dBFS.
breath-out  494 Hz gliding down 21 %/s (to about 392 Hz): the same third, falling.
region      a small chime, 1046 Hz with modes 2.76 and 5.4, 2.5 s, -15 dBFS.
phrase      a warm low tone, 330 Hz with a fifth and an octave, 60 ms swell, 2.5 s, -16 dBFS.
eyes-closed two notes a fifth apart (523 then 785 Hz, 0.22 s later), 1.8 s, -15 dBFS.

A glide turns each oscillator's step by a fixed rotation every sample (still only + and *).
The soundscapes come from tools/synth_soundscapes.py, which rendering everything also runs.
"""

from __future__ import annotations

import argparse
import array
import cmath
import importlib.util
import math
import random
import sys
import wave
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

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
    glide: float = 0.0  # pitch change per second as a fraction of the start (cue tones)


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

# Eyes-closed cue tones: quiet (-12 to -20 dBFS peaks), soft attacks, short.
TOCK = Recipe(
    name="tock",
    base=520.0,
    rate=22_050,
    seconds=0.3,
    partials=(Partial(1.0, 1.0, 0.035), Partial(2.2, 0.45, 0.015), Partial(3.4, 0.2, 0.01)),
    attack=0.002,
    fade=0.12,
    peak_db=-12.0,
    noise=Noise(amp=0.4, tau=0.004, cutoff=800.0, length=0.02),
)

BREATH_IN = Recipe(  # rises a major third over the second: "in"
    name="breath-in",
    base=392.0,
    rate=16_000,
    seconds=1.2,
    partials=(Partial(1.0, 1.0, 0.7, glide=0.26), Partial(2.0, 0.15, 0.4, glide=0.26)),
    attack=0.25,
    fade=0.5,
    peak_db=-18.0,
)

BREATH_OUT = Recipe(  # falls the same third: "out"
    name="breath-out",
    base=494.0,
    rate=16_000,
    seconds=1.2,
    partials=(Partial(1.0, 1.0, 0.7, glide=-0.21), Partial(2.0, 0.15, 0.4, glide=-0.21)),
    attack=0.25,
    fade=0.5,
    peak_db=-18.0,
)

REGION = Recipe(  # a small high chime for each body-scan region
    name="region",
    base=1046.5,
    rate=22_050,
    seconds=2.5,
    partials=(Partial(1.0, 1.0, 0.9), Partial(2.76, 0.3, 0.3), Partial(5.4, 0.1, 0.12)),
    attack=0.004,
    fade=1.2,
    peak_db=-15.0,
)

PHRASE = Recipe(  # a warm low tone for each new phrase
    name="phrase",
    base=330.0,
    rate=16_000,
    seconds=2.5,
    partials=(Partial(1.0, 1.0, 1.2), Partial(1.5, 0.4, 0.9), Partial(2.0, 0.2, 0.7)),
    attack=0.06,
    fade=1.2,
    peak_db=-16.0,
)

EYES_CLOSED = Recipe(  # two notes a fifth apart, the second 0.22 s later: "eyes-closed mode on"
    name="eyes-closed",
    base=523.25,
    rate=22_050,
    seconds=1.8,
    partials=(Partial(1.0, 1.0, 0.7), Partial(1.5, 0.9, 0.7, delay=0.22), Partial(3.0, 0.1, 0.3)),
    attack=0.01,
    fade=0.8,
    peak_db=-15.0,
)

BELLS = (BOWL, BELL, TICK, TINGSHA, GONG)
TONES = (TOCK, BREATH_IN, BREATH_OUT, REGION, PHRASE, EYES_CLOSED)
RECIPES: dict[str, Recipe] = {r.name: r for r in (*BELLS, *TONES)}


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
        if p.glide:
            # Turning the step a little every sample bends the pitch linearly (a chirp).
            bend = cmath.exp(complex(0.0, 2.0 * math.pi * freq * p.glide / (rate * rate)))
            for i in range(start, n):
                out[i] += z.imag
                z *= step
                step *= bend
        elif p.rise > 0:
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
    if not args.names:  # everything: the soundscapes too, into their own folder
        _soundscapes().main(["--out", str(args.out / "soundscapes")])
    return 0


def _soundscapes() -> ModuleType:
    """tools/synth_soundscapes.py, found beside this file (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "synth_soundscapes", Path(__file__).resolve().parent / "synth_soundscapes.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    raise SystemExit(main())
