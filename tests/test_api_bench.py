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


def test_a_fixed_rate_load_sends_on_schedule_and_counts_latency_from_when_each_request_was_due(live_server) -> None:
    """``chitieu bench search --rate R``: R requests a second in all, whatever the server could take; a closed loop
    against the same server sends many more. The latency of a request is counted from when it was due."""
    from search_api.bench import _load

    mix = [("/api/health", {}), ("/api/indicators", {"kind": "target"})]
    fixed = _load(live_server, mix, seconds=3.0, clients=4, rate=40.0)
    assert fixed["errors"] == 0, fixed["error_samples"]
    assert 100 <= fixed["requests"] <= 121  # 40 a second for 3 s (the last may still be due at the stop)
    closed = _load(live_server, mix, seconds=3.0, clients=4)
    assert closed["requests"] > 2 * fixed["requests"]
    # a server that cannot keep up: every request is late by more than the one before, and that counts
    late = _load(live_server, [("/api/documents/search", {"q": "ma túy", "size": 100})], seconds=2.0, clients=1,
                 rate=100_000.0)
    assert late["all"]["p50_ms"] > 4 * closed["all"]["p50_ms"]


def test_the_facet_benchmark_validates_requests_as_the_api_does_and_scores_each_top_bucket() -> None:
    """``chitieu bench facets``: the requests become the queries the API would search; the error of a sampled
    facet is measured per bucket of the exact counts, a bucket the estimate lacks counted apart."""
    import datetime as dt

    import pytest
    from fastapi import HTTPException

    from search_api.backends.base import DocumentQuery, FacetCount, IndicatorQuery, IndicatorResults
    from search_api.bench import _backend_query, _facet_errors
    from search_api.settings import Settings

    q = _backend_query("/api/indicators", {"kind": "target", "deadline_to": "2027", "min_value": 5}, Settings())
    assert isinstance(q, IndicatorQuery) and q.deadline_to == dt.date(2027, 12, 31) and q.min_value == 5
    d = _backend_query("/api/documents/search", {"q": "ma tuy", "year_from": 2018}, Settings())
    assert isinstance(d, DocumentQuery) and d.q == "ma tuy" and d.year_from == 2018
    with pytest.raises(HTTPException):
        _backend_query("/api/indicators", {"deadline_from": "2030", "deadline_to": "2020"}, Settings())

    def results(**facets: list[tuple[str, int]]) -> IndicatorResults:
        return IndicatorResults(total=1000, page=1, size=20, hits=[],
                                facets={k: [FacetCount(value=v, count=c) for v, c in b] for k, b in facets.items()})

    exact = results(kind=[("target", 600), ("reported", 400)], province=[("A", 100), ("B", 50)])
    est = results(kind=[("target", 660), ("reported", 400)], province=[("A", 80)])
    errors, missing = _facet_errors(est, exact)
    assert sorted(errors) == pytest.approx([0.0, 0.1, 0.2])
    assert missing == 1
    assert _facet_errors(est, exact, top=1) == ([pytest.approx(0.1), pytest.approx(0.2)], 0)
