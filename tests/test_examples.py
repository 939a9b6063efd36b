"""Examples are the tests (Duckling's habit): every extractor's examples.yaml, run through the real pipeline.

A positive example lists every mention of that kind the text holds (``text`` plus the normalized fields to check);
the extractor must find exactly those. A negative example must yield no mention of that kind.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
import yaml

from extractors.context import Context
from extractors.pipeline import MENTION_EXTRACTORS, extract_mentions

ROOT = Path(__file__).resolve().parents[1] / "extractors"
KIND = {"quantities": "quantity", "dates": "date", "references": "reference", "agencies": "agency",
        "locations": "location"}


def _load(name: str) -> dict:
    data = yaml.safe_load((ROOT / name / "examples.yaml").read_text(encoding="utf-8")) or {}
    return data


def _ctx(case: dict, defaults: dict) -> Context:
    merged = {**defaults, **{k: v for k, v in case.items() if k in ("doc_date", "province", "own_number")}}
    d = merged.get("doc_date")
    return Context(doc_date=date.fromisoformat(str(d)) if d else None, province=merged.get("province"),
                   own_number=merged.get("own_number"))


def _cases(kind_filter: str):
    for name in MENTION_EXTRACTORS:
        data = _load(name)
        defaults = data.get("context") or {}
        for i, case in enumerate(data.get(kind_filter) or []):
            if isinstance(case, str):
                case = {"text": case}
            yield pytest.param(name, case, defaults, id=f"{name}-{i}-{case['text'][:40]}")


def _same(a, b) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


@pytest.mark.parametrize("name,case,defaults", list(_cases("examples")))
def test_positive(name: str, case: dict, defaults: dict) -> None:
    kind = KIND[name]
    found = [m for m in extract_mentions(case["text"], _ctx(case, defaults), kinds=[name]) if m.kind == kind]
    got = [(m.text, m.normalized.model_dump()) for m in found]
    expected = case.get("expect") or []
    for exp in expected:
        fields = {k: v for k, v in exp.items() if k != "text"}
        match = [g for g in got if ("text" not in exp or g[0] == exp["text"])
                 and all(_same(g[1].get(k), v) for k, v in fields.items())]
        assert match, f"expected {exp} in {case['text']!r}; got {got}"
    assert len(got) == len(expected), f"{case['text']!r}: expected {len(expected)} {kind} mentions, got {got}"


@pytest.mark.parametrize("name,case,defaults", list(_cases("negatives")))
def test_negative(name: str, case: dict, defaults: dict) -> None:
    kind = KIND[name]
    found = [m for m in extract_mentions(case["text"], _ctx(case, defaults), kinds=[name]) if m.kind == kind]
    assert not found, f"{case['text']!r} must yield no {kind}; got {[(m.text, m.normalized) for m in found]}"


def test_every_extractor_has_examples() -> None:
    for name in MENTION_EXTRACTORS:
        data = _load(name)
        assert len(data.get("examples") or []) >= 20, f"{name}: fewer than 20 positive examples"
        assert len(data.get("negatives") or []) >= 5, f"{name}: fewer than 5 negative examples"
