"""Spoken guidance: choosing a voice, rendering ahead of time, skipping a cue that is late."""

from __future__ import annotations

import array
import io
import os
import shutil
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.cli import main
from companion.commands import Context
from companion.config import load_config
from companion.paths import Paths
from companion.sound.player import MixerPlayer
from companion.sound.voice import Voice, VoiceCommand, choose_voice, system_voice

ROOT = Path(__file__).resolve().parent.parent
ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed")

FAKE_VOICE = """\
import sys, time, wave
args = sys.argv[1:]
delay = float(args[0]); wav = args[1]
text = args[2] if len(args) > 2 else sys.stdin.read()
time.sleep(delay)  # a slow voice, on purpose
if text == "fail":
    sys.exit("the model file is missing")
with open(wav + ".said", "w") as log:
    log.write(text)
with wave.open(wav, "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
    w.writeframes(b"\\x00\\x10" * 8000)
"""


@pytest.fixture
def fake_voice(tmp_path: Path) -> Path:
    """A voice command that takes DELAY seconds, then writes half a second of sound."""
    script = tmp_path / "fake_voice.py"
    script.write_text(FAKE_VOICE)
    return script


def _fake(script: Path, delay: float, *, text_arg: bool = True) -> VoiceCommand:
    argv = (sys.executable, str(script), str(delay), "{wav}", *(("{text}",) if text_arg else ()))
    return VoiceCommand(argv, "fake voice")


# -- choosing ------------------------------------------------------------------------------


def test_off_is_quiet_and_says_nothing() -> None:
    choice = choose_voice("off")
    assert choice.command is None and choice.notice is None


def test_system_on_linux_is_espeak_ng_at_a_slow_rate_with_text_on_stdin() -> None:
    choice = choose_voice(
        "system", "linux", lambda n: "/usr/bin/espeak-ng" if n == "espeak-ng" else None
    )
    assert choice.command is not None
    assert choice.command.argv == ("/usr/bin/espeak-ng", "-s", "130", "-w", "{wav}")
    assert choice.command.text_on_stdin  # words starting with "-" are never options


def test_system_on_macos_asks_say_for_a_wav_pygame_reads() -> None:
    command = system_voice("darwin", lambda n: "/usr/bin/say" if n == "say" else None)
    assert command is not None
    assert "--data-format=LEI16@22050" in command.argv and "{wav}" in command.argv


def test_system_on_windows_uses_built_in_speech_through_powershell() -> None:
    command = system_voice("win32", lambda n: "C:/ps/powershell.exe" if n == "powershell" else None)
    assert command is not None and command.env_wav
    assert "System.Speech" in command.argv[-1]


def test_no_system_voice_gives_one_clear_notice() -> None:
    choice = choose_voice("system", "linux", lambda n: None)
    assert choice.command is None
    assert choice.notice is not None
    assert "espeak-ng" in choice.notice and "sound cues carry on" in choice.notice


def test_a_missing_voice_command_is_named() -> None:
    choice = choose_voice(("piper-nowhere", "--output_file", "{wav}"), "linux", lambda n: None)
    assert choice.command is None
    assert choice.notice is not None and "piper-nowhere" in choice.notice


# -- rendering ahead of time ---------------------------------------------------------------


def test_a_slow_voice_is_not_ready_in_time_so_the_cue_is_skipped(
    fake_voice: Path, tmp_path: Path
) -> None:
    voice = Voice(_fake(fake_voice, 1.0), tmp_path / "cache")
    voice.prepare(["Soften the jaw"])
    # The cue falls due now, while the voice is still working: not ready, so skip it.
    assert voice.ready("Soften the jaw") is None
    # Rendering carries on, and the next time that line is due it is there.
    path = voice.wait("Soften the jaw", 10.0)
    assert path is not None and path == voice.wav_for("Soften the jaw")
    voice.close()


def test_a_voice_that_takes_too_long_is_stopped_and_noticed_once(
    fake_voice: Path, tmp_path: Path
) -> None:
    voice = Voice(_fake(fake_voice, 5.0), tmp_path / "cache", timeout=0.5)
    assert voice.wait("Rest", 10.0) is None
    assert voice.error("Rest") == "fake voice took longer than 0.5 s"
    assert voice.notice is not None and "skipped" in voice.notice
    assert not any(p.suffix == ".wav" for p in (tmp_path / "cache" / "voice").iterdir())
    voice.close()


def test_text_reaches_the_command_as_an_argument_or_on_stdin(
    fake_voice: Path, tmp_path: Path
) -> None:
    for text_arg in (True, False):
        cache = tmp_path / f"cache-{text_arg}"
        voice = Voice(_fake(fake_voice, 0.0, text_arg=text_arg), cache)
        assert voice.wait("-let the breath be easy", 10.0) is not None
        said = [p.read_text() for p in (cache / "voice").glob("*.said")]
        assert said == ["-let the breath be easy"]
        voice.close()


def test_a_failing_voice_says_why(fake_voice: Path, tmp_path: Path) -> None:
    voice = Voice(_fake(fake_voice, 0.0), tmp_path / "cache")
    assert voice.wait("fail", 10.0) is None
    error = voice.error("fail")
    assert error is not None and "the model file is missing" in error
    voice.close()


