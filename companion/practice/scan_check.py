"""Checking a body scan's direction and regions, and kindness phrases and their pace."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from companion.practice.counted_check import CountedChecker
from companion.practice.durations import type_name
from companion.practice.model import Region, Segment
from companion.practice.regions import DEFAULT_REGIONS, KNOWN_REGIONS, default_weight
from companion.practice.suggest import suggest

REGION_KEYS = ("name", "weight", "prompt")  # a region written as a table


class ScanChecker(CountedChecker):
    """The readers of a body scan and of kindness phrases."""

    def body_scan(self, table: Mapping[str, Any], where: str, seg: Segment) -> Segment:
        """A body scan's direction, regions and prompts."""
        direction = "down"
        if "direction" in table:
            value = table["direction"]
            if value not in ("down", "up"):
                shown = repr(value) if isinstance(value, str) else type_name(value)
                self.add(f"{where}.direction", f'must be "down" or "up" (got {shown})')
            else:
                direction = value
        regions: list[Region] = []
        raw = table.get("regions")
        if raw is None:
            regions = [Region(name, default_weight(name)) for name in DEFAULT_REGIONS]
        elif not isinstance(raw, list):
            self.add(
                f"{where}.regions",
                f'must be a list of region names, like ["head", "feet"] (got {type_name(raw)})',
            )
        elif not raw:
            self.add(f"{where}.regions", "must name at least one region")
        else:
            if len(raw) > 60:
                self.add(f"{where}.regions", f"has {len(raw)} regions; the most is 60")
                raw = raw[:60]
            for i, item in enumerate(raw, 1):
                region = self.region(item, f"{where}.regions[{i}]")
                if region is not None:
                    regions.append(region)
        prompts = self.texts(table, "prompts", where)
        return seg._replace(direction=direction, regions=tuple(regions), prompts=tuple(prompts))

    def region(self, item: object, where: str) -> Region | None:
        """One body region, by name or as { name, weight, prompt }."""
        weight: float | None = None
        prompt = ""
        if isinstance(item, dict):
            self.unknown(item, REGION_KEYS, where)
            name = item.get("name")
            prompt = self.region_prompt(item, where)
            if "weight" in item:
                w = item["weight"]
                if isinstance(w, bool) or not isinstance(w, int | float) or not 0.1 <= w <= 10:
                    self.add(
                        f"{where}.weight", f"must be a number from 0.1 to 10 (got {type_name(w)})"
                    )
                    return None
                weight = float(w)
        else:
            name = item
        if not isinstance(name, str):
            self.add(where, f"must be a region name in quotes (got {type_name(name)})")
            return None
        key = name.strip().lower()
        if key not in KNOWN_REGIONS:
            self.add(
                where,
                f"unknown body region {name!r}{suggest(key, KNOWN_REGIONS)} "
                f"(regions: {', '.join(KNOWN_REGIONS)})",
            )
            return None
        return Region(key, weight if weight is not None else default_weight(key), prompt)

    # -- a region's own prompt (issue 14) ----------------------------------------------------
    def region_prompt(self, item: Mapping[str, Any], where: str) -> str:
        """A region's own prompt ("" when it has none): text, not blank, within the limit."""
        if "prompt" not in item:
            return ""
        prompt = self.text(item, "prompt", where)
        if isinstance(item["prompt"], str) and not prompt.strip():
            self.add(
                f"{where}.prompt",
                "must not be empty; leave prompt out to use the scan's prompts",
            )
        return prompt.strip()

    def phrases(self, table: Mapping[str, Any], where: str, seg: Segment) -> Segment:
        """Kindness phrases, who they are for and how often they change."""
        recipient = self.text(table, "recipient", where, one_line=True, limit=120)
        phrases = self.texts(table, "phrases", where)
        if "phrases" not in table:
            self.add(f"{where}.phrases", 'is required, like phrases = ["May I be at ease"]')
        elif not phrases and isinstance(table.get("phrases"), list) and not table["phrases"]:
            self.add(f"{where}.phrases", "must hold at least one phrase")
        every = 10.0
        if "every" in table:
            value = self.duration(table, "every", where)
            if value is not None and not math.isnan(value):
                if not 2 <= value <= 600:
                    self.add(
                        f"{where}.every", f"must be between 2s and 10m (got {table['every']!r})"
                    )
                else:
                    every = value
        return seg._replace(recipient=recipient.strip(), phrases=tuple(phrases), every=every)
