"""Measurements of the real app in a real terminal (tmux at 120x40), each beside its baseline.

Every function returns (figures, reasons): figures maps JSON keys (and x_ extras the table
shows) to numbers; reasons maps a key to why it could not be measured. A failure in one
measurement never stops the others.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from bench import measure
from bench.launch import (
    APP_MARKER,
    BENCH_ID,
    BENCH_MARKER,
    BENCH_PRACTICE,
    FLOW_CYCLE,
    FLOW_ID,
    FLOW_MARKER,
    PHASE_WORDS,
    app_env,
    companion_argv,
    new_home,
    python_argv,
)
from bench.measure import Capture
from bench.tmux import Tmux, TmuxError
from companion.library.cache import RACY_SECONDS
from companion.library.last_list import LIST_NAME

Figures = dict[str, float | None]
Reasons = dict[str, str]
Log = Callable[[str], None]

BARE_MARKER = "Hello from a bare Textual app"
FLOOR_MARKER = "Textual floor"
HOME_MARKER = "Quick session ("  # the home screen's status line: the list is on screen
BRAILLE_MARKER = "⣿"  # a full braille cell: the circle is on screen
WORD_RE = re.compile(r"\b(" + "|".join(PHASE_WORDS) + r")\b")
COUNT_RE = re.compile(r"thinking\s+(\d+)")
BARE_COUNT_RE = re.compile(r"t pressed (\d+)")


def phase_word(text: str) -> str | None:
    """The breath guide's phase word on a screen, if one is showing."""
    match = WORD_RE.search(text)
    return match.group(1) if match else None


# -- first frame ----------------------------------------------------------------------------
def first_frame_once(argv: list[str], env: dict[str, str], marker: str, work: Path) -> float:
    """Milliseconds from the program's exec to the first capture showing marker."""
    stamp = work / "start"
    stamp.unlink(missing_ok=True)
    with Tmux() as tmux:
        tmux.start(argv, env, start_file=stamp)
        began = time.time()
        last_start: float | None = None
        checked = began
        # Poll every 2 ms: the first frame lies between the last capture without the
        # marker and the first with it; the middle of that interval is the estimate.
        while True:
            cap = tmux.capture()
            if marker in cap.text:
                break
            if cap.end - checked > 0.5:
                checked = cap.end
                if tmux.pane_dead():
                    raise TmuxError("exited before its first frame: " + cap.text.strip()[-200:])
                if cap.end - began > 20:
                    raise TmuxError(f"no {marker!r} within 20 s")
            last_start = cap.start
            time.sleep(0.002)
        start = float(stamp.read_text().strip())
        earliest = start if last_start is None else max(start, last_start)
        return ((earliest + cap.end) / 2 - start) * 1000


