"""Players: the mixer on SDL's dummy driver, silent and terminal-bell fallbacks, the CLI."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.cli import main
from companion.commands import Context
from companion.paths import Paths
from companion.sound.player import (
    NO_DEVICE,
    MixerPlayer,
    RecordingPlayer,
    SilentPlayer,
    TerminalBellPlayer,
    make_player,
)
from companion.sound.quiet import no_device_here, strip_noise

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter (the mixer is process-wide) with env changes."""
    full = dict(os.environ)
    full.pop("SDL_AUDIODRIVER", None)
    full.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# -- the mixer on the dummy driver -------------------------------------------------------


@pytest.fixture
def mixer(paths: Paths) -> Iterator[MixerPlayer]:
    """A mixer player opened on SDL's dummy driver (set by conftest)."""
    assert os.environ.get("SDL_AUDIODRIVER") == "dummy"
    player = MixerPlayer(paths)
    assert player.wait_ready(10.0)
    yield player
    player.close()


def test_the_mixer_opens_mono_with_a_small_buffer(mixer: MixerPlayer) -> None:
    assert mixer.available
    assert mixer.notice is None
    assert mixer._mixer is not None and mixer._mixer.get_init() == (44_100, -16, 1)
    assert mixer.latency == pytest.approx(512 / 44_100)
    assert mixer.open_seconds is not None and mixer.open_seconds < 2.0


def test_known_sounds_play_without_a_notice(mixer: MixerPlayer) -> None:
    for name in ("bowl", "bell", "tick", "tingsha", "gong"):
        mixer.play(name, role="start")
    assert mixer.notice is None
    assert mixer.busy()
    mixer.stop_all()
    assert mixer.length("bowl") == pytest.approx(12.0, abs=0.01)


def test_an_unknown_sound_plays_the_bowl_with_a_notice(mixer: MixerPlayer) -> None:
    mixer.play("harp")
    assert mixer.notice is not None and "'harp'" in mixer.notice and "bowl" in mixer.notice
    assert mixer.busy()


def test_an_unreadable_user_sound_plays_the_bowl_with_a_notice(paths: Paths) -> None:
    paths.sounds_dir.mkdir(parents=True)
    (paths.sounds_dir / "broken.wav").write_bytes(b"RIFF not really a wave file")
    player = MixerPlayer(paths)
    try:
        assert player.wait_ready(10.0)
        player.play("broken")
        assert player.notice is not None and "'broken'" in player.notice
        assert player.busy()
    finally:
        player.close()


def test_volume_is_clamped_and_mute_silences(mixer: MixerPlayer) -> None:
    mixer.set_volume(1.7)
    assert mixer.volume == 1.0
    mixer.set_volume(-1)
    assert mixer.volume == 0.0
    mixer.set_volume(0.5)
    mixer.play("tick")
    mixer.set_muted(True)
    assert mixer.muted
    assert mixer._mixer is not None
    assert all(mixer._mixer.Channel(i).get_volume() == 0.0 for i in range(4))
    mixer.stop_all()
    mixer.play("bowl")
    assert not mixer.busy()  # muted: nothing new starts
    mixer.set_muted(False)
    mixer.play("tick")
    assert mixer.busy()


def test_a_user_sound_overrides_a_bundled_one(paths: Paths) -> None:
    paths.sounds_dir.mkdir(parents=True)
    (paths.sounds_dir / "bell.wav").write_bytes((paths.bundled_sounds / "tick.wav").read_bytes())
    player = MixerPlayer(paths)
    try:
        assert player.wait_ready(10.0)
        assert player.length("bell") == pytest.approx(0.25, abs=0.01)
    finally:
        player.close()


# -- make_player and the fallbacks -----------------------------------------------------------


def test_no_sound_is_silent_without_a_notice(paths: Paths) -> None:
    player = make_player(paths, enabled=False, volume=0.3, muted=True)
    assert isinstance(player, SilentPlayer)
    assert player.notice is None and player.volume == 0.3 and player.muted
    player.play("bowl", role="start")
    assert player.wait_ready(0)


def test_terminal_bell_rings_only_at_start_and_end() -> None:
    out = io.StringIO()
    player = TerminalBellPlayer(stream=out)
    for role in ("start", "interval", "chime", "phase", "end"):
        player.play("bowl", role=role)
    assert out.getvalue() == "\a\a"
    player.set_muted(True)
    player.play("bowl", role="end")
    assert out.getvalue() == "\a\a"


def test_make_player_with_terminal_bell(paths: Paths) -> None:
    assert isinstance(make_player(paths, terminal_bell=True), TerminalBellPlayer)


