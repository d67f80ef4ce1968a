"""What the app, the sitting and the chimes need from anything that makes sound."""

from __future__ import annotations

from typing import Protocol

from companion.sound.background import Backgrounds


class Player(Backgrounds, Protocol):
    """What the app and the chimes need from anything that makes sound."""

    @property
    def volume(self) -> float:
        """0..1."""
        ...

    @property
    def muted(self) -> bool:
        """True when nothing should sound."""
        ...

    @property
    def notice(self) -> str | None:
        """One sentence for the user when something fell back, else None."""
        ...

    @property
    def latency(self) -> float:
        """Seconds of output buffer between play() and sound."""
        ...

    def play(self, name: str, role: str = "") -> None:
        """Start a sound now without blocking; role is start|end|interval|chime|phase or ''."""
        ...

    def stop_all(self) -> None:
        """Silence everything that is ringing."""
        ...

    def set_volume(self, volume: float) -> None:
        """Set the volume, clamped to 0..1."""
        ...

    def set_muted(self, muted: bool) -> None:
        """Mute or unmute."""
        ...

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until the device is open (or has failed); False on timeout."""
        ...

    def close(self) -> None:
        """Release the device."""
        ...
