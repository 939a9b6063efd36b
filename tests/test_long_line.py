"""A document on one huge line (a PDF or web page that lost its line breaks) reads as its parts do.

A real corpus document is put on one line and repeated to 2 MB; the mentions of the whole must be those of one copy,
at every copy's offset: nothing lost, nothing read across the copies, the same roles for the agencies. (This is a
correctness check only: speed is measured with extractors' benchmark, never asserted here.)
"""

from __future__ import annotations

import pytest

from corpus.bundled import bundled_paths
from corpus.model import Document
from corpus.reader import read
from extractors.pipeline import annotate

SIZE = 2 * 1024 * 1024


def _one_line(name: str) -> str:
    path = next(p for p in bundled_paths() if p.name.startswith(name))
    return " ".join(read(path).text.split("\n")).strip() + " "


def _mentions(text: str) -> list[tuple]:
    doc = annotate(Document(text=text), link=False)
    assert not doc.errors, doc.errors
    for m in doc.mentions:
        assert text[m.start:m.end] == m.text
    return [(m.kind, m.start, m.end, m.normalized.model_dump_json()) for m in doc.mentions]


@pytest.mark.parametrize("name", ["000_", "easywebhub_"])
def test_one_huge_line_reads_as_its_copies(name: str) -> None:
    unit = _one_line(name)
    copies = SIZE // len(unit.encode("utf-8")) + 1
    one = _mentions(unit)
    assert {k for k, *_ in one} >= {"quantity", "date", "agency", "location"}
    assert any('"role":"mentioned"' not in n for k, _, _, n in one if k == "agency")  # roles are exercised
    expected = [(k, s + i * len(unit), e + i * len(unit), n) for i in range(copies) for k, s, e, n in one]
    assert _mentions(unit * copies) == sorted(expected, key=lambda x: (x[1], x[2]))
