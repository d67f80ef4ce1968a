"""The Customize form: live checking by the real loader, saving a user copy, cancelling."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Button, Input, OptionList, Static

from companion.paths import Paths
from companion.practice.edit import FormValues, build_candidate, parse_length
from companion.practice.load import load_practice
from companion.practice.model import Practice
from companion.ui.bindings import BINDING_IDS
from companion.ui.screens.customize import CustomizeScreen
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.home_text import KEPT_LAST_GOOD
from companion.ui.screens.practice import PracticeScreen
from tests.support import (
    BROKEN_BREATH,
    CALM_BREATH,
    AppBuilder,
    home_of,
    practice_from,
    record_notices,
    screen_text,
    write_touched,
)

SOUNDS = frozenset({"bowl", "bell", "chime"})

CALM = """
title = "Calm box"
summary = "A box, a ramp, and noting."

[bells]
start = "bowl"
end = "bell"
interval = "1m"

[noting]
keys = { t = "thinking", f = "feeling" }

[[segment]]
kind = "settle"
duration = "30s"
cues = [{ at = "0s", text = "Arrive." }, { at = "20s", text = "Notice the breath." }]

[[segment]]
kind = "breath"
duration = "4m"
whole_breaths = false
title = "Box"
pattern = { in = 4, hold = 4, out = 4, hold_out = 4 }
ramp = { to = { in = 5, out = 5 }, over = "2m" }
cues = [{ at = "0s", text = "Follow the shape." }, { at = "3m", text = "A few more." }]

[[segment]]
kind = "silence"
duration = "30s"
"""


def calm() -> Practice:
    return practice_from(CALM, "calm", sounds=SOUNDS)


class FormApp(App[None]):
    """Pushes the form at once and keeps what it was dismissed with."""

    def __init__(self, practice: Practice, paths: Paths) -> None:
        super().__init__()
        self.practice = practice
        self.paths = paths
        self.results: list[Path | None] = []

    def compose(self) -> ComposeResult:
        yield Static("home")

    def on_mount(self) -> None:
        screen = CustomizeScreen(self.practice, self.paths, SOUNDS, today=lambda: date(2025, 1, 2))
        self.push_screen(screen, self.results.append)


def form(app: FormApp) -> CustomizeScreen:
    screen = app.screen
    assert isinstance(screen, CustomizeScreen)
    return screen


async def set_field(pilot: Any, widget_id: str, text: str) -> None:
    """Type into a field the way a person does: focus it (which selects it all), type."""
    field = pilot.app.screen.query_one(f"#{widget_id}", Input)
    field.focus()
    await pilot.pause()
    field.select_all()
    await pilot.press(*text) if text else await pilot.press("backspace")
    await pilot.pause()


async def put(pilot: Any, widget_id: str, text: str) -> None:
    """Set a field's text directly (quicker than typing, same Changed message)."""
    pilot.app.screen.query_one(f"#{widget_id}", Input).value = text
    await pilot.pause()


async def press_button(pilot: Any, widget_id: str) -> None:
    """Reach a button with the keyboard, as the form is meant to be used."""
    pilot.app.screen.query_one(f"#{widget_id}", Button).focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def problems_text(app: FormApp) -> str:
    return str(form(app).query_one("#customize-problems", Static).render())


