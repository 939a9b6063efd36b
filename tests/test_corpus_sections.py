"""Section headings (corpus/section_examples.yaml): every heading of each example, in order, with level, label and
title; negatives have none."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from corpus.model import Section
from corpus.sections import find_sections

DATA = yaml.safe_load((Path(__file__).resolve().parents[1] / "corpus" / "section_examples.yaml").read_text(
    encoding="utf-8"))


def _flat(sections: list[Section]) -> list[list]:
    out: list[list] = []
    for s in sections:
        out.append([s.level, s.label, s.title])
        out.extend(_flat(s.children))
    return out


@pytest.mark.parametrize("case", DATA["examples"], ids=lambda c: c["text"][:30])
def test_section_example(case: dict) -> None:
    assert _flat(find_sections(case["text"])) == case["expect"]


@pytest.mark.parametrize("text", DATA["negatives"])
def test_section_negative(text: str) -> None:
    assert find_sections(text) == []
