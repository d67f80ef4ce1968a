"""Kept lines: reused lines must be exactly what a fresh render draws.

FrameWidget keeps each finished line by its row, and the practice screen's still parts keep
their last lines (kept_lines.py): restyling every line of every widget on each frame was
most of a moving frame's cost (issue 18). These tests hold it to the one thing that
matters to a user: after many frames, and after a theme change, the screen is identical,
byte for byte in its styled screenshot, to a fresh app drawing the same moment.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip

from companion.config import Config
from companion.ui.app import CompanionApp
from companion.ui.screens.practice import PracticeScreen
from companion.ui.widgets.breath_guide import BreathGuide
from companion.ui.widgets.kept_lines import KeptStatic
from tests.support import (
    AppBuilder,
    WidgetApp,
    at,
    practice_from,
    screen_text,
    timeline_of,
    whole,
)

FLOWING = """\
title = "Flowing"
[bells]
start = "none"
end = "none"
[[segment]]
kind = "breath"
duration = "20m"
title = "Flow"
pattern = { in = 4, out = 6 }
"""

FPS = 24
SIZE = (120, 40)


async def _started(app: CompanionApp, pilot: Pilot[int]) -> PracticeScreen:
    await whole(app, pilot)
    screen = app.screen
    assert isinstance(screen, PracticeScreen) and screen.sitting.started
    return screen


async def _fresh_screenshot(build_app: AppBuilder, t: float, theme: str) -> str:
    """The styled screenshot of a new app that draws moment t and nothing before it."""
    app, clock = build_app(practice_from(FLOWING), config=Config(theme=theme))
    async with app.run_test(size=SIZE) as pilot:
        await _started(app, pilot)
        await at(app, clock, pilot, t)
        return app.export_screenshot()


async def test_after_many_frames_the_screen_equals_a_fresh_render(build_app: AppBuilder) -> None:
    """Two breaths at 24 frames a second (the second one all from kept lines), then a theme
    change and half a breath more: at each checked moment the screen is what a new app draws."""
    app, clock = build_app(practice_from(FLOWING))
    checks = {4.5: "companion", 10.0: "companion", 17.25: "companion", 23.0: "textual-light"}
    seen: dict[float, str] = {}
    async with app.run_test(size=SIZE) as pilot:
        screen = await _started(app, pilot)
        guide = screen.query_one("#breath", BreathGuide)
        for k in range(1, 23 * FPS + 1):
            t = k / FPS
            if t == 20.0:
                app.theme = "textual-light"
                await pilot.pause()
            await at(app, clock, pilot, t)
            if t in checks:
                seen[t] = app.export_screenshot()
        assert guide.repaints > 0.8 * 23 * FPS  # the orb really moved on most frames
    for t, theme in checks.items():
        assert seen[t] == await _fresh_screenshot(build_app, t, theme), f"at {t} s ({theme})"


async def test_a_recurring_row_reuses_its_finished_line_and_it_is_what_textual_draws() -> None:
    tl = timeline_of(FLOWING)
    guide = BreathGuide()
    async with WidgetApp(guide).run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        whole_widget = Region(0, 0, guide.size.width, guide.size.height)
        guide.update_from(tl.state_at(1.0))
        await pilot.pause()
        first, first_rows = guide.render_lines(whole_widget), guide.rows
        guide.update_from(tl.state_at(2.0))  # a larger orb: its rows differ
        await pilot.pause()
        assert guide.render_lines(whole_widget) != first
        guide.update_from(tl.state_at(11.0))  # the next breath, the same size as at 1 s
        await pilot.pause()
        again, rows = guide.render_lines(whole_widget), guide.rows
        same = [y for y, row in enumerate(rows) if row and row == first_rows[y]]
        assert len(same) >= 8  # the orb's rows (the breath count under it has moved on)
        assert all(again[y] is first[y] for y in same)
        # What Textual's own styling draws for the same rows, with every cache emptied.
        guide.notify_style_update()
        guide.refresh()
        assert guide.render_lines(whole_widget) == again


async def test_a_crop_of_the_widget_is_not_served_lines_kept_for_another() -> None:
    tl = timeline_of(FLOWING)
    guide = BreathGuide()
    async with WidgetApp(guide).run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        width, height = guide.size
        guide.update_from(tl.state_at(3.0))
        await pilot.pause()
        whole_lines = guide.render_lines(Region(0, 0, width, height))
        left = guide.render_lines(Region(0, 0, width // 2, height))
        assert [line.cell_length for line in left] == [width // 2] * height
        assert left == [line.crop(0, width // 2) for line in whole_lines]


async def test_kept_lines_follow_new_words_a_theme_and_a_new_size() -> None:
    """A still widget gives its kept lines again, and never after it changed."""
    text = KeptStatic("Breathe gently", id="words")
    async with WidgetApp(text).run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        app = pilot.app

        def lines() -> list[Strip]:
            return text.render_lines(Region(0, 0, text.size.width, text.size.height))

        first = lines()
        assert lines() == first and "Breathe gently" in first[0].text
        assert "Breathe gently" in screen_text(app)
        text.update("Rest")  # new words: not the kept lines
        await pilot.pause()
        assert "Rest" in lines()[0].text and "Rest" in screen_text(app)
        before = lines()
        app.theme = "textual-light"  # a restyle: new colours, same words
        await pilot.pause()
        assert lines() != before and "Rest" in lines()[0].text
        await pilot.resize_terminal(30, 6)  # a new size: lines as wide as the widget
        await pilot.pause()
        assert {line.cell_length for line in lines()} == {30}