def first_frame(work: Path, runs: int, log: Log) -> tuple[Figures, Reasons]:
    """Median first frame of `companion run box-breathing`, of `companion` (the home screen)
    and of the bare app, launched in turn each round; and, for the record, of the home screen
    on a first start (no list kept from an earlier one: companion/library/last_list.py).

    The home is a returning user's: opened once before the timed launches, as anyone who
    has used companion has (its first start keeps the list and the parsed files)."""
    home = new_home(work)
    first_start = new_home(work)
    env = app_env(home)
    first_env = app_env(first_start)
    reasons: Reasons = {}
    try:
        open_once(home, env, log)
    except (TmuxError, OSError) as exc:
        reasons["first_frame_home_ms"] = f"could not open it once first: {exc}"
    home_argv = [*companion_argv(), "--no-sound"]
    launches = {
        "first_frame_ms": ([*companion_argv(), "run", "box-breathing", "--no-sound"], APP_MARKER),
        "first_frame_home_ms": (home_argv, HOME_MARKER),
        "x_first_frame_home_unkept_ms": (home_argv, HOME_MARKER),
        "first_frame_bare_ms": (python_argv("bare_app.py"), BARE_MARKER),
    }
    times: dict[str, list[float]] = {key: [] for key in launches}
    # Round 0 warms the disk cache and creates the home's files; it is not counted.
    # The order turns each round so none always goes first.
    keys = list(launches)
    for round_no in range(runs + 1):
        shift = round_no % len(keys)
        for key in keys[shift:] + keys[:shift]:
            if key in reasons:
                continue
            argv, marker = launches[key]
            unkept = key == "x_first_frame_home_unkept_ms"
            if unkept:  # a first start: nothing kept from an earlier one
                (first_start / "cache" / LIST_NAME).unlink(missing_ok=True)
            try:
                ms = first_frame_once(argv, first_env if unkept else env, marker, work)
            except (TmuxError, OSError, ValueError) as exc:
                reasons[key] = str(exc)
                continue
            if round_no:
                times[key].append(ms)
    figures: Figures = {key: measure.median(ms) if ms else None for key, ms in times.items()}
    # The ratio is the median of each round's app/bare ratio: the launches of a round run
    # moments apart, so a burst of load on a shared machine falls on all, where a ratio of
    # the medians can pair a quiet app launch with a busy bare one. On a quiet machine the
    # two agree.
    bare_ms = times["first_frame_bare_ms"]
    for key, ratio_key in (
        ("first_frame_ms", "first_frame_ratio"),
        ("first_frame_home_ms", "first_frame_home_ratio"),
        ("x_first_frame_home_unkept_ms", "x_first_frame_home_unkept_ratio"),
    ):
        pairs = [a / b for a, b in zip(times[key], bare_ms, strict=False) if b > 0]
        figures[ratio_key] = measure.median(pairs) if pairs else None
        of_medians = measure.ratio(figures[key], figures["first_frame_bare_ms"])
        log(
            f"first frame: {key} {[round(x) for x in times[key]]} ms, bare "
            f"{[round(x) for x in bare_ms]} ms; ratio of the medians {of_medians or 0:.2f}, "
            f"median of the rounds' ratios {figures[ratio_key] or 0:.2f} "
            f"(range {min(pairs, default=0):.2f}-{max(pairs, default=0):.2f})"
        )
    return figures, reasons


def open_once(home: Path, env: dict[str, str], log: Log) -> None:
    """Open the home screen once and leave it when it has kept its list, as a user would
    have before: the files are first left to age past the list's two racy seconds."""
    kept = home / "cache" / LIST_NAME
    made = max(p.stat().st_ctime for p in home.rglob("*"))
    time.sleep(max(0.0, made + RACY_SECONDS + 0.1 - time.time()))  # files age; not a sync
    with Tmux() as tmux:
        tmux.start([*companion_argv(), "--no-sound"], env)
        began = time.monotonic()
        while not kept.exists():
            if time.monotonic() - began > 20:
                raise TmuxError("the home screen kept no list within 20 s")
            time.sleep(0.05)
        tmux.send_keys("q")
    log(f"first frame: opened the home screen once first ({kept.stat().st_size} bytes kept)")


# -- CPU ------------------------------------------------------------------------------------
def cpu_window(pids: dict[str, int], seconds: float) -> dict[str, float]:
    """Percent of one core each process used over the same wall-clock window."""
    before = {name: measure.cpu_seconds(pid) for name, pid in pids.items()}
    t0 = time.monotonic()
    time.sleep(seconds)
    wall = time.monotonic() - t0
    return {
        name: measure.cpu_percent(measure.cpu_seconds(pid) - before[name], wall)
        for name, pid in pids.items()
    }


def visible_rate(tmux: Tmux, seconds: float) -> float:
    """Distinct frames a second seen in a pane over `seconds` of continuous captures."""
    frames: list[Capture] = []
    began = time.time()
    while time.time() - began < seconds:
        cap = tmux.capture()
        frames.append(Capture(cap.start, cap.end, str(hash(cap.text))))
        time.sleep(0.002)
    rate, _ = measure.updates_per_second(frames, [(frames[0].start, frames[-1].end)])
    return rate


