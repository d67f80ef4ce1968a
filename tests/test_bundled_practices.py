"""The bundled library: every practice and course validates, runs in the engine, and reads kindly."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from companion.engine.rescale import RescaleError, rescale
from companion.engine.timeline import build_timeline
from companion.library.library import Library
from companion.paths import Paths
from companion.practice.course import load_course, parse_course
from companion.practice.errors import PracticeError
from companion.practice.load import load_practice
from companion.practice.model import Practice

ROOT = Path(__file__).resolve().parent.parent
PRACTICE_FILES = sorted((ROOT / "practices").glob("*.toml"))
COURSE_FILES = sorted((ROOT / "practices" / "courses").glob("*.toml"))
SOUNDS = frozenset({"bowl", "bell", "tick", "tingsha", "gong"})  # the bundled set
FIRST_TAGS = {"breath", "body", "noting", "kindness", "quick"}
ANCHORS = ("hands", "seat", "feet", "sounds", "weight", "heart")
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _load(path: Path) -> Practice:
    return load_practice(path, source="bundled", sounds=SOUNDS)


@pytest.fixture
def lib_paths(paths: Paths, tmp_path: Path) -> Paths:
    """Paths whose bundled sounds folder holds stand-ins for the five bundled sounds."""
    sounds = tmp_path / "stand-in-sounds"
    sounds.mkdir()
    for name in SOUNDS:
        (sounds / f"{name}.wav").write_bytes(b"")
    return paths._replace(bundled_sounds=sounds)


def test_the_library_covers_every_group() -> None:
    ids = {p.stem for p in PRACTICE_FILES}
    expected = {
        "box-breathing", "relaxing-4-7-8", "coherent-breathing", "resonance-breathing",
        "cyclic-sigh", "wind-down", "triangle-breathing", "body-scan-3", "body-scan-10",
        "body-scan-20", "body-scan-up", "bedtime-scan", "noting-10", "noting-3",
        "loving-kindness", "self-compassion-phrases", "self-compassion-break",
        "skillful-compassion", "breathing-space-3", "arrival-1", "settling",
    }  # fmt: skip
    assert expected <= ids
    groups = {_load(p).tags[0] for p in PRACTICE_FILES}
    assert groups == FIRST_TAGS


@pytest.mark.parametrize("path", PRACTICE_FILES, ids=lambda p: p.stem)
def test_every_bundled_practice_validates(path: Path) -> None:
    practice = _load(path)
    assert ID.match(practice.id), "ids are plain kebab-case"
    assert practice.summary and practice.description
    assert practice.tags and practice.tags[0] in FIRST_TAGS
    used = {practice.bells.start, practice.bells.end, practice.bells.interval_sound}
    for seg in practice.segments:
        used |= {seg.chime or "none", seg.phase_sound or "none"}
    assert used - {"none"} <= SOUNDS


def test_library_loads_everything_cleanly(lib_paths: Paths) -> None:
    library = Library.load(lib_paths)
    broken = {e.id: [str(p) for p in e.problems] for e in library.sorted() if not e.ok}
    assert broken == {}
    assert len(library.entries) == len(PRACTICE_FILES)
    assert all(e.source == "bundled" for e in library.sorted())
    courses = library.sorted_courses()
    assert [c.id for c in courses] == [p.stem for p in COURSE_FILES]
    assert all(c.ok for c in courses), [c.problems for c in courses]


def test_ids_and_titles_are_unique() -> None:
    ids = [p.stem.lower() for p in PRACTICE_FILES]
    assert len(ids) == len(set(ids))
    titles = [_load(p).title for p in PRACTICE_FILES]
    assert len(titles) == len(set(titles))
    assert not {p.stem for p in COURSE_FILES} & set(ids)


def _check_runs(practice: Practice) -> None:
    if practice.total is None:  # an open-ended timer: walk its first hour
        practice = rescale(practice, 3600)
    timeline = build_timeline(practice)
    total = practice.total
    assert total is not None and total > 0
    spans = timeline.spans
    assert spans[0].start == 0
    for before, after in itertools.pairwise(spans):
        assert after.start == pytest.approx(before.end)
    assert spans[-1].end == pytest.approx(total)
    assert timeline.total == pytest.approx(sum(s.duration or 0 for s in practice.segments))

    # Walk the whole schedule in windows; segment events sit exactly on the boundaries.
    events = []
    t, end = 0.0, timeline.last_sound_time() + 1
    while t < end:
        events.extend(timeline.events(t, t + 37.0))
        t += 37.0
    starts = [e.t for e in events if e.kind == "segment"]
    assert starts == pytest.approx([s.start for s in spans])
    assert [e.t for e in events] == sorted(e.t for e in events)
    assert sum(1 for e in events if e.kind == "end") == 1
    for e in events:
        if e.kind in ("phase", "region", "phrase", "cue"):
            span = spans[e.segment]
            assert span.start - 1e-6 <= e.t < span.end + 1e-6
    assert {e.kind for e in events} >= {"segment", "cue", "end"}

    # The state is defined everywhere, and agrees with the spans.
    steps = 600
    for k in range(steps + 1):
        at = total * k / steps
        state = timeline.state_at(at)
        span = timeline.span_at(at)
        if at < total:
            assert state.segment_index == span.index
            assert not state.finished
        if state.breath is not None:
            assert 0.0 <= state.breath.progress <= 1.0
            assert 0.0 <= state.breath.size <= 1.0
        if state.scan is not None:
            assert 0.0 <= state.scan.band <= 1.0
        if state.segment.kind == "phrases":
            assert state.phrase is not None and state.phrase.text
    assert timeline.state_at(total + 5).finished


@pytest.mark.parametrize("path", PRACTICE_FILES, ids=lambda p: p.stem)
def test_every_practice_runs_at_full_length(path: Path) -> None:
    _check_runs(_load(path))


@pytest.mark.parametrize("path", PRACTICE_FILES, ids=lambda p: p.stem)
def test_every_practice_runs_rescaled_to_three_minutes(path: Path) -> None:
    practice = _load(path)
    fixed = sum(s.duration or 0 for s in practice.segments if s.fixed)
    if fixed >= 180:  # counted breaths that never shrink (the cyclic sigh's ~5 minutes)
        with pytest.raises(RescaleError, match="cannot fit in 3m"):
            rescale(practice, 180)
        return
    short = rescale(practice, 180)
    assert short.total == pytest.approx(180)
    _check_runs(short)


@pytest.mark.parametrize("path", PRACTICE_FILES, ids=lambda p: p.stem)
def test_guidance_is_short_and_spread_through_each_segment(path: Path) -> None:
    practice = _load(path)
    for i, seg in enumerate(practice.segments, 1):
        assert seg.cues, f"segment {i} has no cues"
        assert seg.cues[0].at == 0, f"segment {i} starts without guidance"
        for cue in seg.cues:
            assert len(cue.text) <= 90, cue.text
        for text in (*seg.prompts, *seg.phrases, *(t for _, t in seg.labels)):
            assert len(text) <= 90, text
        # No long stretch without a word, unless the region prompts or phrases carry it.
        # A quiet-sitting timer is quiet on purpose: one line at the start.
        if seg.kind not in ("body_scan", "phrases") and "timer" not in practice.tags:
            times = [c.at for c in seg.cues] + [seg.duration or 0]
            gaps = [b - a for a, b in itertools.pairwise(times)]
            assert max(gaps) <= 90, f"segment {i}: {max(gaps)}s without a cue"


def _asks_for_breath(practice: Practice) -> bool:
    # Only breath segments show a breath guide; settle segments are unpaced (issue 14).
    return any(s.kind == "breath" for s in practice.segments)


@pytest.mark.parametrize("path", PRACTICE_FILES, ids=lambda p: p.stem)
def test_breath_practices_offer_another_anchor(path: Path) -> None:
    practice = _load(path)
    if not _asks_for_breath(practice):
        pytest.skip("no breath focus")
    text = " ".join(practice.description.lower().split())
    assert "press b" in text and "hide the breath guide" in text
    assert "press g" in text and "grounding pause" in text
    assert any(word in text for word in ANCHORS)


def _by_id(practice_id: str) -> Practice:
    return _load(ROOT / "practices" / f"{practice_id}.toml")


def test_breath_timings_follow_the_reference() -> None:
    four = _by_id("relaxing-4-7-8").segments[1]
    assert four.pattern is not None and four.pattern.short() == "4-7-8-0"
    assert four.duration == 76 and four.duration / four.pattern.cycle == 4
    assert "first month" in _by_id("relaxing-4-7-8").description

    coherent = _by_id("coherent-breathing")
    ramp_seg = next(s for s in coherent.segments if s.ramp)
    assert ramp_seg.pattern is not None and ramp_seg.ramp is not None
    assert ramp_seg.pattern.per_minute == pytest.approx(10)
    assert ramp_seg.ramp.to.per_minute == pytest.approx(6)
    assert ramp_seg.ramp.to.exhale >= ramp_seg.ramp.to.inhale
    assert coherent.segments[-1].kind == "settle" and coherent.segments[-1].duration == 60

    resonance = next(s for s in _by_id("resonance-breathing").segments if s.pattern)
    assert resonance.pattern is not None
    assert resonance.pattern.per_minute == pytest.approx(5.5, abs=0.01)
    assert resonance.pattern.inhale == resonance.pattern.exhale == 5.45

    sigh = next(s for s in _by_id("cyclic-sigh").segments if s.pattern)
    assert sigh.pattern is not None and sigh.breaths == 33  # about 5 minutes, never rescaled
    assert (sigh.pattern.inhale, sigh.pattern.top_up, sigh.pattern.exhale) == (2, 1, 6)

    wind = [s for s in _by_id("wind-down").segments if s.pattern]
    assert wind[0].pattern is not None and wind[0].pattern.short() == "4-0-6-0"
    assert wind[1].ramp is not None and wind[1].ramp.to.short() == "4-0-8-0"

    tri = next(s for s in _by_id("triangle-breathing").segments if s.pattern)
    assert tri.ramp is not None and tri.ramp.to.short() == "4-4-4-0"


def test_body_scans_run_the_right_way() -> None:
    for pid, direction in (
        ("body-scan-3", "down"), ("body-scan-10", "down"), ("body-scan-20", "down"),
        ("body-scan-up", "up"), ("bedtime-scan", "down"),
    ):  # fmt: skip
        practice = _by_id(pid)
        scan = next(s for s in practice.segments if s.kind == "body_scan")
        assert scan.direction == direction
        timeline = build_timeline(practice)
        plan = timeline.scan_plan(practice.segments.index(scan))
        assert plan is not None
        names = [r.name for r in plan.regions if r.name != "whole body"]
        first, last = (("head", "crown"), ("feet", "toes")) if direction == "down" else (
            ("feet", "toes"), ("head", "crown"))  # fmt: skip
        assert names[0] in first and names[-1] in last
    assert _by_id("bedtime-scan").bells.end == "none"
    assert _by_id("body-scan-20").bells.interval == 600


def test_kindness_practices_keep_their_shape() -> None:
    phrases = next(s for s in _by_id("self-compassion-phrases").segments if s.phrases)
    assert phrases.phrases == (
        "May I love myself as I am",
        "May I accept myself as I am",
        "May I live at ease with who I am",
    )
    loving = _by_id("loving-kindness")
    recipients = [s.recipient for s in loving.segments if s.kind == "phrases"]
    assert recipients[0] == "yourself" and recipients[-1] == "all beings"
    assert "difficult" in recipients[-2]
    difficult = next(s for s in loving.segments if s.recipient == recipients[-2])
    assert any("go back to yourself" in c.text.lower() for c in difficult.cues)
    # Tonglen follows the natural breath: its words are on screen, nothing paces it.
    tonglen = _by_id("skillful-compassion").segments
    assert not any(s.kind == "breath" for s in tonglen)
    assert tonglen[1].title == "Breathing in what is heavy, breathing out relief"
    steps = [s.title for s in _by_id("self-compassion-break").segments[1:4]]
    assert steps == ["This is a hard moment", "You are not alone", "Kindness"]


# -- courses -------------------------------------------------------------------------------
@pytest.mark.parametrize("path", COURSE_FILES, ids=lambda p: p.stem)
def test_every_course_validates_and_names_existing_practices(path: Path) -> None:
    known = {p.stem for p in PRACTICE_FILES}
    course = load_course(path, known, source="bundled")
    assert course.title and course.summary
    for day in course.days:
        assert day.practice in known
        assert day.title and day.reflection
        assert len(day.reflection) <= 120


def test_the_self_compassion_course_is_a_ten_day_progression() -> None:
    known = {p.stem for p in PRACTICE_FILES}
    course = load_course(ROOT / "practices" / "courses" / "self-compassion-10.toml", known)
    assert len(course.days) == 10
    assert [d.number for d in course.days] == list(range(1, 11))
    assert course.practice_ids[4] == "self-compassion-break"
    assert course.practice_ids[8] == "skillful-compassion"
    for day in course.days:
        total = _by_id(day.practice).total
        assert total is not None and 7 * 60 <= total <= 12 * 60, day.practice


def _course_problems(data: Mapping[str, object], known: set[str] | None = None) -> list[str]:
    with pytest.raises(PracticeError) as caught:
        parse_course(data, path="c.toml", course_id="c", known_ids=known)
    return [str(p) for p in caught.value.problems]


def test_course_errors_are_precise() -> None:
    known = {"box-breathing", "noting-10"}
    problems = _course_problems(
        {
            "title": "T",
            "days": [],
            "day": [
                {"practice": "box-breathng", "title": "One"},
                {"practice": "../x", "title": "Two"},
                {"title": "Three", "reflexion": "r"},
                {"practice": 4, "title": ""},
            ],
        },
        known,
    )
    assert problems == [
        "c.toml: days: unknown key; did you mean 'day'?",
        "c.toml: day[1].practice: no practice called 'box-breathng'; did you mean "
        "'box-breathing'? (`companion list` shows them all)",
        "c.toml: day[2].practice: is not a practice id (got '../x'); use the practice file's "
        'name without the folder or .toml, like "box-breathing"',
        "c.toml: day[3].reflexion: unknown key; did you mean 'reflection'?",
        'c.toml: day[3].practice: is required: the id of a practice, like practice = "box-breathing"',
        "c.toml: day[4].practice: must be a practice id in quotes (got a number (4))",
        "c.toml: day[4].title: must not be empty",
    ]
    assert _course_problems({"summary": "s"}) == [
        'c.toml: title: is required; add a line such as title = "..."',
        "c.toml: day: a course needs at least one [[day]] with a practice and a title",
    ]
    many = {"title": "T", "day": [{"practice": "a", "title": "x"}] * 101}
    assert _course_problems(many) == ["c.toml: day: has 101 days; the most is 100"]


def test_course_syntax_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text('title = "T"\n[[day]]\npractice = \n')
    with pytest.raises(PracticeError) as caught:
        load_course(bad)
    assert str(caught.value.problems[0]).startswith(f"{bad}:3:")


def test_user_courses_override_bundled_ones_and_are_checked(lib_paths: Paths) -> None:
    folder = lib_paths.courses_dir
    folder.mkdir(parents=True)
    (folder / "self-compassion-10.toml").write_text(
        'title = "Mine"\n[[day]]\npractice = "noting-3"\ntitle = "Day one"\n'
    )
    (folder / "broken.toml").write_text('title = "B"\n[[day]]\npractice = "nope"\ntitle = "x"\n')
    library = Library.load(lib_paths)
    mine = library.get_course("self-compassion-10")
    assert mine.source == "user" and mine.overrides and mine.course is not None
    assert mine.course.title == "Mine"
    broken = library.get_course("broken")
    assert not broken.ok and "no practice called 'nope'" in str(broken.problems[0])
    with pytest.raises(LookupError, match="No course called 'self-compassion'"):
        library.get_course("self-compassion")
