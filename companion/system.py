"""What this operating system offers: the signals that end a practice, and job control.

companion runs on Linux, macOS and Windows. Names that only some systems have (SIGHUP,
SIGTSTP, termios, os.getpgrp, os.tcgetpgrp, os.getsid) are asked for here, so a system
without them loses that one feature and nothing else. Pure: imports neither textual nor pygame.
"""

from __future__ import annotations

import os
import signal
import sys


def stop_signals() -> tuple[signal.Signals, ...]:
    """SIGTERM, and SIGHUP (a closed terminal) where there is one: each ends a practice cleanly."""
    return tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def is_hangup(signum: int) -> bool:
    """True for SIGHUP (never on a system that has none)."""
    hangup = getattr(signal, "SIGHUP", None)
    return hangup is not None and signum == hangup


def job_control() -> bool:
    """True when Ctrl+Z can hand the terminal to a shell that brings the app back with `fg`.

    A shell with job control gives each job its own process group and makes it the terminal's
    foreground group. Started any other way (Windows, tmux or a script running companion with
    no interactive shell around it) there is nobody to send the app on again, and a stopped
    app would simply hang: so then Ctrl+Z stays in the app.
    """
    if sys.platform == "win32" or not hasattr(signal, "SIGTSTP"):
        return False
    try:
        group = os.getpgrp()
        session = os.getsid(0)
    except (AttributeError, OSError):
        return False
    if group == session:  # the session's own group: no shell put us in a job of our own
        return False
    for fd in (0, 1, 2):
        try:
            return os.tcgetpgrp(fd) == group
        except (AttributeError, OSError):  # not a terminal: try the next
            continue
    return False
