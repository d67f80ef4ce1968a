"""Keys typed before the home screen's filter box exists, given to it once it does.

Typed while the app starts, "/quiet" reaches the app in one burst, before the box is built
(issue 18 builds it after the first frame). The home screen holds the keys after the `/`;
this gives them to the box as if it had been there when they came.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.widgets import Input

Held = tuple[str, str | None]  # a key's name and character


def give_typed_ahead(box: Input, held: list[Held], post: Callable[[events.Key], object]) -> None:
    """Letters and backspaces edit the box; enter, escape and every key after them are posted
    (`post`, the app's queue) in the order they were typed, so they act as usual."""
    for index, (key, character) in enumerate(held):
        if key == "ctrl+j":  # enter typed before the terminal left line mode
            key, character = held[index] = ("enter", "\r")
        if key == "backspace":
            box.action_delete_left()
        elif character is not None and character.isprintable():
            box.insert_text_at_cursor(character)
        else:
            for later_key, later_character in held[index:]:
                post(events.Key(later_key, later_character))
            return
