"""The names of the quiet cue tones for practising with eyes closed (sounds/*.wav).

Practice files may name other sounds instead; these are the defaults, made by
tools/synth_sounds.py and described in docs/sounds.md.
"""

from __future__ import annotations

TOCK = (
    "tock"  # a lower, rounder tick: beside `tick` for phase_sound = { in = "tick", out = "tock" }
)
BREATH_IN = "breath-in"  # rises a third: an in-breath begins
BREATH_OUT = "breath-out"  # falls a third: an out-breath begins (holds are silent)
REGION = "region"  # a small high chime: the body scan moves to the next region
PHRASE = "phrase"  # a warm low tone: a new phrase
EYES_CLOSED = "eyes-closed"  # two rising notes: eyes-closed mode is on

CUE_TONES: tuple[str, ...] = (TOCK, BREATH_IN, BREATH_OUT, REGION, PHRASE, EYES_CLOSED)
