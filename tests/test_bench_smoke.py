"""The benchmark's pure helpers: /proc parsing, statistics, frame analysis, table and JSON.

No timing is asserted here; bench/run.py measures, these tests only check its arithmetic.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bench import measure
from bench.launch import BENCH_PRACTICE, FLOW_PRACTICE, companion_argv
from bench.measure import Capture, Change

# A real /proc/PID/stat line, with a command name holding a space and a parenthesis.
STAT = (
    "4242 (my (odd) app) S 1 4242 4242 34816 4242 4194304 1503 0 0 0 "
    "250 37 0 0 20 0 3 0 123456 200000000 9000 18446744073709551615"
)
STATUS = "Name:\tpython\nVmPeak:\t  200000 kB\nVmHWM:\t   45678 kB\nVmRSS:\t   40000 kB\n"


def test_cpu_ticks_are_utime_plus_stime() -> None:
    assert measure.cpu_ticks(STAT) == 250 + 37


def test_cpu_seconds_of_this_process() -> None:
    assert measure.cpu_seconds(os.getpid()) >= 0


def test_status_peak_rss() -> None:
    assert measure.status_kb(STATUS, "VmHWM") == 45678
    with pytest.raises(ValueError):
        measure.status_kb(STATUS, "VmSwap")
    assert measure.peak_rss_mb(os.getpid()) > 1


def test_cpu_percent_and_ratio() -> None:
    assert measure.cpu_percent(1.5, 30.0) == pytest.approx(5.0)
    assert measure.ratio(2.0, 4.0) == 0.5
    assert measure.ratio(None, 4.0) is None
    assert measure.ratio(1.0, 0.0) is None


def test_percentile_interpolates() -> None:
    values = [float(x) for x in range(1, 21)]  # 1..20
    assert measure.percentile(values, 50) == pytest.approx(10.5)
    assert measure.percentile(values, 95) == pytest.approx(19.05)
    assert measure.percentile([7.0], 95) == 7.0
    with pytest.raises(ValueError):
        measure.percentile([], 50)


def caps(*items: tuple[float, str]) -> list[Capture]:
    """Captures each taking 1 ms from the given start."""
    return [Capture(t, t + 0.001, text) for t, text in items]


def test_distinct_frames_and_rate_inside_windows() -> None:
    frames = caps((0.0, "a"), (0.1, "a"), (0.2, "b"), (0.3, "c"), (0.4, "c"), (2.0, "d"))
    assert measure.distinct_frames(frames) == 3
    rate, seconds = measure.updates_per_second(frames, [(0.0, 0.5)])
    assert seconds == pytest.approx(0.401)
    assert rate == pytest.approx(2 / 0.401)  # the change to "d" is outside the window


def test_changes_bracket_the_moment() -> None:
    frames = caps((0.0, "Hold"), (0.01, "Hold"), (0.02, "?"), (0.03, "Breathe in"))
    seen = measure.changes(frames, lambda text: None if text == "?" else text)
    assert seen == [Change("Breathe in", 0.01, 0.031)]
    assert seen[0].at == pytest.approx(0.0205)
    assert seen[0].uncertainty == pytest.approx(0.0105)


def test_match_schedule_pairs_nearest_and_reports_missing() -> None:
    seen = [Change("Hold", 4.00, 4.02), Change("Breathe out", 8.03, 8.05)]
    pairs = measure.match_schedule(seen, [(4.0, "Hold"), (8.0, "Breathe out"), (12.0, "Hold")])
    assert [c for _, c in pairs] == [seen[0], seen[1], None]


def test_onsets_need_quiet_before_them() -> None:
    rate = 100
    samples = [0.0] * 50 + [0.9, 0.5, 0.2] + [0.0] * 10 + [0.8] + [0.0] * 40 + [0.7]
    # The second burst is only 0.1 s after the first: part of it. The third follows quiet.
    assert measure.onsets(samples, rate, threshold=0.5, quiet=0.25) == [0.5, 1.04]


def test_json_document_has_exactly_the_issue_keys() -> None:
    values: dict[str, float | None] = {key: 1.23456 for key in measure.KEYS}
    values["x_capture_rate"] = 99.0
    values["rss_mb"] = None
    doc = measure.json_document(values)
    assert list(doc) == [
        "first_frame_ms", "first_frame_bare_ms", "first_frame_ratio", "cpu_breathing_pct",
        "cpu_baseline_pct", "cpu_breathing_ratio", "cpu_paused_pct", "visible_updates_per_s",
        "phase_error_ms_max", "drift_ms_1h", "chime_onset_ms_p95", "note_latency_ms_p95",
        "rss_mb", "rss_bare_mb", "stats_10y_ms", "load_200_practices_ms",
        "dense_load_ms", "dense_first_frame_ms",  # issue 16: dense practices
        "first_frame_home_ms", "first_frame_home_ratio", "cpu_floor_pct",  # issue 18
        "cpu_breathing_vs_floor", "enter_to_practice_ms", "history_open_ms",
        "soundscape_seam_ratio_max", "spoken_cue_onset_ms_p95", "bell_onset_ms_p95",
        "bell_onset_over_background_ms_p95", "cpu_eyes_closed_pct", "cpu_eyes_open_pct",  # 15
    ]  # fmt: skip
    assert doc["rss_mb"] is None
    assert doc["first_frame_ms"] == 1.235
    assert json.loads(json.dumps(doc)) == doc


def test_every_key_has_a_row_in_the_table() -> None:
    shown = {r.key for r in measure.ROWS} | {r.baseline_key for r in measure.ROWS}
    shown |= {r.ratio_key for r in measure.ROWS}
    assert set(measure.KEYS) <= shown


def test_table_says_met_missed_and_why() -> None:
    values: dict[str, float | None] = dict.fromkeys(measure.KEYS)
    values.update(first_frame_ms=230.0, first_frame_bare_ms=200.0, first_frame_ratio=1.15)
    values.update(cpu_breathing_pct=6.0, cpu_baseline_pct=13.0, cpu_breathing_ratio=0.46)
    text = measure.table(values, {"drift_ms_1h": "the UI is not there yet"})
    lines = text.splitlines()
    assert lines[0].split(" | ")[0].strip() == "figure"
    first = next(line for line in lines if line.startswith("First frame"))
    assert "230 ms" in first and "1.15x" in first and first.rstrip().endswith("yes")
    cpu = next(line for line in lines if line.startswith("CPU, breathing"))
    assert cpu.rstrip().endswith("NO")
    assert "Drift after 1 h (fake clock): n/a (the UI is not there yet)" in text
    # Every row has the same number of columns.
    rows = [lines[0], *lines[2 : len(measure.ROWS) + 2]]
    assert len({line.count(" | ") for line in rows}) == 1


def test_fmt() -> None:
    assert measure.fmt(None) == "n/a"
    assert measure.fmt(float("nan"), "ms") == "n/a"
    assert measure.fmt(1234.5, "ms") == "1234 ms"
    assert measure.fmt(12.345, "MB") == "12.3 MB"
    assert measure.fmt(0.1234, "x") == "0.12x"


def test_bench_practice_is_a_valid_practice(tmp_path: Path) -> None:
    from companion.practice.load import load_practice

    path = tmp_path / "bench-breath.toml"
    path.write_text(BENCH_PRACTICE, encoding="utf-8")
    practice = load_practice(path, sounds=None)
    assert practice.noting_map == {"t": "thinking"}
    assert practice.segments[0].kind == "breath"
    path.write_text(FLOW_PRACTICE, encoding="utf-8")
    flow = load_practice(path, sounds=None)
    pattern = flow.segments[0].pattern
    assert pattern is not None and pattern.hold == 0 and pattern.hold_out == 0


def test_companion_command_is_found() -> None:
    argv = companion_argv()
    assert Path(argv[-1]).name == "companion" or argv[-2:] == ["-m", "companion"]


def word_captures(origin: float, shown: list[tuple[float, str]], until: float) -> list[Capture]:
    """Captures every 10 ms from origin to origin + until of the word shown at each moment."""
    out: list[Capture] = []
    t = 0.0
    while t < until:
        word = [w for at, w in shown if at <= t][-1]
        out.append(Capture(origin + t, origin + t + 0.001, word))
        t += 0.01
    return out


SCHEDULE = [(0.0, "Breathe in"), (4.0, "Hold"), (8.0, "Breathe out"), (12.0, "Hold")]


def test_phase_timing_with_the_journal_origin() -> None:
    # Each word shows 30 ms late; the journal says practice time 0 was at wall time 100.
    shown = [(0.0, "Breathe in"), (4.03, "Hold"), (8.03, "Breathe out"), (12.03, "Hold")]
    timing = measure.phase_timing(word_captures(100.0, shown, 14.0), SCHEDULE, [100.004, 100.0])
    assert timing is not None and timing.method == "journal heartbeat"
    assert timing.origin == 100.0
    assert len(timing.errors_ms) == 3 and not timing.missing
    assert all(25 < e < 36 for e in timing.errors_ms)
    assert timing.resolution_ms == pytest.approx(5.5, abs=0.6)


def test_phase_timing_without_a_journal_reports_the_spread() -> None:
    shown = [(0.0, "Breathe in"), (4.03, "Hold"), (8.05, "Breathe out"), (12.03, "Hold")]
    timing = measure.phase_timing(word_captures(100.0, shown, 14.0), SCHEDULE, [])
    assert timing is not None and timing.method.startswith("best change")
    assert max(timing.errors_ms) == pytest.approx(20, abs=6)  # 50 ms late against 30 ms late


def test_phase_timing_lists_changes_never_shown() -> None:
    shown = [(0.0, "Breathe in"), (4.0, "Hold")]  # stuck on Hold
    timing = measure.phase_timing(word_captures(100.0, shown, 14.0), SCHEDULE, [100.0])
    assert timing is not None and timing.missing == [8.0, 12.0]
    assert measure.phase_timing([], SCHEDULE, []) is None


def test_the_dense_practices_load_within_the_limits(tmp_path: Path) -> None:
    from bench.dense import write_dense
    from companion.engine.timeline import build_timeline
    from companion.practice.load import MAX_FILE_BYTES, load_practice

    files = write_dense(tmp_path)
    interval = build_timeline(load_practice(files["dense-interval"], sounds=None))
    rung = [s for s in interval.sounds(0.0, interval.total or 0.0) if s.role == "interval"]
    assert len(rung) == 4319  # every 10 s of 12 h; the 4,320th is the end bell itself
    assert files["dense-cues"].stat().st_size <= MAX_FILE_BYTES
    cues = load_practice(files["dense-cues"], sounds=None)
    assert len(cues.segments) == 200 and all(len(s.cues) == 30 for s in cues.segments)
