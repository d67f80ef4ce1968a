"""The synthesis script: deterministic, small files, and a bowl whose spectrum is a bowl's."""

from __future__ import annotations

import array
import importlib.util
import math
import sys
import wave
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "synth_sounds.py"
SOUNDS = ROOT / "sounds"
NAMES = ("bowl", "bell", "tick", "tingsha", "gong")
BOWL_RATIOS = (1.0, 2.98, 5.70, 9.0, 12.8, 17.3, 22.0)


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synth_sounds", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["synth_sounds"] = module  # dataclasses look the module up while defining
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synth() -> ModuleType:
    """tools/synth_sounds.py as a module."""
    return _load_script()


@pytest.fixture(scope="module")
def rendered(synth: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every sound rendered afresh into a temporary folder."""
    out = tmp_path_factory.mktemp("sounds")
    assert synth.main(["--out", str(out)]) == 0
    return out


def _samples(path: Path) -> tuple[array.array[int], int]:
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 1
        assert w.getsampwidth() == 2
        data = array.array("h")
        data.frombytes(w.readframes(w.getnframes()))
        rate = w.getframerate()
    if sys.byteorder == "big":
        data.byteswap()
    return data, rate


@pytest.mark.parametrize("name", NAMES)
def test_committed_file_matches_a_fresh_render(rendered: Path, name: str) -> None:
    committed, rate = _samples(SOUNDS / f"{name}.wav")
    fresh, fresh_rate = _samples(rendered / f"{name}.wav")
    assert rate == fresh_rate
    assert len(committed) == len(fresh)
    # Byte-identical on this machine; allow one step of rounding on a different libm.
    assert max(abs(a - b) for a, b in zip(committed, fresh, strict=True)) <= 1


def test_rendering_twice_gives_the_same_bytes(synth: ModuleType, tmp_path: Path) -> None:
    first = synth.write(synth.RECIPES["tick"], tmp_path)
    data = first.read_bytes()
    second = synth.write(synth.RECIPES["tick"], tmp_path)
    assert second.read_bytes() == data


@pytest.mark.parametrize("name", NAMES)
def test_each_file_is_small_mono_and_fades_to_silence(name: str) -> None:
    path = SOUNDS / f"{name}.wav"
    assert path.stat().st_size <= 400_000
    data, _rate = _samples(path)
    assert data[0] == 0
    assert all(abs(x) <= 1 for x in data[-8:])
    peak = max(abs(x) for x in data) / 32767
    target = 10 ** ((-12.0 if name == "tick" else -3.0) / 20)
    assert target * 0.97 <= peak <= target * 1.01


def _magnitude(window: list[float], freq: float, rate: int) -> float:
    """Goertzel: the DFT magnitude of the window at one frequency."""
    w = 2 * math.pi * freq / rate
    coeff = 2 * math.cos(w)
    s1 = s2 = 0.0
    for x in window:
        s1, s2 = x + coeff * s1 - s2, s1
    return math.sqrt(max(0.0, s1 * s1 + s2 * s2 - coeff * s1 * s2))


def _nearest(partials: list[float], freq: float) -> float:
    return min(partials, key=lambda p: abs(p - freq))


def test_bowl_peaks_sit_on_the_documented_partials(synth: ModuleType) -> None:
    data, rate = _samples(SOUNDS / "bowl.wav")
    base = synth.BOWL.base
    n = 2048
    start = rate // 4  # after the mallet's thump, while the upper partials still ring
    window = [data[start + i] * (0.5 - 0.5 * math.cos(2 * math.pi * i / (n - 1))) for i in range(n)]
    step = rate / n
    grid = [step * k for k in range(int(80 / step), int(4600 / step))]
    mags = [_magnitude(window, f, rate) for f in grid]
    peaks = [
        (mags[i], grid[i])
        for i in range(1, len(grid) - 1)
        if mags[i] > mags[i - 1] and mags[i] >= mags[i + 1]
    ]
    strongest = sorted(peaks, reverse=True)[:7]
    partials = [base * r for r in BOWL_RATIOS]
    for _mag, freq in strongest:
        nearest = min(partials, key=lambda p: abs(p - freq))
        assert abs(freq - nearest) / nearest < 0.03, (freq, nearest)
    # The strongest peaks are the lowest modes (an upper pair may resolve into two peaks).
    found: list[float] = []
    for _mag, freq in sorted(peaks, reverse=True):
        nearest = _nearest(partials, freq)
        if nearest not in found:
            found.append(nearest)
    assert sorted(found[:5]) == partials[:5]
