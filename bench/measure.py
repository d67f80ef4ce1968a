"""Pure helpers for the benchmark: /proc parsing, statistics, frame analysis, the table, JSON.

Nothing here starts processes or reads the clock, so tests/test_bench_smoke.py can check it
all quickly. bench/run.py and its measurement modules do the timing.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

# The JSON document has exactly these keys, in this order (issue 7). A figure that could not
# be measured is null, and the table says why.
KEYS: tuple[str, ...] = (
    "first_frame_ms",
    "first_frame_bare_ms",
    "first_frame_ratio",
    "cpu_breathing_pct",
    "cpu_baseline_pct",
    "cpu_breathing_ratio",
    "cpu_paused_pct",
    "visible_updates_per_s",
    "phase_error_ms_max",
    "drift_ms_1h",
    "chime_onset_ms_p95",
    "note_latency_ms_p95",
    "rss_mb",
    "rss_bare_mb",
    "stats_10y_ms",
    "load_200_practices_ms",
    "dense_load_ms",
    "dense_first_frame_ms",
    # issue 18: the home screen's first frame, the Textual floor, moving inside the app
    "first_frame_home_ms",
    "first_frame_home_ratio",
    "cpu_floor_pct",
    "cpu_breathing_vs_floor",
    "enter_to_practice_ms",
    "history_open_ms",
    "soundscape_seam_ratio_max",
    "spoken_cue_onset_ms_p95",
    "bell_onset_ms_p95",
    "bell_onset_over_background_ms_p95",
    "cpu_eyes_closed_pct",
    "cpu_eyes_open_pct",
)

Value = float | None


# -- /proc ------------------------------------------------------------------------------------
def cpu_ticks(stat_text: str) -> int:
    """utime + stime (clock ticks) from the text of /proc/PID/stat.

    The command name (field 2) is in parentheses and may hold spaces, so split after the last
    ')': what follows starts at field 3, which puts utime (field 14) at index 11.
    """
    rest = stat_text[stat_text.rindex(")") + 2 :].split()
    return int(rest[11]) + int(rest[12])


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system, all threads) a live process has used so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        return cpu_ticks(f.read()) / os.sysconf("SC_CLK_TCK")


def status_kb(status_text: str, field: str) -> int:
    """A kB figure such as VmHWM (peak resident memory) from the text of /proc/PID/status."""
    match = re.search(rf"^{field}:\s+(\d+)\s+kB", status_text, re.MULTILINE)
    if match is None:
        raise ValueError(f"no {field} in /proc status")
    return int(match.group(1))


def peak_rss_mb(pid: int) -> float:
    """Peak resident set size (VmHWM) of a live process, in MB (10^6 bytes)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        return status_kb(f.read(), "VmHWM") * 1024 / 1e6


def cpu_percent(cpu_s: float, wall_s: float) -> float:
    """CPU time as a percentage of one core over a wall-clock window."""
    return 100.0 * cpu_s / wall_s if wall_s > 0 else math.nan


