"""The library after the teacher's second review (issue 14): what each practice now says and does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from companion.engine.rescale import RescaleError, rescale
from companion.engine.timeline import build_timeline
from companion.practice.course import load_course
from companion.practice.load import load_practice
from companion.practice.model import Practice

ROOT = Path(__file__).resolve().parent.parent
PRACTICES = ROOT / "practices"
PRACTICE_FILES = sorted(PRACTICES.glob("*.toml"))
SOUNDS = frozenset({"bowl", "bell", "tick", "tingsha", "gong"})
BREATH_WORDS = re.compile(r"breath|breathe|breathing|inhale|exhale|sigh", re.IGNORECASE)
YOU = (
    "May you love yourself as you are",
    "May you accept yourself as you are",
    "May you live at ease with who you are",
)
I3 = (
    "May I love myself as I am",
    "May I accept myself as I am",
    "May I live at ease with who I am",
)
SCANS = (
    "body-scan-3", "body-scan-10", "body-scan-20", "body-scan-up", "bedtime-scan",
    "kind-body-scan", "bedtime-rest",
)  # fmt: skip


def practice(pid: str) -> Practice:
    return load_practice(PRACTICES / f"{pid}.toml", source="bundled", sounds=SOUNDS)


def flat(text: str) -> str:
    return " ".join(text.split())


def every_word(p: Practice) -> str:
    """All the text a person meets in a practice."""
    parts = [p.title, p.summary, p.description]
    for seg in p.segments:
        parts += [seg.title, seg.recipient, *seg.prompts, *seg.phrases]
        parts += [c.text for c in seg.cues] + [t for _, t in seg.labels]
        parts += [r.prompt for r in seg.regions]
    return "\n".join(parts)


def test_the_new_practices_are_bundled() -> None:
    ids = {p.stem for p in PRACTICE_FILES}
    assert {
        "quiet-sitting-10", "quiet-sitting-open", "kind-pause", "rain", "self-forgiveness",
        "grounding-senses", "open-awareness", "box-breathing-gentle", "box-breathing-no-holds",
        "hard-day", "bedtime-rest", "skillful-compassion-phrases",
    } <= ids  # fmt: skip


@pytest.mark.parametrize("path", PRACTICE_FILES, ids=lambda p: p.stem)
def test_every_practice_says_eyes_open_or_closed_and_g_is_there(path: Path) -> None:
    p = load_practice(path, source="bundled", sounds=SOUNDS)
    text = flat(p.description)
    assert "open or closed" in text
    assert "g for a grounding pause" in text
    if any(s.kind == "breath" for s in p.segments):
        # b hides the shape, never the words; the description says so and offers an anchor.
        assert "press b to hide the breath guide" in text and "the words stay" in text


@pytest.mark.parametrize("path", PRACTICE_FILES, ids=lambda p: p.stem)
def test_only_breath_segments_pace_the_breath(path: Path) -> None:
    p = load_practice(path, source="bundled", sounds=SOUNDS)
    timeline = build_timeline(p)
    for span in timeline.spans:
        if span.segment.kind == "breath" or span.segment.duration is None:
            continue
        for k in range(5):
            state = timeline.state_at(span.start + span.length * k / 5)
            assert state.breath is None, (span.segment.kind, span.segment.heading)


@pytest.mark.parametrize("pid", ["bedtime-rest", "skillful-compassion-phrases", "grounding-senses"])
def test_breath_free_practices_never_mention_the_breath(pid: str) -> None:
    assert not BREATH_WORDS.search(every_word(practice(pid)))


def test_the_bedtime_scan_has_no_breath_cue_and_slackens_the_face_in_its_window() -> None:
    p = practice("bedtime-scan")
    assert not any(BREATH_WORDS.search(c.text) for c in p.segments[0].cues)
    timeline = build_timeline(p)
    cue = next(c for c in p.segments[1].cues if "face go slack" in c.text)
    state = timeline.state_at(timeline.spans[1].start + cue.at + 0.5)
    assert state.scan is not None and state.scan.region == "face"
    assert state.cue == cue.text


@pytest.mark.parametrize("pid", SCANS)
def test_every_scan_gives_each_region_its_own_prompt_and_leave_to_skip(pid: str) -> None:
    p = practice(pid)
    scan = next(s for s in p.segments if s.kind == "body_scan")
    assert all(r.prompt for r in scan.regions)
    assert not scan.prompts  # written for each region, not rotated
    text = flat(every_word(p)).lower()
    assert "skip" in text
    if pid != "bedtime-rest":  # that one never mentions the breath
        assert "breathe toward it, or simply rest attention there" in text


def test_scan_lengths_and_regions() -> None:
    short = next(s for s in practice("body-scan-3").segments if s.kind == "body_scan")
    assert 6 <= len(short.regions) <= 7
    ten = next(s for s in practice("body-scan-10").segments if s.kind == "body_scan")
    assert "back" in [r.name for r in ten.regions]


def test_the_course_carries_the_three_phrases_and_warns_of_old_grief() -> None:
    known = {p.stem for p in PRACTICE_FILES}
    course = load_course(PRACTICES / "courses" / "self-compassion-10.toml", known)
    ids = course.practice_ids
    for pid in ids[5:9]:
        phrases = {ph for s in practice(pid).segments for ph in s.phrases}
        assert set(YOU) <= phrases, pid
    last = [s for s in practice(ids[9]).segments if s.kind == "phrases"][-1]
    assert last.phrases == I3 and last.recipient == "yourself"
    assert practice(ids[9]).segments[-1] == last  # the course ends with them
    for pid in (ids[0], ids[2]):
        assert "grief" in flat(practice(pid).description)
    reflections = {d.practice: d.reflection for d in course.days}
    assert reflections["skillful-compassion"] == "Whatever you could stay with today was enough."
    for text in reflections.values():
        assert "Ten days" not in text and "You practised" not in text


def test_skillful_compassion_follows_the_natural_breath_with_a_way_out() -> None:
    p = practice("skillful-compassion")
    assert not any(s.kind == "breath" for s in p.segments)
    text = flat(every_word(p)).lower()
    assert "choose something mild" in text
    assert "start with yourself" in text
    assert "let the images go" in text and "press n to move on" in text
    assert "skillful-compassion-phrases" in text


def test_words_from_the_review() -> None:
    critic = flat(every_word(practice("noting-the-critic")))
    assert "it is trying to help?" not in critic
    assert "If yours is not, just name it." in critic

    sc_break = practice("self-compassion-break").segments
    naming, kindness = sc_break[1], sc_break[3]
    assert naming.kind == "settle" and len(naming.cues) <= 3  # named once or twice, then quiet
    assert naming.cues[-1].at + 30 <= (naming.duration or 0)
    assert kindness.duration == max(s.duration or 0 for s in sc_break)

    loving = practice("loving-kindness")
    difficult = next(s for s in loving.segments if "difficult" in s.recipient)
    assert "press n" in flat(loving.description)
    assert any("press n" in c.text for c in difficult.cues)


def test_the_new_practices_keep_their_promises() -> None:
    ten, open_ = practice("quiet-sitting-10"), practice("quiet-sitting-open")
    assert ten.total == 600 and ten.bells.interval == 300
    assert open_.total is None and open_.bells.interval == 300
    assert 120 <= (practice("kind-pause").total or 0) <= 180
    assert 150 <= (practice("grounding-senses").total or 0) <= 210
    for pid in ("rain", "open-awareness", "self-forgiveness"):
        assert 540 <= (practice(pid).total or 0) <= 660, pid
    gentle = next(s for s in practice("box-breathing-gentle").segments if s.pattern)
    assert gentle.pattern is not None and gentle.pattern.short() == "3-3-3-3"
    no_holds = next(s for s in practice("box-breathing-no-holds").segments if s.pattern)
    assert no_holds.pattern is not None and no_holds.pattern.short() == "4-0-4-0"
    hard = flat(every_word(practice("hard-day")))
    assert "It's okay to not be okay" in hard and "do not have to feel better" in hard
    assert "not me" in flat(practice("self-forgiveness").description)
    assert practice("coherent-breathing").title == "Slow breathing, easing to six"


@pytest.mark.parametrize("minutes", [3, 5, 10, 20])
def test_four_seven_eight_breathes_exactly_four_rounds_at_any_length(minutes: int) -> None:
    fitted = rescale(practice("relaxing-4-7-8"), minutes * 60)
    assert fitted.total == pytest.approx(minutes * 60)
    timeline = build_timeline(fitted)
    index, seg = next((i, s) for i, s in enumerate(fitted.segments) if s.kind == "breath")
    assert seg.breaths == 4 and seg.duration == 76
    ins = [e for e in timeline.events(0, minutes * 60) if e.kind == "phase" and e.segment == index]
    assert sum(1 for e in ins if e.text == "In through the nose") == 4
    last = next(c for c in seg.cues if c.text.startswith("Last round"))
    assert last.at == 57  # the fourth round of a 76 s segment


def test_the_cyclic_sigh_keeps_its_five_minutes_or_says_it_cannot() -> None:
    sigh = practice("cyclic-sigh")
    for minutes in (10, 20):
        fitted = rescale(sigh, minutes * 60)
        breath = next(s for s in fitted.segments if s.kind == "breath")
        assert breath.breaths == 33 and breath.duration == pytest.approx(297)
    with pytest.raises(RescaleError, match="cannot fit in 3m"):
        rescale(sigh, 180)