def test_recording_player_records_name_time_and_role() -> None:
    player = RecordingPlayer(known={"bowl", "bell"})
    player.play("bell", role="interval")
    player.play("gong")
    assert player.calls == [("bell", 0.0), ("bowl", 0.0)]
    assert [p.role for p in player.played] == ["interval", ""]
    assert player.notice is not None and "'gong'" in player.notice


def test_make_player_returns_at_once_and_opens_in_the_background() -> None:
    done = _python(
        """
        import sys, time
        from companion.paths import Paths
        from companion.sound import make_player
        t = time.perf_counter()
        player = make_player(Paths.under(__import__("pathlib").Path("/tmp/none")))
        made = time.perf_counter() - t
        player.play("bowl", role="start")  # asked for before the mixer is open: queued
        assert player.wait_ready(10.0)
        print(f"{made:.4f} {player.open_seconds:.4f} {player.notice}")
        """,
        SDL_AUDIODRIVER="dummy",
    )
    assert done.returncode == 0, done.stderr
    made, opened, notice = done.stdout.split(maxsplit=2)
    assert float(made) < 0.02  # the first frame is not kept waiting
    assert float(opened) > float(made)
    assert notice.strip() == "None"
    assert done.stderr == ""


def test_a_failing_mixer_gives_silence_a_notice_and_no_stray_text() -> None:
    done = _python(
        """
        from pathlib import Path
        from companion.paths import Paths
        from companion.sound import MixerPlayer
        player = MixerPlayer(Paths.under(Path("/tmp/none")), probe=False)
        assert player.wait_ready(10.0)
        player.play("bowl", role="start")
        print(player.available, player.notice)
        """,
        SDL_AUDIODRIVER="no-such-driver",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"False {NO_DEVICE}"
    assert done.stderr == ""


@pytest.mark.skipif(Path("/dev/snd").exists(), reason="this machine has a sound card")
def test_alsa_complaints_never_reach_the_terminal() -> None:
    # No driver chosen and no card: SDL falls through to ALSA, which prints to fd 2.
    code = """
        from pathlib import Path
        from companion.paths import Paths
        from companion.sound import MixerPlayer
        player = MixerPlayer(Paths.under(Path("/tmp/none")), probe={probe})
        assert player.wait_ready(10.0)
        print(player.available, player.notice)
        """
    for probe in (False, True):  # trying the device, and the probe that skips it
        done = _python(code.format(probe=probe))
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"False {NO_DEVICE}"
        assert done.stderr == ""


def test_stderr_capture_keeps_everything_but_the_audio_noise() -> None:
    done = _python(
        """
        import os
        from companion.sound.quiet import stderr_captured
        with stderr_captured():
            os.write(2, b"ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default\\n")
            os.write(2, b"\\x1b[1;1Hframe\\n")
        os.write(2, b"after\\n")
        """
    )
    assert done.returncode == 0
    assert done.stderr == "\x1b[1;1Hframe\nafter\n"


def test_no_device_here_reads_the_environment() -> None:
    assert not no_device_here({"SDL_AUDIODRIVER": "pulse"})
    assert not no_device_here({"PULSE_SERVER": "tcp:host"})
    if sys.platform.startswith("linux") and not Path("/dev/snd").exists():
        assert no_device_here({})
    assert strip_noise(b"ALSA lib x\nkeep\n  ALSA lib y\n") == b"keep\n"


# -- companion sounds ------------------------------------------------------------------------


def _run(paths: Paths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), Context(paths, out, err))
    return code, out.getvalue(), err.getvalue()


def test_sounds_lists_bundled_and_user_sounds(paths: Paths) -> None:
    paths.sounds_dir.mkdir(parents=True)
    (paths.sounds_dir / "mine.wav").write_bytes((paths.bundled_sounds / "tick.wav").read_bytes())
    code, out, _err = _run(paths, "sounds")
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    for name in ("bowl", "bell", "tick", "tingsha", "gong"):
        assert rows[name][2] == "bundled"
    assert rows["bowl"][1] == "12.0s"
    assert rows["mine"][1:3] == ["0.2s", "user"]


def test_sounds_play_an_unknown_name_suggests_close_ones(paths: Paths) -> None:
    code, _out, err = _run(paths, "sounds", "play", "bwol")
    assert code == 1
    assert "No sound called 'bwol'" in err and "bowl" in err


def test_sounds_play_plays_and_returns(paths: Paths) -> None:
    code, out, err = _run(paths, "sounds", "play", "tick")
    assert (code, err) == (0, "")
    assert out.startswith("Playing tick (0.2s)")


def test_sounds_play_without_a_device_says_so() -> None:
    done = _python(
        "from companion.cli import main; raise SystemExit(main(['sounds', 'play', 'bowl']))",
        SDL_AUDIODRIVER="no-such-driver",
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "No sound device found: cannot play 'bowl'."