# -- statistics -------------------------------------------------------------------------------
def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0..100) with linear interpolation between ranks (numpy's default)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100.0
    lo = math.floor(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: Sequence[float]) -> float:
    """The median."""
    return statistics.median(values)


def ratio(value: Value, baseline: Value) -> Value:
    """value / baseline, or None when either is missing or the baseline is zero."""
    if value is None or baseline is None or baseline == 0:
        return None
    return value / baseline


# -- frames seen through tmux -----------------------------------------------------------------
@dataclass(frozen=True)
class Capture:
    """One snapshot of the pane: taken at some moment between start and end (wall seconds)."""

    start: float
    end: float
    text: str


def distinct_frames(captures: Sequence[Capture]) -> int:
    """How many times the picture changed between consecutive captures."""
    return sum(1 for a, b in itertools.pairwise(captures) if a.text != b.text)


def updates_per_second(
    captures: Sequence[Capture], windows: Iterable[tuple[float, float]]
) -> tuple[float, float]:
    """Visible updates per second inside the given (start, end) windows, and the seconds used.

    Only changes between two captures that both fall inside one window count, so still
    stretches (breath holds) between the windows do not dilute the figure.
    """
    changes = 0
    seconds = 0.0
    for w0, w1 in windows:
        inside = [c for c in captures if w0 <= c.start and c.end <= w1]
        if len(inside) < 2:
            continue
        changes += distinct_frames(inside)
        seconds += inside[-1].end - inside[0].start
    return (changes / seconds if seconds > 0 else 0.0), seconds


@dataclass(frozen=True)
class Change:
    """The first capture showing a new value, and the interval in which the change happened."""

    value: str
    earliest: float  # the previous capture's start: the old value was still showing then
    latest: float  # this capture's end: the new value was showing by then

    @property
    def at(self) -> float:
        """Best estimate of the moment of change: the middle of the interval."""
        return (self.earliest + self.latest) / 2

    @property
    def uncertainty(self) -> float:
        """Half the interval: the estimate is within this of the truth."""
        return (self.latest - self.earliest) / 2


def changes(captures: Sequence[Capture], read: Callable[[str], str | None]) -> list[Change]:
    """Every change of the value `read` finds in the captures (captures where it finds
    nothing are skipped, e.g. a frame caught half-drawn)."""
    out: list[Change] = []
    last: str | None = None
    last_start = math.nan
    for cap in captures:
        value = read(cap.text)
        if value is None:
            continue
        if last is not None and value != last:
            out.append(Change(value, last_start, cap.end))
        last = value
        last_start = cap.start
    return out


def match_schedule(
    seen: Sequence[Change], scheduled: Sequence[tuple[float, str]], window: float = 1.0
) -> list[tuple[float, Change | None]]:
    """Pair each scheduled (time, value) with the first seen change to that value within
    `window` seconds either side; None when the screen never showed it."""
    out: list[tuple[float, Change | None]] = []
    for t, value in scheduled:
        near = [c for c in seen if c.value == value and abs(c.at - t) <= window]
        out.append((t, min(near, key=lambda c: abs(c.at - t)) if near else None))
    return out


@dataclass(frozen=True)
class PhaseTiming:
    """When the phase words showed against when they were due."""

    origin: float  # wall time of practice time 0
    method: str  # how the origin was found
    errors_ms: list[float]  # |shown - due| for each change seen
    missing: list[float]  # practice times of changes that never showed
    resolution_ms: float  # median half-interval around the changes seen


def phase_timing(
    words: Sequence[Capture], scheduled: Sequence[tuple[float, str]], origins: Sequence[float]
) -> PhaseTiming | None:
    """Match the word changes in `words` (captures whose text is the word, "" for none) to
    `scheduled` (practice time, word). `origins` are estimates of the wall time of practice
    time 0 that can only be late (the journal's heartbeat minus practice time), so the
    smallest is used. Without any, the best-timed change is taken as exact, which hides a
    constant lag (the method says so). None when nothing can be matched."""
    if not words:
        return None
    seen = changes(words, lambda w: w or None)
    if origins:
        origin, method = min(origins), "journal heartbeat"
    else:
        rough = words[0].start  # the session starts about when the first frame shows
        shifted = [(rough + t, w) for t, w in scheduled]
        lags = [c.at - t for t, c in match_schedule(seen, shifted, 2.0) if c]
        if not lags:
            return None
        origin, method = rough + min(lags), "best change taken as exact (no journal)"
    # Only changes inside the watched stretch count (the first word is there from the start).
    first, last = words[0].end + 0.5, words[-1].end - 0.5
    watched = [(origin + t, w) for t, w in scheduled if first < origin + t < last]
    pairs = match_schedule(seen, watched)
    found = [(t, c) for t, c in pairs if c is not None]
    return PhaseTiming(
        origin=origin,
        method=method,
        errors_ms=[abs(c.at - t) * 1000 for t, c in found],
        missing=[t - origin for t, c in pairs if c is None],
        resolution_ms=median([c.uncertainty * 1000 for _, c in found]) if found else math.nan,
    )


# -- audio ------------------------------------------------------------------------------------
def onsets(
    samples: Sequence[float], rate: int, threshold: float, quiet: float = 0.25
) -> list[float]:
    """Seconds at which sound starts: the first sample above threshold after at least `quiet`
    seconds below it (so a bell's own ringing does not count as a new onset)."""
    gap = int(quiet * rate)
    out: list[float] = []
    last_loud = -gap - 1
    for i, s in enumerate(samples):
        if abs(s) >= threshold:
            if i - last_loud > gap:
                out.append(i / rate)
            last_loud = i
    return out


# -- the report -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One line of the table: a figure, its same-run baseline and its target."""

    label: str
    key: str
    unit: str
    target: str
    met: Callable[[Mapping[str, Value]], bool | None]
    baseline_key: str | None = None  # a JSON key, or an extra figure only the table shows
    ratio_key: str | None = None
    baseline_label: str = ""


def _at_most(key: str, limit: float) -> Callable[[Mapping[str, Value]], bool | None]:
    def check(v: Mapping[str, Value]) -> bool | None:
        x = v.get(key)
        return None if x is None else x <= limit

    return check


def _at_least(key: str, limit: float) -> Callable[[Mapping[str, Value]], bool | None]:
    def check(v: Mapping[str, Value]) -> bool | None:
        x = v.get(key)
        return None if x is None else x >= limit

    return check


def _both(
    a: Callable[[Mapping[str, Value]], bool | None], b: Callable[[Mapping[str, Value]], bool | None]
) -> Callable[[Mapping[str, Value]], bool | None]:
    def check(v: Mapping[str, Value]) -> bool | None:
        x, y = a(v), b(v)
        if x is False or y is False:
            return False
        return None if x is None or y is None else True

    return check


ROWS: tuple[Row, ...] = (
    Row("First frame", "first_frame_ms", "ms", "ratio <= 1.2",
        _at_most("first_frame_ratio", 1.2), "first_frame_bare_ms", "first_frame_ratio",
        "bare Textual app"),
    Row("First frame, home screen", "first_frame_home_ms", "ms", "ratio <= 1.2",
        _at_most("first_frame_home_ratio", 1.2), "first_frame_bare_ms", "first_frame_home_ratio",
        "bare Textual app"),
    Row("First frame, home, first start", "x_first_frame_home_unkept_ms", "ms",
        "none (no list kept yet)", lambda v: None, "first_frame_bare_ms",
        "x_first_frame_home_unkept_ratio", "bare Textual app"),
    Row("CPU, breathing guide", "cpu_breathing_pct", "% core", "<= 5 % and ratio <= 0.4",
        _both(_at_most("cpu_breathing_pct", 5.0), _at_most("cpu_breathing_ratio", 0.4)),
        "cpu_baseline_pct", "cpu_breathing_ratio", "braille circle, 30 fps"),
    Row("CPU, breathing vs the Textual floor", "cpu_breathing_pct", "% core", "ratio <= 1.15",
        _at_most("cpu_breathing_vs_floor", 1.15), "cpu_floor_pct", "cpu_breathing_vs_floor",
        "one Static, same updates/s"),
    Row("CPU, paused", "cpu_paused_pct", "% core", "<= 0.5 %", _at_most("cpu_paused_pct", 0.5),
        "x_cpu_bare_idle_pct", None, "bare Textual app, idle"),
    Row("Visible updates in motion", "visible_updates_per_s", "/s", ">= 20 /s",
        _at_least("visible_updates_per_s", 20.0), "x_capture_rate", None, "tmux captures/s"),
    Row("Phase word, worst error", "phase_error_ms_max", "ms", "<= 50 ms",
        _at_most("phase_error_ms_max", 50.0), "x_capture_resolution_ms", None,
        "capture resolution"),
    Row("Drift after 1 h (fake clock)", "drift_ms_1h", "ms", "0 ms", _at_most("drift_ms_1h", 0.0),
        "x_drift_step_ms", None, "clock step"),
    Row("Chime onset, p95", "chime_onset_ms_p95", "ms", "<= 60 ms",
        _at_most("chime_onset_ms_p95", 60.0), "x_audio_buffer_ms", None, "mixer buffer"),
    Row("Noting key to screen, p95", "note_latency_ms_p95", "ms", "<= 50 ms",
        _at_most("note_latency_ms_p95", 50.0), "x_bare_key_ms_p95", "x_note_ratio", "bare Textual app, p95"),
    Row("Peak memory (60 s practice)", "rss_mb", "MB", "<= 80 MB", _at_most("rss_mb", 80.0),
        "rss_bare_mb", "x_rss_ratio", "bare Textual app"),
    Row("`companion stats`, 10 years, CPU", "stats_10y_ms", "ms", "<= 200 ms",
        _at_most("stats_10y_ms", 200.0), "x_version_ms", None, "`companion --version`"),
    Row("200 user practices, added CPU", "load_200_practices_ms", "ms", "<= 150 ms",
        _at_most("load_200_practices_ms", 150.0), "x_list_empty_ms", None,
        "`companion list`, none"),
    Row("Dense practice: load, timeline, outline", "dense_load_ms", "ms", "<= 150 ms",
        _at_most("dense_load_ms", 150.0), "x_dense_box_load_ms", None, "box breathing"),
    Row("Dense practice: first frame", "dense_first_frame_ms", "ms", "ratio <= 1.2",
        _at_most("x_dense_first_frame_ratio", 1.2), "x_dense_box_first_frame_ms",
        "x_dense_first_frame_ratio", "box breathing"),
    Row("Enter on home to practice screen", "enter_to_practice_ms", "ms", "<= 150 ms",
        _at_most("enter_to_practice_ms", 150.0), "x_bare_key_ms", None, "bare app, key"),
    Row("History, 10 years, key to figures", "history_open_ms", "ms", "<= 300 ms",
        _at_most("history_open_ms", 300.0), "x_bare_key_ms", None, "bare app, key"),
    Row("Soundscape loop seam, worst join", "soundscape_seam_ratio_max", "x",
        "<= 3 x median step", _at_most("soundscape_seam_ratio_max", 3.0)),
    Row("Spoken cue onset, p95", "spoken_cue_onset_ms_p95", "ms", "<= 150 ms",
        _at_most("spoken_cue_onset_ms_p95", 150.0)),
    Row("Bell onset over rain, p95", "bell_onset_over_background_ms_p95", "ms",
        "within 10 ms of silence", _at_most("x_bell_onset_background_diff_ms", 10.0),
        "bell_onset_ms_p95", None, "same bell on silence"),
    Row("CPU, eyes closed with rain", "cpu_eyes_closed_pct", "% core", "<= +0.5 point",
        _at_most("x_cpu_eyes_closed_extra_points", 0.5), "cpu_eyes_open_pct", None,
        "same practice without"),
)  # fmt: skip


def fmt(x: Value, unit: str = "") -> str:
    """A figure for the table: a few significant digits, or n/a."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if unit == "x":
        return f"{x:.2f}x"
    ax = abs(x)
    text = f"{x:.0f}" if ax >= 100 else f"{x:.1f}" if ax >= 10 else f"{x:.2f}"
    return f"{text} {unit}".rstrip()


def table(values: Mapping[str, Value], reasons: Mapping[str, str]) -> str:
    """The one table: figure, value, baseline, ratio, target, met; reasons for n/a below it."""
    head = ("figure", "value", "baseline", "ratio", "target", "met")
    lines: list[tuple[str, ...]] = []
    notes: list[str] = []
    for row in ROWS:
        value = values.get(row.key)
        baseline = values.get(row.baseline_key) if row.baseline_key else None
        base_text = ""
        if row.baseline_key:
            base_text = fmt(baseline, row.unit)
            if row.baseline_label:
                base_text += f" ({row.baseline_label})"
        rat = values.get(row.ratio_key) if row.ratio_key else None
        met = row.met(values)
        met_text = "n/a" if met is None else "yes" if met else "NO"
        lines.append(
            (row.label, fmt(value, row.unit), base_text, fmt(rat, "x") if row.ratio_key else "",
             row.target, met_text)
        )  # fmt: skip
        if value is None and row.key in reasons:
            notes.append(f"  {row.label}: n/a ({reasons[row.key]})")
    widths = [max(len(r[i]) for r in [head, *lines]) for i in range(len(head))]
    out = [" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    out.append("-+-".join("-" * w for w in widths))
    out.extend(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in lines)
    if notes:
        out.append("")
        out.append("not measured:")
        out.extend(notes)
    return "\n".join(out)


def json_document(values: Mapping[str, Value]) -> dict[str, Value]:
    """Exactly the issue's keys, in order; extras (keys starting x_) stay in the table only."""
    out: dict[str, Value] = {}
    for key in KEYS:
        x = values.get(key)
        out[key] = None if x is None or math.isnan(x) else round(float(x), 3)
    return out
