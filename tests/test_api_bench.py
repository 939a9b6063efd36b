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


def test_the_request_stream_follows_zipf_and_the_repeat_share_counts_earlier_requests() -> None:
    from collections import Counter

    from search_api.bench import repeat_share, request_key, request_stream

    pool = [("/api/indicators", {"q": f"w{i}"}) for i in range(200)]
    stream = request_stream(pool, seed=1, length=20_000)
    counts = Counter(request_key(*r) for r in stream)
    top, tenth = counts[request_key(*pool[0])], counts[request_key(*pool[9])]
    assert 7 < top / tenth < 13  # rank 1 about ten times rank 10 (s = 1)
    assert stream != request_stream(pool, seed=2, length=20_000)
    seen: set[str] = {"a"}
    assert repeat_share(["a", "b", "b", "c"], seen) == 0.5  # 'a' seen before, the second 'b'
    assert seen == {"a", "b", "c"}
    assert repeat_share(["c"], seen) == 1.0
