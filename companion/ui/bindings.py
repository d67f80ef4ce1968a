"""Every key binding as data: id, default key, action, words, and where it is shown.

The user's [keys] table remaps by id (App.set_keymap); the help screen lists this table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from textual.binding import Binding


# A NamedTuple, not a frozen dataclass: made before every first frame, and Python 3.11
# compiles each dataclass method from source, about 0.6 ms a class (issue 18).
class KeySpec(NamedTuple):
    """One binding: `where` is the screen it belongs to; `footer` says if the footer shows it."""

    id: str
    key: str
    action: str
    description: str
    where: str  # app (every screen) | home | practice | summary | help | settings | customize | ...
    footer: bool = True
    key_display: str | None = None


BINDINGS: tuple[KeySpec, ...] = (
    # every screen (the app's own bindings; a text field's ctrl+z, undo, comes first)
    KeySpec("suspend", "ctrl+z", "suspend", "Suspend to the shell (fg returns)", "app", False),
    # home
    KeySpec("start", "enter", "start", "Start", "home"),
    KeySpec("quick-start", "space", "quick", "Quick session", "home", key_display="space"),
    KeySpec("length", "l", "cycle_length", "Length", "home"),
    KeySpec("customize", "c", "customize", "Customize", "home"),
    KeySpec("filter", "slash", "filter", "Filter", "home", key_display="/"),
    KeySpec("history", "y", "history", "History", "home"),
    KeySpec("timer", "t", "timer", "Timer", "home"),
    KeySpec("settings", "comma", "settings", "Settings", "home", key_display=","),
    KeySpec("help", "question_mark", "app.help", "Help", "home", key_display="?"),
    KeySpec("quit", "q", "quit", "Quit", "home"),
    # practice: in a hold that waits for the key, space ends the hold (before it pauses)
    KeySpec("continue", "space", "continue_hold", "Breathe", "practice", False, "space"),
    KeySpec("pause", "space", "toggle_pause", "Pause", "practice", key_display="space"),
    KeySpec("next-segment", "n", "next_segment", "Next", "practice"),
    KeySpec("end-practice", "escape", "end_practice", "End", "practice", key_display="esc"),
    KeySpec("grounding", "g", "grounding", "Grounding", "practice"),
    KeySpec("toggle-guide", "b", "toggle_guide", "Breath guide", "practice"),
    KeySpec("mute", "m", "mute", "Mute", "practice"),
    KeySpec("volume-up", "plus,equals_sign", "volume(0.1)", "Louder", "practice", False, "+"),
    KeySpec("volume-down", "minus", "volume(-0.1)", "Softer", "practice", False, "-"),
    KeySpec("undo-note", "backspace", "undo_note", "Undo note", "practice", False),
    KeySpec("soundscape", "a", "cycle_background", "Soundscape", "practice", False),
    KeySpec("eyes-closed", "e", "toggle_eyes_closed", "Eyes closed", "practice", False),
    KeySpec("help", "question_mark", "app.help", "Help", "practice", key_display="?"),
    # summary
    KeySpec("again", "a", "again", "Again", "summary"),
    KeySpec("home", "h", "home", "Home", "summary"),
    KeySpec("help", "question_mark", "app.help", "Help", "summary", key_display="?"),
    KeySpec("quit", "q", "quit", "Quit", "summary"),
    # the home screen's timer
    KeySpec("timer-shorter", "left,minus", "minutes(-1)", "Shorter", "timer", key_display="←"),
    KeySpec(
        "timer-longer", "right,plus,equals_sign", "minutes(1)", "Longer", "timer", key_display="→"
    ),
    KeySpec("timer-interval", "i", "interval", "Interval", "timer"),
    KeySpec("timer-sit", "enter", "sit", "Sit", "timer"),
    KeySpec("close", "escape", "close", "Back", "timer", key_display="esc"),
    # help and settings
    KeySpec("close", "escape", "close", "Close", "help", key_display="esc"),
    KeySpec("close", "escape", "close", "Back", "settings", key_display="esc"),
    # the customize form (CustomizeScreen binds these ids itself)
    KeySpec("customize-save", "ctrl+s", "save", "Save", "customize"),
    KeySpec("customize-cancel", "escape", "cancel", "Cancel", "customize", key_display="esc"),
    # the check-in before and after a practice; 1 to 5 choose a word directly
    KeySpec("checkin-back", "left,up", "move(-1)", "Previous", "checkin", False, "←"),
    KeySpec("checkin-on", "right,down", "move(1)", "Next", "checkin", False, "→"),
    KeySpec("checkin-keep", "enter", "keep", "Keep", "checkin"),
    KeySpec("checkin-skip", "escape", "skip", "Skip", "checkin", key_display="esc"),
)

BINDING_IDS: frozenset[str] = frozenset(spec.id for spec in BINDINGS)


def specs_for(where: str) -> list[KeySpec]:
    """The bindings of one screen, in table order."""
    return [spec for spec in BINDINGS if spec.where == where]


def bindings_for(where: str) -> list[Binding]:
    """Textual bindings for one screen, each carrying its id so the keymap can remap it."""
    from textual.binding import Binding

    return [
        Binding(
            spec.key,
            spec.action,
            spec.description,
            show=spec.footer,
            key_display=spec.key_display,
            id=spec.id,
        )
        for spec in specs_for(where)
    ]
