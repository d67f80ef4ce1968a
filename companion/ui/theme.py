"""The app's calm colours: muted greens and sand on a dark slate."""

from __future__ import annotations

from textual.app import App
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


def theme_before_start(app: App[int], name: str) -> bool:
    """Choose a dark theme before the stylesheet is first parsed (issue 18).

    Setting `theme` in on_mount made Textual parse all the CSS a second time and restyle
    every widget before the first frame (about 10-35 ms). Set here without its watcher,
    the first parse already has the theme's colours. Only for dark themes: the watcher
    would also switch the ANSI colour filter to a light one, and Textual starts dark.
    Anything else (a light theme, an unknown name) goes the usual way in on_mount.
    """
    app.register_theme(CALM)
    theme = app.get_theme(name) if name in app.available_themes else None
    if theme is None or not theme.dark:
        return False
    app.set_reactive(App.theme, name)
    # The stylesheet took its variables from the default theme in App.__init__.
    app.stylesheet.set_variables(app.get_css_variables())
    # What the watcher would have done, apart from the (already dark) colour filter.
    app.set_class(True, f"-theme-{name}")
    app.set_class(True, "-dark-mode")
    app.set_class(False, "-light-mode")
    return True
