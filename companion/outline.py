"""A practice's outline: what `companion show` prints and the home screen previews.

The JSON form is a documented, stable document (docs/cli.md): add keys freely, rename none.
"""

from __future__ import annotations

import math
from typing import Any

from companion.engine.timeline import Timeline, build_timeline
from companion.practice.durations import clock_text, format_duration
from companion.practice.model import KIND_NAMES, Practice

OUTLINE_FORMAT = 1
BELL_HORIZON = 12 * 3600.0  # bells of an open practice are listed for this long


def _round(x: float) -> float:
    return round(x, 3)


SHOW_SEED = 0  # `show` prints the draw of this seed; each run draws its own


def outline(practice: Practice, timeline: Timeline | None = None) -> dict[str, Any]:
    """The outline as plain data (what --json prints)."""
    tl = timeline or build_timeline(practice, seed=SHOW_SEED)
    segments: list[dict[str, Any]] = []
    for span in tl.spans:
        seg = span.segment
        item: dict[str, Any] = {
            "index": span.index + 1,
            "kind": seg.kind,
            "title": seg.heading,
            "start": _round(span.start),
            "end": None if math.isinf(span.end) else _round(span.end),
            "duration": None if seg.duration is None else _round(seg.duration),
            "cues": [{"at": _round(c.at), "text": c.text} for c in seg.cues],
        }
        if seg.chime:
            item["chime"] = seg.chime
        if span.round:
            times = practice.segments[span.key[0]].times
            item["round"] = span.round
            item["rounds"] = times  # None: the rounds go on until ended
            item["part"] = span.part + 1
        if seg.kind == "hold":
            item["after"] = seg.after
            item["until"] = seg.until or None
            item["max"] = _round(span.length) if seg.key_ended else None
        if seg.kind == "breath" and seg.pattern is not None:
            plan = tl.breath_plan(span.index)
            item["pattern"] = seg.pattern.as_keys()
            item["breaths_per_minute"] = round(seg.pattern.per_minute, 2)
            if seg.ramp is not None:
                item["ramp"] = {"to": seg.ramp.to.as_keys(), "over": _round(seg.ramp.over)}
            item["breaths"] = (
                None if plan is None or seg.duration is None else plan.cycles_in(seg.duration)
            )
            item["labels"] = dict(seg.label_turns[0] if seg.label_turns else seg.labels)
            if seg.label_turns:
                item["label_turns"] = [dict(turn) for turn in seg.label_turns]
            if seg.phase_sound:
                item["phase_sound"] = seg.phase_sound
            if seg.phase_sounds:
                item["phase_sounds"] = dict(seg.phase_sounds)
            item["counted"] = seg.breaths is not None
            item["whole_breaths"] = seg.whole_breaths
            if seg.written is not None:
                item["written"] = _round(seg.written)
        if seg.kind == "body_scan":
            scan = tl.scan_plan(span.index)
            item["direction"] = seg.direction
            item["regions"] = (
                []
                if scan is None
                else [
                    {
                        "name": r.name,
                        "start": _round(span.start + s),
                        "end": _round(span.start + s + length),
                        "prompt": r.prompt,  # the region's own prompt, "" when it has none
                    }
                    for r, s, length in zip(scan.regions, scan.starts, scan.lengths, strict=True)
                ]
            )
            item["prompts"] = list(seg.prompts)
        if seg.kind == "phrases":
            item["recipient"] = seg.recipient
            item["phrases"] = list(seg.phrases)
            item["every"] = _round(seg.every)
        segments.append(item)
    horizon = tl.last_sound_time() if tl.total is not None else BELL_HORIZON
    bells = [
        {"t": _round(s.t), "sound": s.sound, "role": s.role}
        for s in tl.sounds(0.0, horizon + 1e-6)
        if s.role != "phase"
    ]
    b = practice.bells
    ranged = b.interval_to is not None
    return {
        "format": OUTLINE_FORMAT,
        "id": practice.id,
        "title": practice.title,
        "summary": practice.summary,
        "description": practice.description,
        "tags": list(practice.tags),
        "source": practice.source,
        "path": str(practice.path) if practice.path else None,
        "total": None if tl.total is None else _round(tl.total),
        "prepare": _round(practice.prepare),
        "key_holds": any(span.segment.key_ended for span in tl.spans),
        "kinds": list(practice.kinds),
        "noting": dict(practice.noting),
        "bells": {
            "start": b.start,
            "start_strikes": b.start_strikes,
            "end": b.end,
            "end_strikes": b.end_strikes,
            "interval": None if ranged else b.interval,
            "interval_sound": b.interval_sound,
            "interval_range": [b.interval, b.interval_to] if ranged else None,
            "interval_from": _round(b.interval_from),
            "strike_gap": b.strike_gap,
            "at": [_round(t) for t in b.at],
            "at_sound": b.at_sound,
            "seed": tl.seed if ranged else None,
            "times": bells,
        },
        "sound": _sound(practice),  # the [sound] table: null where the settings decide
        "segments": segments,
    }


