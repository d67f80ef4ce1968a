"""The soundscapes and cue tones: reproducible, small, seamless loops, and tones that differ."""

from __future__ import annotations

import array
import importlib.util
import sys
import wave
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOUNDS = ROOT / "sounds"
SCAPES = ("rain", "stream", "brown", "ocean", "night")
TONES = ("tock", "breath-in", "breath-out", "region", "phrase", "eyes-closed")


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look the module up while defining
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scapes() -> ModuleType:
    """tools/synth_soundscapes.py as a module."""
    return _load("synth_soundscapes")


@pytest.fixture(scope="module")
def synth() -> ModuleType:
    """tools/synth_sounds.py as a module."""
    return _load("synth_sounds")


def _samples(path: Path) -> tuple[array.array[int], int]:
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        data = array.array("h")
        data.frombytes(w.readframes(w.getnframes()))
        rate = w.getframerate()
    if sys.byteorder == "big":
        data.byteswap()
    return data, rate


@pytest.mark.parametrize("name", SCAPES)
def test_committed_soundscape_matches_a_fresh_render(
    scapes: ModuleType, tmp_path: Path, name: str
) -> None:
    committed, rate = _samples(SOUNDS / "soundscapes" / f"{name}.wav")
    fresh, fresh_rate = _samples(scapes.write(name, tmp_path))
    assert rate == fresh_rate == 16_000
    assert len(committed) == len(fresh)
    # Byte-identical on this machine; allow one step of rounding on a different libm.
    assert max(abs(a - b) for a, b in zip(committed, fresh, strict=True)) <= 1


@pytest.mark.parametrize("name", SCAPES)
def test_each_soundscape_loops_without_a_seam(scapes: ModuleType, name: str) -> None:
    path = SOUNDS / "soundscapes" / f"{name}.wav"
    assert path.stat().st_size <= 1_000_000
    data, _rate = _samples(path)
    seam = scapes.seam(data)
    # The step from the last sample back to the first is an ordinary step ...
    assert seam["join_ratio"] <= 3.0, seam
    # ... and nothing near the join is steeper than elsewhere in the loop.
    assert seam["window_ratio"] <= 1.5, seam


def test_the_seam_measure_finds_a_cut_loop(scapes: ModuleType) -> None:
    data, _rate = _samples(SOUNDS / "soundscapes" / "brown.wav")
    # Brown noise cut at two unrelated places and joined: the kind of loop a crossfade avoids.
    cut = data[: len(data) // 2] + data[len(data) // 2 + 4001 :]
    rolled = cut[len(data) // 2 :] + cut[: len(data) // 2]
    assert scapes.seam(rolled)["window_ratio"] > scapes.seam(data)["window_ratio"]


@pytest.mark.parametrize("name", TONES)
def test_committed_tone_matches_a_fresh_render(
    synth: ModuleType, tmp_path: Path, name: str
) -> None:
    committed, _rate = _samples(SOUNDS / f"{name}.wav")
    fresh, _ = _samples(synth.write(synth.RECIPES[name], tmp_path))
    assert max(abs(a - b) for a, b in zip(committed, fresh, strict=True)) <= 1
    peak = max(abs(x) for x in committed) / 32767
    target = 10 ** (synth.RECIPES[name].peak_db / 20)
    assert target * 0.97 <= peak <= target * 1.01 <= 10 ** (-12 / 20) * 1.01  # all quiet
    assert committed[0] == 0 and all(abs(x) <= 1 for x in committed[-8:])


def _pitch(name: str, start: float, end: float) -> float:
    """Upward zero crossings per second between two times: the tone's pitch there."""
    data, rate = _samples(SOUNDS / f"{name}.wav")
    part = data[int(start * rate) : int(end * rate)]
    ups = sum(1 for i in range(1, len(part)) if part[i - 1] < 0 <= part[i])
    return ups / (end - start)


def test_the_in_breath_tone_rises_and_the_out_breath_tone_falls() -> None:
    assert _pitch("breath-in", 0.7, 0.9) > _pitch("breath-in", 0.1, 0.3) * 1.1
    assert _pitch("breath-out", 0.7, 0.9) < _pitch("breath-out", 0.1, 0.3) / 1.1


def test_tock_is_lower_than_tick() -> None:
    assert _pitch("tock", 0.0, 0.05) < _pitch("tick", 0.0, 0.05) * 0.7
