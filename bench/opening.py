"""Moving inside the running app, timed through tmux: Enter on the home screen to the practice
screen's first frame, and the History key to History's figures with ten years of journal.

Each run is a fresh `companion` (the first opening of a screen is the one a user waits for:
its module, its CSS and its widgets are new to the process then), on the home screen in a
120x40 pane, a second after its first frame. The time is from sending the key to the first
capture showing the new screen, polled without pause. Beside each, the same run measures the
bare Textual app's key to screen (its `t` count), the least any Textual app takes.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bench import measure
from bench.launch import app_env, companion_argv, new_home, python_argv
from bench.live import BARE_COUNT_RE, BARE_MARKER, HOME_MARKER
from bench.tmux import Tmux, TmuxError

Figures = dict[str, float | None]
Reasons = dict[str, str]
Log = Callable[[str], None]

PRACTICE_MARKER = "Box breathing  ·  "  # the practice screen's header (title · segment · time)
HISTORY_MARKER = "in all"  # History's headline: days this week · this month · minutes in all
SETTLE = 1.0  # seconds on the home screen before the key: the journal and mixer open by then


def key_to_screen(tmux: Tmux, key: str, seen: Callable[[str], bool], timeout: float = 10) -> float:
    """Milliseconds from sending key to the end of the first capture for which seen is true."""
    t0 = time.time()
    tmux.send_keys(key)
    while True:
        cap = tmux.capture()
        if seen(cap.text):
            return (cap.end - t0) * 1000
        if cap.end - t0 > timeout:
            raise TmuxError(f"the screen after {key!r} did not show within {timeout:g} s")


def open_from_home(home: Path, key: str, marker: str, runs: int) -> list[float]:
    """Fresh `companion` each run: from key on the home screen to marker on screen."""
    out: list[float] = []
    for _ in range(runs):
        with Tmux() as tmux:
            tmux.start([*companion_argv(), "--no-sound"], app_env(home))
            tmux.wait_for(HOME_MARKER)
            time.sleep(SETTLE)
            out.append(key_to_screen(tmux, key, lambda text: marker in text))
    return out


def bare_key(home: Path, runs: int) -> list[float]:
    """The bare app's t key to its count on screen, runs presses in one process."""
    out: list[float] = []
    with Tmux() as tmux:
        tmux.start(python_argv("bare_app.py"), app_env(home))
        tmux.wait_for(BARE_MARKER)
        time.sleep(SETTLE)
        for n in range(1, runs + 1):
            time.sleep(0.2)

            def counted(text: str, n: int = n) -> bool:
                match = BARE_COUNT_RE.search(text)
                return match is not None and int(match.group(1)) >= n

            out.append(key_to_screen(tmux, "t", counted))
    return out


def _spread(values: list[float]) -> str:
    return f"{[round(x) for x in values]} ms (median {measure.median(values):.0f})"


def opening(work: Path, runs: int, log: Log) -> tuple[Figures, Reasons]:
    """Enter on home to the practice screen; y on home to History's figures (ten years)."""
    figures: Figures = {}
    reasons: Reasons = {}
    plain = new_home(work, bench_practice=False)  # so box breathing is the first entry
    try:
        base = bare_key(plain, runs)
        figures["x_bare_key_ms"] = measure.median(base)
        log(f"opening: bare Textual app, key to screen {_spread(base)}")
    except (TmuxError, OSError, ValueError) as exc:
        log(f"opening: bare app baseline failed: {exc}")
    try:
        enter = open_from_home(plain, "Enter", PRACTICE_MARKER, runs)
        figures["enter_to_practice_ms"] = measure.median(enter)
        log(f"opening: Enter on home to the practice screen {_spread(enter)}")
    except (TmuxError, OSError, ValueError) as exc:
        reasons["enter_to_practice_ms"] = str(exc)
    try:
        from bench.journal_data import ten_years
        from companion.journal import open_journal
        from companion.paths import Paths

        full = Path(tempfile.mkdtemp(prefix="history-", dir=work))
        paths = Paths.under(full)
        open_journal(paths)  # the schema, made the usual way
        ten_years(paths.journal_file, date.today())
        history = open_from_home(full, "y", HISTORY_MARKER, runs)
        figures["history_open_ms"] = measure.median(history)
        log(f"opening: y on home to History's figures, ten years {_spread(history)}")
    except Exception as exc:  # the journal builder or the app: one reason either way
        reasons["history_open_ms"] = f"{type(exc).__name__}: {exc}"
    return figures, reasons