def segment_line(item: dict[str, Any]) -> str:
    """One segment in words: '4-4-4-4 (3.75/min), 15 breaths' and the like."""
    kind = item["kind"]
    if kind == "breath" and "pattern" in item:
        p = item["pattern"]
        pat = f"{p['in']:g}" + (f"+{p['top_up']:g}" if p["top_up"] else "")
        pat += f"-{p['hold']:g}-{p['out']:g}-{p['hold_out']:g}"
        text: str = f"{pat} ({item['breaths_per_minute']:g}/min)"
        if "ramp" in item:
            t = item["ramp"]["to"]
            to = f"{t['in']:g}" + (f"+{t['top_up']:g}" if t["top_up"] else "")
            to += f"-{t['hold']:g}-{t['out']:g}-{t['hold_out']:g}"
            text += f" easing to {to} over {length_text(item['ramp']['over'])}"
        if item.get("breaths"):
            text += f", {item['breaths']} breath{'' if item['breaths'] == 1 else 's'}"
            if item.get("written") is not None and item["written"] != item["duration"]:
                text += f" (asked for {length_text(item['written'])}; ends on a whole breath)"
        if item.get("label_turns"):
            text += f", labels alternate over {len(item['label_turns'])} breaths"
        return text
    if kind == "hold":
        after = "in-breath" if item.get("after") == "in" else "out-breath"
        if item.get("until") == "key":
            return f"held after the {after}, up to {length_text(item['max'])} (until space)"
        return f"held after the {after} for {length_text(item['duration'])}"
    if kind == "body_scan":
        regions = item.get("regions", [])
        return f"{item['direction']}, {len(regions)} regions"
    if kind == "phrases":
        who = f" for {item['recipient']}" if item.get("recipient") else ""
        return f"{len(item['phrases'])} phrases{who}, each {length_text(item['every'])}"
    return str(KIND_NAMES.get(kind, kind)).lower()


def outline_text(data: dict[str, Any]) -> str:
    """The outline as a person reads it in a terminal."""
    lines = [f"{data['title']}  ({data['id']}, {data['source']})"]
    if data["summary"]:
        lines.append(data["summary"])
    if data["total"] is None:
        total = "open (until you end it)"
    elif data.get("key_holds"):
        total = f"up to {length_text(data['total'])} (holds end when you press space)"
    else:
        total = length_text(data["total"])
    lines.append(f"Length: {total}")
    if data.get("prepare"):
        lines.append(f"Preparation: {length_text(data['prepare'])} before the start bell")
    heard = [
        f"{k.replace('_', ' ')} { ({True: 'on', False: 'off'}.get(v, v)) }"
        for k, v in data.get("sound", {}).items()
        if v is not None
    ]
    if heard:
        lines.append("Sound: " + ", ".join(heard))
    lines.append("")
    lines.append("  #  start  end    kind       title")
    for item in data["segments"]:
        end = "open " if item["end"] is None else clock_text(item["end"])
        title = item["title"]
        if item.get("round"):
            of = f" of {item['rounds']}" if item["rounds"] else ", repeating until you end it"
            title += f" (round {item['round']}{of})"
        lines.append(
            f"{item['index']:>3}  {clock_text(item['start'])}  {end}  {item['kind']:<10} {title}"
        )
        lines.append(f"{'':24}{segment_line(item)}")
        if item["kind"] == "body_scan":
            for region in item["regions"]:
                lines.append(
                    f"{'':24}  {clock_text(region['start'])}-{clock_text(region['end'])}  {region['name']}"
                )
                if region.get("prompt"):
                    lines.append(f"{'':26}  “{region['prompt']}”")
        if item["kind"] == "phrases":
            for phrase in item["phrases"]:
                lines.append(f"{'':26}“{phrase}”")
        for cue in item["cues"]:
            lines.append(f"{'':24}  +{clock_text(cue['at'])}  {cue['text']}")
    lines.append("")
    lines.append("Bells:")
    b = data["bells"]
    if b.get("interval_range"):
        low, high = b["interval_range"]
        lines.append(
            f"  interval gaps are drawn between {length_text(low)} and {length_text(high)}"
            " each run; these are one draw"
        )
    grouped: dict[tuple[str, str], list[float]] = {}
    for bell in b["times"]:
        grouped.setdefault((bell["role"], bell["sound"]), []).append(bell["t"])
    if not grouped:
        lines.append("  none")
    for (role, sound), times in grouped.items():
        shown = ", ".join(clock_text(t) for t in times[:12]) + (" ..." if len(times) > 12 else "")
        lines.append(f"  {role:<9} {sound:<8} at {shown}")
    keys = ", ".join(f"{k} {v}" for k, v in data["noting"].items())
    lines.append(f"Noting keys: {keys}")
    if data["path"]:
        lines.append(f"File: {data['path']}")
    return "\n".join(lines)


def length_text(seconds: float) -> str:
    """A length as people write it, a fractional second kept to two places: 1h21m31.6s."""
    hundredths = round(seconds * 100)
    if hundredths % 100 == 0:
        return format_duration(float(hundredths // 100))
    minutes, rest = divmod(hundredths, 6000)
    secs = f"{rest / 100:g}s"
    return secs if minutes == 0 else format_duration(float(minutes * 60)) + secs


def _sound(practice: Practice) -> dict[str, Any]:
    """The practice's `[sound]` choices (None: the settings or the gentle defaults decide)."""
    c = practice.sound
    return {
        "background": c.background,
        "background_volume": c.background_volume,
        "eyes_closed": c.eyes_closed,
        "breath_in": c.breath_in,
        "breath_out": c.breath_out,
        "region": c.region,
        "phrase": c.phrase,
        "segment": c.segment,
    }
