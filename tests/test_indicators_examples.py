"""Indicator examples (extractors/indicators/examples.yaml): real sentences through the real pipeline (`annotate`)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from corpus.model import Document, Indicator, Metadata
from extractors.pipeline import annotate

EXAMPLES = Path(__file__).resolve().parents[1] / "extractors" / "indicators" / "examples.yaml"
DATA = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))


def _annotate(case: dict) -> Document:
    meta = {k: str(v) for k, v in (case.get("doc") or {}).items()}
    doc = Document(text=case["text"], metadata=Metadata(**meta))
    doc.id = Document.id_for(doc.text)
    return annotate(doc)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=1e-9)


def _fields(ind: Indicator) -> dict:
    return {"kind": ind.kind, "year": int(ind.period.end[:4]) if ind.period and ind.period.end else None,
            "subject": ind.subject, "comparator": ind.comparator, "source": ind.source, "metric": ind.metric,
            "agencies": {a.canonical for a in ind.agencies}, "location": ind.location.name if ind.location else None}


def _params(key: str):
    return [pytest.param(c, id=f"{i}-{c['text'][:40]}") for i, c in enumerate(DATA.get(key) or [])]


@pytest.mark.parametrize("case", _params("examples"))
def test_example(case: dict) -> None:
    doc = _annotate(case)
    assert not [e for e in doc.errors if e.severity == "error"], doc.errors
    for ind in doc.indicators:
        assert doc.text[ind.start:ind.end] == ind.text
    if case.get("only_units"):
        assert {i.unit for i in doc.indicators} <= set(case["only_units"]), [(i.text, i.unit) for i in doc.indicators]
    for exp in case["expect"]:
        same_value = [i for i in doc.indicators if _same(i.value, exp["value"]) and i.unit == exp.get("unit")]
        assert same_value, f"no indicator {exp['value']} {exp.get('unit')}: " + repr(
            [(i.value, i.unit, i.kind) for i in doc.indicators])
        wanted = {k: v for k, v in exp.items() if k not in ("value", "unit")}
        got = [_fields(i) for i in same_value]
        only = wanted.pop("only_agencies", None)
        if only is not None:
            wanted["agencies"] = set(only)
        assert any(all(g[k] == set(v) if k == "agencies" and only is not None else set(v) <= g[k] if k == "agencies"
                       else g[k] == v for k, v in wanted.items()) for g in got), (
            f"{exp} not in {got}")
        if case.get("only_dated"):
            assert all(g["year"] is not None for g in got if g["kind"] == "target"), got


@pytest.mark.parametrize("case", _params("negatives"))
def test_negative(case: dict) -> None:
    doc = _annotate(case)
    assert doc.indicators == [], [(i.text, i.kind) for i in doc.indicators]
