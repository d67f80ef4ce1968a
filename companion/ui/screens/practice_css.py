"""The practice screen's own CSS and the sizes that give it its `narrow` and `tiny` classes.

Its DEFAULT_CSS, not app.tcss: Textual parses a screen's DEFAULT_CSS when the screen is
first used, so the home screen never parses these rules and `companion run` parses them
without the other screens' (issue 18, docs/performance.md). Every selector names
PracticeScreen itself: a screen's DEFAULT_CSS is scoped to it, but Textual scopes only the
last selector of a comma list, and written out the specificity is plain to read. Any rule
in app.tcss outranks these whatever their specificity, so app.tcss must set nothing on these
widgets (its `Screen { background }` styles the screen itself, which nothing here does).
"""

from __future__ import annotations

WIDE = 100  # at or above this width the noting panel sits beside the centre
TINY = (40, 12)  # below either, only "Make the window a little larger" shows

PRACTICE_CSS = """
/* Its parts sit directly on the screen (see PracticeScreen.compose). */
PracticeScreen #head {
    height: 1;
    padding: 0 2;
    color: $text-muted;
}
PracticeScreen #progress {
    height: 1;
    /* Padding, not margin: a side margin here shrinks every 1fr-wide sibling by as much. */
    padding: 0 2;
}
PracticeScreen #body {
    height: 1fr;
}
PracticeScreen #breath, PracticeScreen #figure, PracticeScreen #phrase {
    height: 1fr;
    width: 1fr;
}
PracticeScreen #quiet, PracticeScreen #anchor {
    height: 1fr;
    width: 1fr;
    content-align: center middle;
    text-align: center;
    color: $text-muted;
}
PracticeScreen #cue {
    height: auto;
    min-height: 2;
    max-height: 4;
    padding: 0 4;
    text-align: center;
    color: $text;
}
/* The breath guide is as tall as its orb and words; with the cue it is centred as one block. */
PracticeScreen.guide #body {
    align-vertical: middle;
}
PracticeScreen.guide #breath {
    height: auto;
}
PracticeScreen.guide #anchor {
    height: auto;
    /* Under the breath words that stay when the shape is hidden. */
    padding-top: 1;
    padding-bottom: 1;
}
PracticeScreen.guide #cue {
    height: 4;
}
/* Docked, so the visuals and cue lay out (and centre) in the room beside or above it. */
PracticeScreen #noting {
    dock: right;
    width: 34;
    height: 1fr;
    border-left: vkey $panel;
    padding: 0 1;
}
PracticeScreen.narrow #noting {
    dock: bottom;
    width: 1fr;
    height: auto;
    max-height: 40%;
    border-left: none;
    border-top: hkey $panel;
}
/* A noting segment: the cue on top, the panel filling the rest below it. */
PracticeScreen.noting-segment #noting {
    dock: none;
    width: 1fr;
    height: 1fr;
    max-height: 100%;
    border-left: none;
    border-top: none;
    padding: 1 4;
}
PracticeScreen #too-small {
    display: none;
    width: 1fr;
    height: 1fr;
    content-align: center middle;
    text-align: center;
}
PracticeScreen.tiny #head,
PracticeScreen.tiny #progress,
PracticeScreen.tiny #body,
PracticeScreen.tiny Footer {
    display: none;
}
PracticeScreen.tiny #too-small {
    display: block;
}
"""
