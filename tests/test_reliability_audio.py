"""No audio device: the real app in a real terminal (tmux) with no SDL driver chosen.

This machine has no sound card. With SDL_AUDIODRIVER unset SDL would try ALSA, which fails and
prints its complaints on fd 2, the very terminal the app draws on. The app must run, say once
that it is practising in silence, and never let a line from ALSA or SDL reach the screen.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.sound import NO_DEVICE
from tests.support import COMPANION, NEEDS_TMUX, Term, write_paced

pytestmark = [
    pytest.mark.slow,
    NEEDS_TMUX,
    pytest.mark.skipif(Path("/dev/snd").exists(), reason="this machine has a sound card"),
]

NOISE = ("ALSA", "snd_", "SDL", "pcm", "Traceback")
WATCH = 3.0  # seconds of screens checked from the start: the mixer opens (and fails) in these


@pytest.fixture
def terms() -> Iterator[list[Term]]:
    """Every terminal a test opens is closed afterwards, even when the test fails."""
    made: list[Term] = []
    yield made
    for term in made:
        term.close()


def _runtime_dir(tmp_path: Path, stale_server: bool) -> str:
    """An XDG_RUNTIME_DIR; with a stale PulseAudio socket left behind when asked.

    The stale socket makes the app believe a sound server may be there, so it really asks SDL
    for a device, SDL falls through to ALSA and ALSA prints; without it the app knows at once
    that there is no device and never asks.
    """
    folder = tmp_path / "run"
    (folder / "pulse").mkdir(parents=True)
    if stale_server:
        (folder / "pulse" / "native").write_bytes(b"")
    return str(folder)


@pytest.mark.parametrize(
    "stale_server", [False, True], ids=["no-sound-server", "stale-sound-server-socket"]
)
def test_no_audio_device_says_so_once_and_no_audio_text_reaches_the_screen(
    tmp_path: Path, terms: list[Term], stale_server: bool
) -> None:
    home = tmp_path / "home"
    write_paced(home, name="bells")
    # The paced practice with bells, so the app has sounds to play into the missing device.
    file = home / "practices" / "bells.toml"
    file.write_text(file.read_text().replace('"none"', '"bowl"'))
    term = Term(
        tmp_path,
        f"{COMPANION} run bells",
        home=home,
        env={
            "SDL_AUDIODRIVER": None,
            "XDG_RUNTIME_DIR": _runtime_dir(tmp_path, stale_server),
            "PULSE_SERVER": None,
            "PIPEWIRE_REMOTE": None,
            "JACK_DEFAULT_SERVER": None,
        },
    )
    terms.append(term)
    screens: list[str] = []
    deadline = time.monotonic() + WATCH
    while time.monotonic() < deadline:
        screens.append(term.screen())
        # While the app is on the alternate screen, -a shows the normal screen under it: text
        # written there before the app took over would be seen after it leaves.
        screens.append(term.screen("-a"))
        time.sleep(0.05)
    term.wait_for("Breathe in", "Breathe out")  # the practice runs
    term.keys("Escape")
    term.wait_for("Ended early")
    term.keys("q")
    screens.append(term.wait_for("EXIT="))
    screens.append(term.screen("-S", "-"))  # everything, scrolled-off lines too
    assert "EXIT=0" in screens[-1]
    for screen in screens:
        found = [word for word in NOISE if word in screen]
        assert not found, f"{found} on the screen:\n{screen}"
        assert screen.count(NO_DEVICE) <= 1, screen
    assert any(NO_DEVICE in screen for screen in screens), "the app never said it is silent"