async def test_new_pattern_saved_as_user_copy(paths: Paths) -> None:
    app = FormApp(calm(), paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await set_field(pilot, "seg-1-in", "3")
        await set_field(pilot, "seg-1-hold", "0")
        await set_field(pilot, "seg-1-out", "6")
        assert not form(app).query_one("#customize-save", Button).disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
    target = paths.practices_dir / "calm.toml"
    assert app.results == [target]
    saved = load_practice(target, source="user", sounds=SOUNDS)
    seg = saved.segments[1]
    assert seg.pattern is not None
    assert (seg.pattern.inhale, seg.pattern.hold, seg.pattern.exhale, seg.pattern.hold_out) == (
        3.0,
        0.0,
        6.0,
        4.0,
    )
    # Everything the form does not show survives the round trip.
    assert seg.ramp is not None and seg.ramp.over == 120.0
    assert [c.text for c in seg.cues] == ["Follow the shape.", "A few more."]
    assert saved.bells.interval == 60.0 and saved.bells.end == "bell"
    assert saved.noting_map == {"t": "thinking", "f": "feeling"}
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Saved from the companion app on 2025-01-02.")
    assert not (paths.practices_dir / "calm.toml.bak").exists()


@pytest.mark.parametrize(
    ("field", "value", "line"),
    [
        ("seg-1-in", "-1", "calm.toml: segment[2].pattern.in: must be a positive number"),
        ("seg-1-out", "soon", "calm.toml: segment[2].pattern.out: must be a number of seconds"),
        ("seg-1-over", "9m", "calm.toml: segment[2].ramp.over: is 9m, longer than the segment"),
        ("start-strikes", "9", "calm.toml: bells.start_strikes: must be a whole number from 1"),
        ("interval", "5s", "calm.toml: bells.interval: must be at least 10 seconds"),
        ("note-key-1", "q", "calm.toml: noting.keys.q: 'q' controls the session"),
        ("save-as", "my calm", "Save as: 'my calm' cannot be a practice name"),
        ("length", "soon", "Length: 'soon' is not a length"),
    ],
)
async def test_invalid_entry_shows_loader_line_and_blocks_save(
    paths: Paths, field: str, value: str, line: str
) -> None:
    app = FormApp(calm(), paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await put(pilot, field, value)
        assert line in problems_text(app)
        assert form(app).query_one("#customize-save", Button).disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CustomizeScreen)  # still open
    assert app.results == []
    assert not paths.practices_dir.exists() or not any(paths.practices_dir.iterdir())


async def test_saving_over_a_user_file_keeps_a_bak(paths: Paths) -> None:
    target = paths.practices_dir / "calm.toml"
    target.parent.mkdir(parents=True)
    target.write_text(CALM, encoding="utf-8")
    practice = load_practice(target, source="user", sounds=SOUNDS)
    app = FormApp(practice, paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Replaces your calm.toml" in str(form(app).query_one("#save-hint", Static).render())
        await set_field(pilot, "end-strikes", "1")
        await pilot.click("#customize-save")
        await pilot.pause()
    assert app.results == [target]
    assert (paths.practices_dir / "calm.toml.bak").read_text(encoding="utf-8") == CALM
    assert load_practice(target, sounds=SOUNDS).bells.end_strikes == 1


async def test_escape_cancels_without_writing(paths: Paths) -> None:
    app = FormApp(calm(), paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await set_field(pilot, "seg-1-in", "6")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CustomizeScreen)
    assert app.results == [None]
    assert not paths.practices_dir.exists()


async def test_bundled_practice_saved_under_its_id_and_new_id(paths: Paths) -> None:
    bundled = load_practice(paths.bundled_practices / "box-breathing.toml", sounds=SOUNDS)
    app = FormApp(bundled, paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hint = str(form(app).query_one("#save-hint", Static).render())
        assert "in place of the bundled one" in hint
        await set_field(pilot, "save-as", "my-box")
        await set_field(pilot, "length", "10")
        await pilot.press("ctrl+s")
        await pilot.pause()
    target = paths.practices_dir / "my-box.toml"
    assert app.results == [target]
    saved = load_practice(target, sounds=SOUNDS)
    assert saved.id == "my-box"
    assert saved.total == 600.0
    # Every part grew in proportion and stays in whole seconds.
    assert [s.duration for s in saved.segments] == [60.0, 480.0, 60.0]
    assert "Customised from 'Box breathing' (box-breathing)." in target.read_text("utf-8")


async def test_noting_rows_add_and_remove(paths: Paths) -> None:
    app = FormApp(calm(), paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = form(app)
        await press_button(pilot, "note-add")
        await pilot.press("w")
        await pilot.press("tab", *"wanting")
        await pilot.pause()
        await press_button(pilot, "note-remove-1")  # thinking goes
        assert len(screen.query(".noting-row")) == 2
        screen.action_save()
        await pilot.pause()
    saved = load_practice(paths.practices_dir / "calm.toml", sounds=SOUNDS)
    assert saved.noting_map == {"f": "feeling", "w": "wanting"}


async def test_duplicate_noting_key_is_named(paths: Paths) -> None:
    app = FormApp(calm(), paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await set_field(pilot, "note-key-2", "t")
        assert "noting.keys.t: is used twice" in problems_text(app)


def test_length_rules() -> None:
    assert parse_length("10", False) == 600.0
    assert parse_length("7m30s", False) == 450.0
    assert parse_length("open", True) is None
    for bad, is_open in (("", False), ("0", False), ("30s", False), ("13h", False), ("x", True)):
        with pytest.raises(ValueError):
            parse_length(bad, is_open)


def test_ramp_can_be_removed_and_length_rescales_in_whole_seconds() -> None:
    practice = calm()
    values = FormValues(
        save_as="calm",
        length="5",
        patterns={1: {"in": "4", "out": "6", "over": ""}},
        bells={"start": "bowl", "end": "none", "interval_sound": "bell"},
        noting=[("t", "thinking")],
    )
    candidate = build_candidate(practice, values, SOUNDS)
    assert candidate.ok, candidate.problems
    assert candidate.practice is not None
    seg = candidate.practice.segments[1]
    assert seg.ramp is None
    assert candidate.practice.total == 300.0
    assert all(float(s.duration or 0).is_integer() for s in candidate.practice.segments)
    assert all(c.at < (s.duration or 0) for s in candidate.practice.segments for c in s.cues)
    assert candidate.practice.bells.end == "none"


def test_open_practice_keeps_its_open_end_until_given_a_length() -> None:
    text = CALM.replace('kind = "silence"\nduration = "30s"', 'kind = "silence"\nduration = "open"')
    practice = practice_from(text, "calm", sounds=SOUNDS)
    assert practice.total is None
    values = FormValues(save_as="calm", length="open", noting=[("t", "thinking")])
    kept = build_candidate(practice, values, SOUNDS)
    assert kept.ok and kept.practice is not None and kept.practice.total is None
    values.length = "10"
    fitted = build_candidate(practice, values, SOUNDS)
    assert fitted.ok and fitted.practice is not None and fitted.practice.total == 600.0


def test_form_snapshot(snap_compare: Any, paths: Paths) -> None:
    assert snap_compare(FormApp(calm(), paths), terminal_size=(80, 24))


async def highlight(pilot: Any, words: str) -> None:
    """Filter the list down to `words` and go back to it."""
    await pilot.press("slash", *words, "enter")
    await pilot.pause()


def preview_of(home: HomeScreen) -> str:
    return str(home.query_one("#preview", Static).render())


# -- customize from the home screen ------------------------------------------------------------
async def test_customize_from_home_saves_a_user_copy_and_lists_it(build_app: AppBuilder, paths: Paths) -> None:
    app, _ = build_app(config_from_file=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = home_of(app)
        await highlight(pilot, "box-breathing")
        entry = home.selected()
        assert entry is not None and entry.id == "box-breathing" and entry.source == "bundled"
        own = entry.practice
        assert own is not None
        await pilot.press("l")  # a fitted length on the home screen...
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomizeScreen)
        assert form.practice is own  # ...but the form edits the practice at its own length
        form.query_one("#length").value = "7"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is home
        saved = paths.practices_dir / "box-breathing.toml"
        assert saved.is_file()
        entry = home.selected()
        assert entry is not None and entry.id == "box-breathing"  # the selection is kept
        assert entry.source == "user" and entry.practice is not None
        assert round(entry.practice.total or 0) == 7 * 60
        assert "yours" in screen_text(app)
        preview = preview_of(home)
        assert "Length: 3m (fitted)" in preview  # the length chosen on the home screen stays
        assert "Your own file (in place of the bundled one): box-breathing.toml" in preview
        await pilot.press(*"llll")  # back round to its own length
        await pilot.pause()
        assert "Length: 7m\n" in preview_of(home)


async def test_customize_under_a_new_name_highlights_the_new_practice(build_app: AppBuilder, paths: Paths) -> None:
    app, _ = build_app(config_from_file=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = home_of(app)
        await highlight(pilot, "box-breathing")
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#save-as").value = "my-box"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert home.query_text == ""  # the filter hid the new name, so it was cleared
        entry = home.selected()
        assert entry is not None and entry.id == "my-box" and entry.source == "user"
        assert home.library is not None and home.library.entries["box-breathing"].ok


async def test_customize_escape_writes_nothing_and_a_course_is_not_customized(
    build_app: AppBuilder, paths: Paths,
) -> None:
    app, _ = build_app(config_from_file=True)
    told = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await highlight(pilot, "box-breathing")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not paths.practices_dir.exists() or not any(paths.practices_dir.iterdir())
        await pilot.press("slash", "escape")  # the filter cleared
        await pilot.pause()
        listing = home_of(app).query_one("#practices", OptionList)
        ids = [listing.get_option_at_index(i).id or "" for i in range(listing.option_count)]
        listing.highlighted = next(i for i, oid in enumerate(ids) if oid.startswith("course:"))
        await pilot.pause()
        assert home_of(app).selected_course() is not None
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Highlight a practice to customize it." in told


def test_customize_keys_are_in_the_binding_table() -> None:
    assert {"customize", "customize-save", "customize-cancel"} <= BINDING_IDS
    keys = {b.id: b.key for b in CustomizeScreen.BINDINGS if hasattr(b, "id")}  # type: ignore[union-attr]
    from companion.ui.bindings import specs_for

    assert {s.id: s.key for s in specs_for("customize")} == keys


# -- live reload --------------------------------------------------------------------------------
async def test_an_invalid_edit_keeps_the_practice_and_the_preview_lists_the_lines(
    build_app: AppBuilder, paths: Paths,
) -> None:
    path = paths.practices_dir / "calm.toml"
    write_touched(path, CALM_BREATH)
    app, _ = build_app(config_from_file=True)
    told = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = home_of(app)
        assert home.reloader is not None and home.reloader.timer is not None
        await highlight(pilot, "calm")
        assert home.selected() is not None and home.selected().id == "calm"  # type: ignore[union-attr]

        write_touched(path, CALM_BREATH.replace("out = 6", "out = 8"))
        home.reloader.check()
        await pilot.pause()
        good = home.selected()
        assert good is not None and good.practice is not None
        assert good.practice.segments[0].pattern.exhale == 8.0  # type: ignore[union-attr]

        write_touched(path, BROKEN_BREATH)
        home.reloader.check()
        await pilot.pause()
        entry = home.selected()
        assert entry is not None and entry.id == "calm"  # still highlighted
        assert entry.practice is good.practice  # the last good version
        text = preview_of(home)
        assert text.startswith(KEPT_LAST_GOOD)
        assert f"{path}:11:28: Unclosed inline table" in text
        assert any("Still using the last good version" in m for m in told)

        await pilot.press("enter")  # still usable
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert screen.practice is good.practice

        write_touched(path, CALM_BREATH)
        home.reloader.check()
        await pilot.pause()
        assert screen.practice is good.practice  # a practice in progress keeps its version
        assert KEPT_LAST_GOOD not in preview_of(home)