def cpu(work: Path, seconds: float, paused_seconds: float, log: Log) -> tuple[Figures, Reasons]:
    """The app's breath guide in constant motion (in 4, out 6, no holds), the braille-circle
    baseline, the Textual floor and an idle bare app, side by side over the same window (so
    the shared machine's load falls on all alike), after the app's first breath cycle; then
    the app paused. The bare app's peak RSS is the memory baseline.

    The floor (bench/floor_app.py) changes one small Static as many times a second as the
    guide visibly changed during its first cycle, counted from the captures in this run."""
    figures: Figures = {}
    reasons: Reasons = {}
    home = new_home(work)
    with Tmux() as app, Tmux() as circle, Tmux() as bare, Tmux() as floor:
        try:
            app.start([*companion_argv(), "run", FLOW_ID, "--no-sound"], app_env(home))
            circle.start(python_argv("braille_circle_app.py"), app_env(home))
            bare.start(python_argv("bare_app.py"), app_env(home))
            app.wait_for(FLOW_MARKER)
            circle.wait_for(BRAILLE_MARKER)
            bare.wait_for(BARE_MARKER)
            # The first breath cycle draws every orb size once (they are cached after), so
            # it costs more than the rest of a practice; it is measured and logged apart,
            # and the figure is the steady state a long practice spends its time in. The
            # guide's visible updates are counted during it, for the floor's rate.
            app_pid = app.pane_pid()
            before = measure.cpu_seconds(app_pid)
            t0 = time.monotonic()
            rate = visible_rate(app, min(FLOW_CYCLE, seconds / 2))
            first = measure.cpu_percent(
                measure.cpu_seconds(app_pid) - before, time.monotonic() - t0
            )
            log(
                f"cpu during the first breath cycle (warm-up, not counted): app {first:.2f}%; "
                f"its visible updates {rate:.1f}/s"
            )
            floor.start([*python_argv("floor_app.py"), f"{rate:.2f}"], app_env(home))
            floor.wait_for(FLOOR_MARKER)
            time.sleep(1.0)  # past the floor's own start-up
            pids = {
                "app": app_pid,
                "circle": circle.pane_pid(),
                "bare": bare.pane_pid(),
                "floor": floor.pane_pid(),
            }
            pct = cpu_window(pids, seconds)
            if phase_word(app.capture().text) is None:
                raise TmuxError("the breathing guide was not showing at the end of the window")
            figures["cpu_breathing_pct"] = pct["app"]
            figures["cpu_baseline_pct"] = pct["circle"]
            figures["x_cpu_bare_idle_pct"] = pct["bare"]
            figures["cpu_breathing_ratio"] = measure.ratio(pct["app"], pct["circle"])
            figures["cpu_floor_pct"] = pct["floor"]
            figures["cpu_breathing_vs_floor"] = measure.ratio(pct["app"], pct["floor"])
            figures["x_floor_rate"] = rate
            figures["rss_bare_mb"] = measure.peak_rss_mb(pids["bare"])
            log(f"cpu over {seconds:g} s: " + ", ".join(f"{k} {v:.2f}%" for k, v in pct.items()))
        except (TmuxError, OSError, ValueError) as exc:
            for key in (*CPU_KEYS, "rss_bare_mb", "cpu_paused_pct"):
                reasons[key] = str(exc)
            return figures, reasons
        circle.close()
        bare.close()
        floor.close()
        try:
            app.send_keys("Space")
            app.wait_for("Paused", timeout=5)
            time.sleep(1.0)
            pid = app.pane_pid()
            figures["cpu_paused_pct"] = cpu_window({"app": pid}, paused_seconds)["app"]
            log(f"cpu paused over {paused_seconds:g} s: {figures['cpu_paused_pct']:.3f}%")
        except (TmuxError, OSError, ValueError) as exc:
            reasons["cpu_paused_pct"] = f"pausing with space: {exc}"
    return figures, reasons


CPU_KEYS = (
    "cpu_breathing_pct",
    "cpu_baseline_pct",
    "cpu_breathing_ratio",
    "cpu_floor_pct",
    "cpu_breathing_vs_floor",
)


