"""Duckling's Vietnamese time corpus (tests/data/duckling-vi/time.json) as conformance anchors for the dates extractor.

Each text is run through the real pipeline with the document date = Duckling's reference day (2017-02-02). An example
passes when one date mention covers the whole text with the expected start and end (Duckling's second/minute/hour
instants are compared at day level). Clock times alone are not dates in this project (ANNOTATION.md §1), so those
examples may fail; every absolute day, month, quarter and year form must pass.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from corpus.normalize import normalize_text
from extractors.context import Context
from extractors.pipeline import extract_mentions

DATA = json.loads((Path(__file__).parent / "data" / "duckling-vi" / "time.json").read_text(encoding="utf-8"))
REF = date(2017, 2, 2)
FLOOR = 130 / 160   # reached when this test was written (clock-only times are no dates); raise it as support grows
_EXPLICIT = re.compile(r"\d{4}|\d{1,2}/\d{1,2}|tháng\s+\S+|quý\s+\S+|ngày\s+\d", re.IGNORECASE)


def _passes(example: dict) -> bool:
    text = normalize_text(example["text"])
    found = [m for m in extract_mentions(text, Context(doc_date=REF), kinds=["dates"]) if m.kind == "date"]
    return any(m.start == 0 and m.end == len(text) and m.normalized.start == example["start"]
               and m.normalized.end == example["end"] for m in found)


def _absolute(example: dict) -> bool:
    """A day, month, quarter or year written with its digits or its month/quarter word (no clock, no relative)."""
    if example["grain"] not in ("day", "month", "quarter", "year"):
        return False
    return _EXPLICIT.search(example["text"]) is not None


ABSOLUTE = [e for e in DATA["examples"] if _absolute(e)]


def test_overall_pass_rate() -> None:
    results = [(e["text"], _passes(e)) for e in DATA["examples"]]
    rate = sum(ok for _, ok in results) / len(results)
    failed = [t for t, ok in results if not ok]
    print(f"\nduckling time: {sum(ok for _, ok in results)}/{len(results)} = {rate:.1%}; failing: {failed}")
    assert rate >= FLOOR, failed


@pytest.mark.parametrize("example", ABSOLUTE, ids=[e["text"] for e in ABSOLUTE])
def test_absolute_forms(example: dict) -> None:
    assert _passes(example), example


def test_absolute_forms_are_many() -> None:
    assert len(ABSOLUTE) >= 20


@pytest.mark.parametrize("text", DATA["negative"])
def test_negative(text: str) -> None:
    found = [m for m in extract_mentions(normalize_text(text), Context(doc_date=REF), kinds=["dates"])
             if m.kind == "date"]
    assert not found, [(m.text, m.normalized) for m in found]
