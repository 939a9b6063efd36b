"""The benchmark's corpus multiplier: varied copies stay valid documents (offsets, values, unique ids)."""

from __future__ import annotations

from search_api.bench import _ratio, synthesize


def test_varied_copies_are_valid_documents(corpus_docs) -> None:
    copies = list(synthesize(corpus_docs, 3 * len(corpus_docs)))
    assert len({d.id for d in copies}) == len(copies)
    changed = 0
    for copy in copies:
        for m in [*copy.mentions, *copy.indicators]:
            assert copy.text[m.start:m.end] == m.text
        for ind in copy.indicators:
            assert not ind.sentence or ind.text in ind.sentence
    for original, copy in zip(corpus_docs, copies, strict=False):
        for a, b in zip(original.indicators, copy.indicators, strict=True):
            r = _ratio(a.text, b.text)
            if r is not None and a.value is not None and r != 1:
                changed += 1
                assert abs(b.value - a.value * r) <= max(1.0, abs(a.value * r) * 1e-6)
    assert copies[0].metadata.province != copies[1].metadata.province
    if any(d.indicators for d in corpus_docs):
        assert changed > 0