@needs_espeak
def test_espeak_ng_renders_a_cue_once_and_the_cache_keeps_it(tmp_path: Path) -> None:
    choice = choose_voice("system")
    assert choice.command is not None
    voice = Voice(choice.command, tmp_path / "cache")
    path = voice.wait("Let the shoulders drop", 20.0)
    assert path is not None
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        assert 0.8 < w.getnframes() / w.getframerate() < 5.0  # slow, but not a crawl
    voice.close()
    again = Voice(choice.command, tmp_path / "cache")
    again.prepare(["Let the shoulders drop"])
    assert again.ready("Let the shoulders drop") == path  # no second rendering
    assert again.render_seconds("Let the shoulders drop") is None
    other = Voice(
        VoiceCommand((*choice.command.argv[:2], "100", *choice.command.argv[3:]), "x"),
        tmp_path / "cache",
    )
    assert other.wav_for("Let the shoulders drop") != path  # another voice, another file


def test_the_voice_module_does_not_import_pygame() -> None:
    code = "import sys, companion.sound.voice; print('pygame' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# -- speech through the mixer --------------------------------------------------------------


@pytest.fixture
def mixer(paths: Paths) -> Iterator[MixerPlayer]:
    """A mixer player opened on SDL's dummy driver (set by conftest)."""
    player = MixerPlayer(paths, probe=False)
    assert player.wait_ready(10.0)
    yield player
    player.close()


def test_speech_plays_on_its_own_channel_and_ducks_the_soundscape(
    mixer: MixerPlayer, fake_voice: Path, tmp_path: Path
) -> None:
    path = Voice(_fake(fake_voice, 0.0), tmp_path / "cache").wait("Rest here", 10.0)
    assert path is not None
    mixer.start_background("rain", 0.3)
    mixer.prepare_speech(path)  # loaded ahead, so the cue starts the moment it is due
    state = mixer._bg_state
    assert state is not None and path in state.speech
    assert mixer.play_speech(path)
    assert state.duck.moving(state.duck.start + 0.4)
    assert not mixer.play_speech(tmp_path / "missing.wav")  # a vanished file: the cue skips
    mixer.set_muted(True)
    assert not mixer.play_speech(path)  # muted: nothing is spoken


# -- the commands --------------------------------------------------------------------------


def _run(paths: Paths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), Context(paths, out=out, err=err))
    return code, out.getvalue(), err.getvalue()


def test_voice_with_the_default_setting_says_it_is_off(paths: Paths) -> None:
    code, out, _err = _run(paths, "voice")
    assert code == 0
    assert 'voice = "off"' in out and "not spoken" in out
    assert str(paths.config_file) in out


def test_voice_reads_the_setting_and_tries_the_command(paths: Paths, fake_voice: Path) -> None:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(
        f'[settings]\nvoice = [{sys.executable!r}, {str(fake_voice)!r}, "0", "{{wav}}"]\n'.replace(
            "'", '"'
        )
    )
    config, notice = load_config(paths)
    assert notice is None and config.voice[-1] == "{wav}"
    code, out, err = _run(paths, "voice")
    assert code == 0, err
    assert "It works" in out and "0.5 s of speech" in out


def test_voice_without_a_voice_says_so_once(paths: Paths) -> None:
    code, _out, err = _run(paths, "voice", "--voice", "no-such-voice {wav}")
    assert code == 1
    assert err.count("\n") == 1 and "no-such-voice" in err


@needs_espeak
@pytest.mark.slow
def test_voice_test_speaks_through_the_mixer(tmp_path: Path) -> None:
    raw = tmp_path / "out.raw"
    env = dict(os.environ)
    env.update(
        SDL_AUDIODRIVER="disk",
        SDL_DISKAUDIOFILE=str(raw),
        COMPANION_HOME=str(tmp_path / "home"),
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "companion",
            "voice",
            "test",
            "Let the shoulders drop",
            "--voice",
            "system",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "It works" in done.stdout
    data = array.array("h")
    data.frombytes(raw.read_bytes()[: raw.stat().st_size // 2 * 2])
    loud = [i for i, x in enumerate(data) if abs(x) > 2000]
    assert loud, "nothing was spoken"
    assert (loud[-1] - loud[0]) / 44_100 > 0.8  # a phrase, not a click


def test_a_cue_on_a_bell_waits_for_its_strike() -> None:
    from companion.sound.voice import STRIKE, place_cues

    cues = [(0.0, "Settle in"), (30.0, "Let the shoulders drop"), (61.0, "Soften the jaw")]
    bells = [0.0, 4.0, 60.0]
    assert place_cues(cues, bells) == [
        (STRIKE, "Settle in"),
        (30.0, "Let the shoulders drop"),
        (60.0 + STRIKE, "Soften the jaw"),
    ]
    # A run of strikes closer together than STRIKE carries the cue past the last one.
    assert place_cues([(0.0, "In")], [0.0, 1.0, 2.0]) == [(2.0 + STRIKE, "In")]