# -- timing of the phase words, visible updates, memory --------------------------------------
def journal_origin(journal: Path) -> float | None:
    """The wall time at which practice time 0 fell, from the journal's running row.

    The recorder writes `heartbeat` (wall seconds) with `practised` (practice seconds) at the
    start and about once a second; heartbeat - practised is the origin plus the few ms the
    app spent between reading its clock and writing, so the smallest sample is the best."""
    if not journal.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"file:{journal}?mode=ro", uri=True)) as db:
            row = db.execute(
                "SELECT heartbeat - practised FROM runs WHERE status = 'running' "
                "ORDER BY id DESC LIMIT 1"
            ).fetchone()
    except sqlite3.Error:
        return None
    return float(row[0]) if row and row[0] is not None else None


def phase_run(work: Path, seconds: float, log: Log) -> tuple[Figures, Reasons]:
    """A real run of the bench practice, watched through tmux as fast as it allows.

    From the same captures: when each phase word appeared against the schedule, how many
    distinct frames a second the screen showed during the in- and out-breaths, and the peak
    memory once 60 s of practice have passed."""
    from companion.engine.timeline import build_timeline
    from companion.practice.load import parse_practice

    try:
        import tomllib

        practice = parse_practice(
            tomllib.loads(BENCH_PRACTICE), path="bench.toml", practice_id=BENCH_ID, sounds=None
        )
    except Exception as exc:
        reason = f"cannot build the bench practice's schedule: {exc}"
        keys = ("phase_error_ms_max", "visible_updates_per_s", "rss_mb")
        return {}, dict.fromkeys(keys, reason)
    timeline = build_timeline(practice)
    scheduled = [(e.t, e.text) for e in timeline.events(0.0, seconds) if e.kind == "phase"]
    phases = [p for p in timeline.events(0.0, seconds + 8) if p.kind == "phase"]
    home = new_home(work)
    journal = home / "journal.sqlite3"
    figures: Figures = {}
    reasons: Reasons = {}
    words: list[Capture] = []
    frames: list[Capture] = []
    origins: list[float] = []
    with Tmux() as tmux:
        try:
            tmux.start([*companion_argv(), "run", BENCH_ID, "--no-sound"], app_env(home))
            tmux.wait_for(BENCH_MARKER)
            pid = tmux.pane_pid()
            began = time.time()
            next_db = began
            while time.time() - began < seconds:
                cap = tmux.capture()
                # Keep only what is needed: the word, and a hash to tell frames apart.
                words.append(Capture(cap.start, cap.end, phase_word(cap.text) or ""))
                frames.append(Capture(cap.start, cap.end, str(hash(cap.text))))
                if cap.end >= next_db:
                    origin = journal_origin(journal)
                    if origin is not None:
                        origins.append(origin)
                    next_db = cap.end + 1.0
                if "rss_mb" not in figures and cap.end - began >= 60:
                    figures["rss_mb"] = measure.peak_rss_mb(pid)
                time.sleep(0.002)
            if "rss_mb" not in figures:
                # A run shorter than a minute (--quick): the peak so far, said in the log.
                figures["rss_mb"] = measure.peak_rss_mb(pid)
                log(f"peak memory read after {seconds:g} s, not 60 s")
        except (TmuxError, OSError, ValueError) as exc:
            reason = f"live run failed: {exc}"
            return {}, {
                k: reason for k in ("phase_error_ms_max", "visible_updates_per_s", "rss_mb")
            }
    timing = measure.phase_timing(words, scheduled, origins)
    if timing is None:
        reason = "no phase word changes were seen"
        return figures, {**reasons, "phase_error_ms_max": reason, "visible_updates_per_s": reason}
    errors = timing.errors_ms
    if timing.missing or not errors:
        reasons["phase_error_ms_max"] = f"phase words not seen at {timing.missing[:5]} s"
    else:
        figures["phase_error_ms_max"] = max(errors)
        figures["x_capture_resolution_ms"] = timing.resolution_ms
        log(
            f"phase words: {len(errors)} changes, origin from {timing.method}, errors ms "
            f"p50 {measure.percentile(errors, 50):.1f} max {max(errors):.1f}, resolution "
            f"±{timing.resolution_ms:.1f} ms"
        )
    origin = timing.origin
    # Motion: the in- and out-breaths, a little inside each so a boundary's frame is not counted.
    windows = [
        (origin + p.t + 0.1, origin + nxt.t - 0.1)
        for p, nxt in itertools.pairwise(phases)
        if p.text in ("Breathe in", "Breathe out")
    ]
    rate, used = measure.updates_per_second(frames, windows)
    if used < 1:
        reasons["visible_updates_per_s"] = "no motion was captured"
    else:
        figures["visible_updates_per_s"] = rate
        figures["x_capture_rate"] = len(frames) / (frames[-1].end - frames[0].start)
        log(f"visible updates: {rate:.1f}/s over {used:.0f} s of motion")
    return figures, reasons


