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


def outline(practice: Practice, timeline: Timeline | None = None) -> dict[str, Any]:
    """The outline as plain data (what --json prints)."""
    tl = timeline or build_timeline(practice)
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
        if seg.kind == "breath" and seg.pattern is not None:
            plan = tl.breath_plan(span.index)
            item["pattern"] = seg.pattern.as_keys()
            item["breaths_per_minute"] = round(seg.pattern.per_minute, 2)
            if seg.ramp is not None:
                item["ramp"] = {"to": seg.ramp.to.as_keys(), "over": _round(seg.ramp.over)}
            item["breaths"] = (
                None if plan is None or seg.duration is None else plan.cycles_in(seg.duration)
            )
            item["labels"] = dict(seg.labels)
            if seg.phase_sound:
                item["phase_sound"] = seg.phase_sound
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
        "kinds": list(practice.kinds),
        "noting": dict(practice.noting),
        "bells": {
            "start": b.start,
            "start_strikes": b.start_strikes,
            "end": b.end,
            "end_strikes": b.end_strikes,
            "interval": b.interval,
            "interval_sound": b.interval_sound,
            "times": bells,
        },
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
            to = f"{t['in']:g}-{t['hold']:g}-{t['out']:g}-{t['hold_out']:g}"
            text += f" easing to {to} over {format_duration(item['ramp']['over'])}"
        if item.get("breaths"):
            text += f", {item['breaths']} breaths"
        return text
    if kind == "body_scan":
        regions = item.get("regions", [])
        return f"{item['direction']}, {len(regions)} regions"
    if kind == "phrases":
        who = f" for {item['recipient']}" if item.get("recipient") else ""
        return f"{len(item['phrases'])} phrases{who}, each {format_duration(item['every'])}"
    return str(KIND_NAMES.get(kind, kind)).lower()


def outline_text(data: dict[str, Any]) -> str:
    """The outline as a person reads it in a terminal."""
    lines = [f"{data['title']}  ({data['id']}, {data['source']})"]
    if data["summary"]:
        lines.append(data["summary"])
    total = "open (until you end it)" if data["total"] is None else format_duration(data["total"])
    lines.append(f"Length: {total}")
    lines.append("")
    lines.append("  #  start  end    kind       title")
    for item in data["segments"]:
        end = "open " if item["end"] is None else clock_text(item["end"])
        lines.append(
            f"{item['index']:>3}  {clock_text(item['start'])}  {end}  {item['kind']:<10} {item['title']}"
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
