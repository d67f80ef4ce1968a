"""The app's calm colours: muted greens and sand on a dark slate."""

from __future__ import annotations

from textual.theme import Theme

CALM = Theme(
    name="companion",
    primary="#8fb8a8",
    secondary="#a9a6c9",
    accent="#d8c3a5",
    foreground="#dcdcd2",
    background="#1b2124",
    surface="#222a2e",
    panel="#2b3438",
    success="#9cc59a",
    warning="#d9b56e",
    error="#d98a7e",
    dark=True,
)