# -- noting latency -------------------------------------------------------------------------
def _press_latencies(
    tmux: Tmux,
    key: str,
    presses: int,
    seen: Callable[[str, int], bool],
    phases: list[str] | None = None,
) -> list[float]:
    """Milliseconds from sending each key to the first capture that shows its effect; with
    `phases`, the phase word on screen just before each press is appended to it."""
    out: list[float] = []
    for n in range(1, presses + 1):
        # A random gap so presses do not lock step with the app's 30 Hz frames.
        time.sleep(random.uniform(0.15, 0.35))
        if phases is not None:
            phases.append(phase_word(tmux.capture().text) or "")
        t0 = time.time()
        tmux.send_keys(key)
        while True:
            cap = tmux.capture()
            if seen(cap.text, n):
                out.append((cap.end - t0) * 1000)
                break
            if cap.end - t0 > 2.0:
                raise TmuxError(f"press {n} not shown within 2 s")
    return out


def noting(work: Path, presses: int, log: Log) -> tuple[Figures, Reasons]:
    """Key press to count on screen, polled continuously, beside the same measurement of the
    bare Textual app (its t key counts on its one line): the difference is companion's own
    work per note. The round trip through tmux to `cat` (the terminal echoes at once) is
    logged as the floor of the method."""
    figures: Figures = {}
    home = new_home(work)

    def counted(pattern: re.Pattern[str]) -> Callable[[str, int], bool]:
        def seen(text: str, n: int) -> bool:
            match = pattern.search(text)
            return match is not None and int(match.group(1)) >= n

        return seen

    try:
        with Tmux() as echo:
            echo.start(["cat"], {})
            floor = _press_latencies(echo, "x", presses, lambda text, n: text.count("x") >= n)
        with Tmux() as bare:
            bare.start(python_argv("bare_app.py"), app_env(home))
            bare.wait_for(BARE_MARKER)
            time.sleep(1.0)
            base = _press_latencies(bare, "t", presses, counted(BARE_COUNT_RE))
        figures["x_bare_key_ms_p95"] = measure.percentile(base, 95)
        with Tmux() as tmux:
            tmux.start([*companion_argv(), "run", BENCH_ID, "--no-sound"], app_env(home))
            tmux.wait_for(BENCH_MARKER)
            if COUNT_RE.search(tmux.wait_for("thinking").text) is None:
                raise TmuxError("the noting panel shows no count for 'thinking'")
            time.sleep(1.0)
            during: list[str] = []
            lat = _press_latencies(tmux, "t", presses, counted(COUNT_RE), during)
    except (TmuxError, OSError, ValueError) as exc:
        return figures, {"note_latency_ms_p95": str(exc)}
    figures["note_latency_ms_p95"] = measure.percentile(lat, 95)

    def summary(values: list[float]) -> str:
        p50, p95 = measure.percentile(values, 50), measure.percentile(values, 95)
        return f"p50 {p50:.1f} p95 {p95:.1f} max {max(values):.1f} ms"

    log(
        f"noting over {presses} presses: companion {summary(lat)}; bare Textual app "
        f"{summary(base)}; tmux echo {summary(floor)}"
    )
    # Which part of the breath each press fell in: the first in-breath draws each orb size
    # for the first time, which is where a slow frame would hold a key up.
    for word in PHASE_WORDS:
        some = [ms for ms, w in zip(lat, during, strict=True) if w == word]
        if some:
            log(f"  pressed during {word!r}: {[round(ms) for ms in some]} ms")
    return figures, {}
