"""Practising with eyes closed: the [sound] table, the tones, the soundscape with a sitting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from companion.config import Config
from companion.engine.clock import FakeClock
from companion.engine.ear_cues import CueTones, eyes_closed_sounds, spoken_lines
from companion.engine.timeline import build_timeline
from companion.eyes_closed import Accompaniment, EarChoice, accompaniment_of, accompany
from companion.paths import Paths
from companion.practice.errors import PracticeError
from companion.sitting import Sitting
from companion.sound.player import RecordingPlayer
from tests.support.practices import practice_from

ROOT = Path(__file__).resolve().parent.parent
TONES = frozenset({"bowl", "bell", "tick", "breath-in", "breath-out", "region", "phrase"})
SCAPES = ("brown", "night", "ocean", "rain", "stream")

BREATH = """
title = "Box"
[bells]
start_strikes = 1
end_strikes = 1
[[segment]]
kind = "breath"
duration = "16s"
pattern = { in = 3, hold = 2, out = 3 }
[[segment]]
kind = "body_scan"
duration = "12s"
regions = ["head", "shoulders", "hands"]
prompts = ["Notice what is here."]
[[segment]]
kind = "phrases"
duration = "12s"
every = "6s"
phrases = ["May I be safe", "May I be well"]
"""


def _parse(text: str) -> object:
    import tomllib

    from companion.practice.load import parse_practice

    return parse_practice(
        tomllib.loads(text),
        path="p.toml",
        practice_id="p",
        sounds=TONES,
        soundscapes=frozenset(SCAPES),
    )


# -- the [sound] table ----------------------------------------------------------------------
def test_a_practice_chooses_its_soundscape_level_mode_and_tones() -> None:
    practice = _parse(
        'title = "T"\n[sound]\nbackground = "rain"\nbackground_volume = 0.2\n'
        'eyes_closed = true\nregion = "bell"\nphrase = "none"\n'
        '[[segment]]\nkind = "silence"\nduration = "1m"\n'
    )
    sound = practice.sound  # type: ignore[attr-defined]
    assert (sound.background, sound.background_volume, sound.eyes_closed) == ("rain", 0.2, True)
    assert (sound.region, sound.phrase, sound.breath_in) == ("bell", "none", None)


def test_every_mistake_in_the_sound_table_is_named_with_its_place() -> None:
    with pytest.raises(PracticeError) as caught:
        _parse(
            'title = "T"\n[sound]\nbackground = "rian"\nbackground_volume = 2\n'
            'eyes_closd = true\nregion = "bowel"\n'
            '[[segment]]\nkind = "silence"\nduration = "1m"\n'
        )
    said = "\n".join(str(p) for p in caught.value.problems)
    assert "sound.background: unknown soundscape 'rian'; did you mean 'rain'?" in said
    assert "sound.background_volume: must be a number from 0.0 to 1.0" in said
    assert "sound.eyes_closd: unknown key; did you mean 'eyes_closed'?" in said
    assert "sound.region: unknown sound 'bowel'; did you mean 'bowl'?" in said


def test_off_means_no_soundscape_even_when_the_settings_have_one() -> None:
    practice = practice_from(
        'title = "T"\n[sound]\nbackground = "off"\n[[segment]]\nkind = "silence"\nduration = "1m"\n'
    )
    sitting = Sitting(practice, FakeClock())
    assert EarChoice.of(sitting, Config(background="rain")).background is None


# -- the tones, read off the timeline -------------------------------------------------------
def test_tones_mark_in_and_out_breaths_regions_phrases_and_segments_and_holds_are_silent() -> None:
    timeline = build_timeline(practice_from(BREATH))
    sounds = [(s.t, s.sound) for s in eyes_closed_sounds(timeline, 0.0, 40.0, CueTones())]
    breath = [(t, name) for t, name in sounds if t < 16]
    # in 3, hold 2, out 3: in at 0 and 8, out at 5 and 13; the holds (3, 11) ring nothing
    assert breath == [
        (0.0, "breath-in"),
        (5.0, "breath-out"),
        (8.0, "breath-in"),
        (13.0, "breath-out"),
    ]
    assert (16.0, "bell") in sounds and (28.0, "bell") in sounds  # each segment change
    regions = [t for t, name in sounds if name == "region"]
    assert len(regions) == 2 and all(16 < t < 28 for t in regions)  # not on the segment's own start
    assert [t for t, name in sounds if name == "phrase"] == [34.0]


def test_tones_are_the_same_whichever_windows_they_are_asked_in() -> None:
    timeline = build_timeline(practice_from(BREATH))
    whole = eyes_closed_sounds(timeline, 0.0, 40.0, CueTones())
    pieces = [s for t in range(40) for s in eyes_closed_sounds(timeline, t, t + 1.0, CueTones())]
    assert pieces == whole


def test_lines_packed_closer_than_they_can_be_said_are_left_out_not_said_late() -> None:
    words = " ".join(["word"] * 20)  # about 9 s to say
    cues = ", ".join(f'{{ at = "{t}s", text = "{words} {t}" }}' for t in range(10, 20))
    timeline = build_timeline(
        practice_from(
            f'title = "T"\n[[segment]]\nkind = "silence"\nduration = "60s"\ncues = [{cues}]\n'
        )
    )
    lines = spoken_lines(timeline, 0.0, 60.0)
    # 21 words each: the second line said is the first that waits no more than 8 s
    assert [at for at, _text in lines] == [10.0, pytest.approx(10.0 + 21 / (130 / 60) + 0.6)]
    assert all(at - int(text.split()[-1]) <= 8.0 for at, text in lines)


def test_spoken_lines_wait_for_a_strike_and_for_each_other() -> None:
    practice = practice_from(
        'title = "T"\n[[segment]]\nkind = "silence"\nduration = "30s"\n'
        'cues = [{ at = "0s", text = "Settle." }, { at = "10s", text = "One two three four five six." },'
        ' { at = "11s", text = "Then this." }]\n'
    )
    timeline = build_timeline(practice)
    lines = spoken_lines(timeline, 0.0, 30.0)
    assert lines[0] == (1.5, "Settle.")  # the start bell's strike first
    assert lines[1] == (10.0, "One two three four five six.")
    assert lines[2][0] > 12.0  # after the line before has been said
    pieces = [line for t in range(30) for line in spoken_lines(timeline, t, t + 1.0)]
    assert pieces == lines


# -- a sitting with its accompaniment (recording player, fake clock) -------------------------
def _sitting(
    text: str = BREATH, *, eyes: bool = True
) -> tuple[Sitting, RecordingPlayer, Accompaniment, FakeClock]:
    clock = FakeClock()
    practice = practice_from(text)
    player = RecordingPlayer(clock)
    sitting = Sitting(practice, clock)
    choice = EarChoice("rain", 0.3, eyes, CueTones())
    ears = Accompaniment(sitting, player, choice, soundscapes=SCAPES).attach()
    return sitting, player, ears, clock


def test_the_soundscape_starts_with_the_sitting_fades_with_pause_and_stops_at_the_end() -> None:
    sitting, player, _ears, clock = _sitting()
    sitting.begin(player=player)
    clock.advance(4.0)
    sitting.pause()
    clock.advance(2.0)
    sitting.resume()
    clock.advance(4.0)
    sitting.end(completed=False)
    seen = [(e.action, e.name, e.time - 1000.0) for e in player.background_events]
    assert seen == [
        ("start", "rain", 0.0),
        ("pause", "rain", 4.0),
        ("resume", "rain", 6.0),
        ("stop", "rain", 10.0),
    ]


def test_the_bell_thread_rings_the_tones_with_the_bells_in_eyes_closed_mode() -> None:
    sitting, player, _ears, _clock = _sitting()
    sitting.begin(player=player)
    chimes = sitting.chimes
    assert chimes is not None
    chimes.play_due(14.0)
    rung = [(p.name, p.role, p.time - 1000.0) for p in player.played]
    names = [name for name, _role, _t in rung]
    assert names[:2] == ["bowl", "breath-in"] or names[:2] == ["breath-in", "bowl"]
    assert [n for n in names if n.startswith("breath")] == [
        "breath-in",
        "breath-out",
        "breath-in",
        "breath-out",
    ]
    assert all(role == "phase" for name, role, _t in rung if name.startswith("breath"))
    sitting.end(completed=False)


def test_without_bells_of_the_sittings_own_the_tones_get_a_thread_on_the_same_clock() -> None:
    # --plain: the runner rings each bell with its line, so the sitting has no player.
    sitting, player, ears, clock = _sitting()
    sitting.begin()
    thread = ears.thread
    assert sitting.chimes is None and thread is not None and thread.running
    thread.play_due(14.0)
    assert [p.name for p in player.played] == ["breath-in", "breath-out", "breath-in", "breath-out"]
    clock.advance(14.0)
    sitting.pause()
    clock.advance(30.0)  # paused: the tones wait with the practice
    assert thread.play_due(44.0) == []
    sitting.resume()
    sitting.end(completed=False)
    assert ears.thread is None and not thread.running


def test_the_e_key_turns_the_tones_on_from_now_with_its_own_tone_and_off_again() -> None:
    sitting, player, ears, clock = _sitting(eyes=False)
    sitting.begin(player=player)
    chimes = sitting.chimes
    assert chimes is not None
    chimes.play_due(7.0)
    assert [p.name for p in player.played] == ["bowl"]  # eyes open: the bells alone
    clock.advance(7.0)
    assert "tones" in ears.toggle_eyes_closed()
    assert player.played[-1].name == "eyes-closed"
    chimes.play_due(14.0)  # from 7 s on: nothing from before the key rings late
    later = [p.name for p in player.played[2:]]
    assert later == ["breath-in", "breath-out"]  # 8 s and 13 s
    ears.toggle_eyes_closed()
    chimes.play_due(25.0)
    assert player.played[4:] == []  # eyes open again: no segment tone, no region tones
    sitting.end(completed=False)


def test_the_a_key_cycles_soundscapes_then_off_and_stays_paused_while_paused() -> None:
    sitting, player, ears, _clock = _sitting()
    sitting.begin(player=player)
    assert accompaniment_of(sitting) is ears
    assert ears.cycle_background() == "Soundscape: stream."
    assert ears.cycle_background() == "Soundscape off."
    assert player.background is None
    sitting.pause()
    assert ears.cycle_background() == "Soundscape: brown."
    assert [e.action for e in player.background_events][-2:] == ["start", "pause"]
    sitting.end(completed=False)


def test_settings_choose_when_the_practice_does_not_and_a_missing_voice_is_said_once(
    paths: Paths,
) -> None:
    practice = practice_from(BREATH)
    sitting = Sitting(practice, FakeClock())
    player = RecordingPlayer(FakeClock())
    config = Config(
        background="ocean",
        background_volume=0.5,
        eyes_closed=True,
        voice=("no-such-voice", "{wav}"),
    )
    ears, notice = accompany(sitting, player, config, paths)
    assert ears.choice.background == "ocean" and ears.choice.background_volume == 0.5
    assert ears.eyes_closed
    assert notice is not None and "no-such-voice" in notice and "carry on" in notice
    assert ears.voice is None


# -- the real mixer, through SDL's disk driver ---------------------------------------------
@pytest.mark.slow
def test_rain_under_a_real_sitting_pauses_and_tones_rise_above_it(tmp_path: Path) -> None:
    toml = tmp_path / "tones.toml"
    toml.write_text(
        'title = "Tones"\n[bells]\nstart = "tick"\nstart_strikes = 1\nend = "tick"\nend_strikes = 1\n'
        '[sound]\nsegment = "tick"\n'  # short, so the region tones after it rise from the rain
        '[[segment]]\nkind = "breath"\nduration = "16s"\npattern = { in = 3, hold = 2, out = 3 }\n'
        '[[segment]]\nkind = "body_scan"\nduration = "12s"\nregions = ["head", "shoulders", "hands"]\n'
    )
    result = _bench(
        tmp_path, toml, "--eyes-closed", "--background", "rain", "--pause-at", "9.5", "--after", "3"
    )
    levels: list[list[float]] = result["levels"]
    heard = result["heard"]

    def mean(a: float, b: float) -> float:
        window = [lv for t, lv in levels if a <= t < b]
        return sum(window) / len(window)

    # The rain fades in and is there until the end (but for the pause), then fades away.
    assert mean(2.0, 4.5) > 200 and mean(17.0, 18.5) > 200 and mean(29.0, 30.5) > 200
    # Pause at 9.5 s fades it over several windows, silence, then resume brings it back.
    assert mean(11.2, 12.4) < 5
    fading = [lv for t, lv in levels if 9.6 <= t < 11.0 and 20 < lv < 0.9 * mean(9.0, 9.5)]
    assert len(fading) >= 5
    # The sitting ends at 31.5 s on the clock (28 s of practice, 3 s of pause, 0.5 s more);
    # the soundscape fades away with it.
    assert mean(30.6, 31.4) > 200 and mean(33.3, 34.2) < 5
    # Each breath tone stands above the rain where it was asked for; holds add nothing.
    tones = [h for h in heard if h["role"] == "phase"]
    assert [h["name"] for h in tones][:4] == ["breath-in", "breath-out", "breath-in", "breath-out"]
    for h in tones[1:]:  # the first rings with the start bell, before the rain has faded in
        at = float(h["asked"])
        assert mean(at + 0.05, at + 0.45) > 2.0 * mean(at - 0.6, at - 0.1), h
    assert sum(1 for h in tones if h["name"] == "region") == 2
    # A hold starts at 3 s: nothing rises there.
    assert mean(3.05, 3.45) < 1.3 * mean(2.4, 2.9)
    # The segment bell over the rain is found by the onset finder, on time.
    chime = next(h for h in heard if h["role"] == "chime")
    assert chime["onset"] is not None and abs(float(chime["onset"]) - float(chime["asked"])) < 0.060


def _bench(tmp_path: Path, toml: Path, *flags: str) -> dict:  # type: ignore[type-arg]
    env = dict(os.environ)
    env.update(
        SDL_AUDIODRIVER="disk",
        SDL_DISKAUDIOFILE=str(tmp_path / "out.raw"),
        PYGAME_HIDE_SUPPORT_PROMPT="1",
        PYTHONPATH=str(ROOT),
    )
    out = tmp_path / "result.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "eyes_closed_check.py"),
            str(toml),
            "--out",
            str(out),
            *flags,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict = json.loads(out.read_text())  # type: ignore[type-arg]
    assert result["notice"] is None, result["notice"]
    return result
