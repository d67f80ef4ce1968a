"""A terminal driver that lets the app write the window title in order with its frames.

Textual 8.2 has no public way to set the terminal's title, and writing to the terminal
beside Textual's own output thread could land in the middle of a frame. So the app gives
Textual (through the public `get_driver_class`) a subclass of the usual driver that hands
its own `write` to the app each time it takes the terminal, and tells the app before it leaves the terminal
(quit, or Ctrl+Z), so the title pushed for a practice is popped while it still can be.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, Protocol, cast

from textual.driver import Driver


class TitleHost(Protocol):
    """What the driver tells: where titles can be written, and that the terminal is going."""

    def terminal_ready(self, write: Callable[[str], None]) -> None:
        """The driver started; `write` reaches the terminal in order with the frames."""

    def terminal_closing(self) -> None:
        """The driver is about to give the terminal back."""


def titled_driver(base: type[Driver], host: Callable[[Any], TitleHost | None]) -> type[Driver]:
    """`base` (the platform's driver) with the two calls to the app's TitleHost added.

    `host(app)` finds the TitleHost of the app the driver serves (None: write no titles).
    """

    def __init__(self: Driver, app: Any, *args: Any, **kwargs: Any) -> None:
        base.__init__(self, app, *args, **kwargs)
        self.companion_title_host = host(app)  # type: ignore[attr-defined]

    def start_application_mode(self: Driver) -> None:
        base.start_application_mode(self)
        found: TitleHost | None = getattr(self, "companion_title_host", None)
        if found is not None:
            found.terminal_ready(self.write)  # (and again after Ctrl+Z)

    def stop_application_mode(self: Driver) -> None:
        found: TitleHost | None = getattr(self, "companion_title_host", None)
        if found is not None:
            # A title must never keep the terminal from being given back.
            with contextlib.suppress(Exception):
                found.terminal_closing()
        base.stop_application_mode(self)

    namespace = {
        "__init__": __init__,
        "start_application_mode": start_application_mode,
        "stop_application_mode": stop_application_mode,
        "__doc__": f"{base.__name__} that lets companion write the window title.",
    }
    return cast(type[Driver], type(f"Titled{base.__name__}", (base,), namespace))
