"""Facets of a search of many matches are counted over a fixed random sample of the records (Typesense's
facet_sample_percent): the sample's share is what its level says, the counts are the sample's scaled up, a facet
fixed by a filter stays exact, ``exact_facets`` counts every match, and the response says which it did."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.model import Document
from search_api.backends.base import DocumentQuery, IndicatorQuery
from search_api.backends.tantivy_backend import (
    SAMPLE_INDEX_LEVEL,
    SAMPLE_LEVELS,
    TantivyBackend,
    sample_level,
    sample_terms,
)
from search_api.bench import build_index


@pytest.mark.parametrize(("matches", "above", "level"), [
    (1_000, 20_000, 0), (20_000, 20_000, 0), (20_001, 20_000, 1), (100_000, 20_000, 3), (10**9, 20_000, SAMPLE_LEVELS),
    (10**6, 0, 0), (0, 20_000, 0)])
def test_the_sample_level_holds_at_most_the_threshold(matches: int, above: int, level: int) -> None:
    assert sample_level(matches, above) == level


def test_each_sample_level_is_its_share_of_the_records_and_inside_the_one_above() -> None:
    ids = [f"doc-{i}#{i % 17}" for i in range(40_000)]
    terms = [set(sample_terms(i)) for i in ids]
    for level in range(1, SAMPLE_LEVELS + 1):
        share = sum(str(level) in t for t in terms) / len(ids)
        assert abs(share * 2**level - 1) < 0.15, (level, share)
    for t in terms:  # a record of a level is in every level of a larger share
        assert all(str(level - 1) in t for level in range(2, SAMPLE_LEVELS + 1) if str(level) in t)


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory, all_docs: list[Document]) -> tuple[TantivyBackend, TantivyBackend]:
    """The same index read by an engine that samples above 50 matches and one that never samples."""
    root = tmp_path_factory.mktemp("sampled")
    TantivyBackend(root).index_documents(all_docs)
    return TantivyBackend(root, facet_sample_above=50), TantivyBackend(root, facet_sample_above=0)


def _tantivy_query(engine: TantivyBackend, q: IndicatorQuery):
    return engine._combine(None if q.parsed().empty else engine._text_query(
        engine.ind_schema, q.parsed(), [("sentence", 1.0), ("subject", 2.0)]), engine._ind_filters(q))


@pytest.mark.parametrize("params", [{}, {"kind": "target"}, {"q": "xã"}])
def test_facets_of_many_matches_are_the_samples_scaled_up(sampled, params: dict) -> None:
    import tantivy as tv

    engine, exact_engine = sampled
    q = IndicatorQuery(**params)
    res, exact = engine.search_indicators(q), exact_engine.search_indicators(q)
    assert res.total == exact.total and exact.facet_sample == 1.0
    level = max(sample_level(res.total, 50), SAMPLE_INDEX_LEVEL)  # the sample index holds the second level
    assert sample_level(res.total, 50) > 0 and res.facet_sample == 1 / 2**level
    # the counts: those of the sample's records, times 2**level (at most the total)
    s = engine.inds.searcher()
    in_sample = tv.Query.boolean_query([(tv.Occur.Must, _tantivy_query(engine, q)),
                                        (tv.Occur.Must, tv.Query.term_query(engine.ind_schema, "sample", str(level)))])
    counted = engine._facets(s, in_sample, ("metric", "province"))
    for name in ("metric", "province"):
        assert [(f.value, f.count) for f in res.facets[name]] == [
            (b["value"], min(b["count"] * 2**level, res.total)) for b in counted.raw[name]]
    # a facet the filter fixes is exact; asking for exact facets gives every match's counts
    if "kind" in params:
        assert res.facets["kind"] == exact.facets["kind"]
    asked = engine.search_indicators(q.model_copy(update={"exact_facets": True}))
    assert asked.facet_sample == 1.0 and asked.facets == exact.facets
    assert engine.search_indicators_json(q) == res.model_dump_json().encode()


def test_few_matches_are_counted_exactly(sampled) -> None:
    engine, exact_engine = sampled
    q = DocumentQuery(q="ma túy")
    res = engine.search_documents(q)
    assert res.total <= 50 and res.facet_sample == 1.0
    assert res.facets == exact_engine.search_documents(q).facets


def test_sampled_counts_estimate_the_exact_ones(corpus_docs: list[Document], tmp_path: Path) -> None:
    """Over 4,000-odd indicators sampled at a share of about 1/8, the estimated counts of a facet add up to
    about the number of matches, and its largest values are about their exact counts."""
    build_index(tmp_path / "ix", corpus_docs, 10 * len(corpus_docs))
    engine = TantivyBackend(tmp_path / "ix", facet_sample_above=600)
    exact = TantivyBackend(tmp_path / "ix", facet_sample_above=0).search_indicators(IndicatorQuery())
    res = engine.search_indicators(IndicatorQuery())
    assert res.total > 3000 and res.facet_sample <= 1 / 4
    assert abs(sum(f.count for f in res.facets["kind"]) / res.total - 1) < 0.15
    true = {f.value: f.count for f in exact.facets["metric"]}
    for f in res.facets["metric"][:3]:
        assert abs(f.count / true[f.value] - 1) < 0.5, (f.value, f.count, true[f.value])


def test_the_api_says_how_the_facets_were_counted(api_client, api_index: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Also when the caches (shared by every process reading the folder) hold the same query counted exactly."""
    import search_api.backends.tantivy_backend as tb
    from search_api.settings import Settings, get_settings

    monkeypatch.setattr(tb, "FACET_CACHE_SETTLE_SECONDS", 0.0)  # the index just written is cached at once

    assert api_client.get("/api/indicators").json()["facet_sample"] == 1.0  # a few hundred matches: exact
    app = api_client.app
    app.dependency_overrides[get_settings] = lambda: Settings(index_dir=api_index, facet_sample_above=50)
    try:
        body = api_client.get("/api/indicators").json()
        assert body["facet_sample"] < 1.0
        assert api_client.get("/api/indicators", params={"exact_facets": "true"}).json()["facet_sample"] == 1.0
        assert api_client.get("/api/documents/search", params={"exact_facets": "maybe"}).status_code == 422
    finally:
        app.dependency_overrides.pop(get_settings, None)


def _match_and_text_queries(engine: TantivyBackend, documents: bool, params: dict):
    model = DocumentQuery if documents else IndicatorQuery
    q = model(**params)
    fields = ("text", "title") if documents else ("sentence", "subject")
    schema, sample_schema = ((engine.doc_schema, engine.doc_sample_schema) if documents
                             else (engine.ind_schema, engine.ind_sample_schema))
    filters = engine._doc_filters if documents else engine._ind_filters
    ranked = engine._combine(engine._text_query(schema, q.parsed(), [(fields[0], 1.0), (fields[1], 2.0)]),
                             filters(q))
    return ranked, (lambda s: engine._combine(engine._match_query(s, q.parsed(), fields), filters(q, s))), \
        schema, sample_schema


MATCH_QUERIES = [(True, {"q": "ma túy"}), (True, {"q": "MA TUY"}), (True, {"q": '"phòng, chống" ma túy'}),
                 (True, {"q": '"tội phạm về ma túy"'}), (True, {"q": "chỉ tiêu", "province": "Nghệ An"}),
                 (True, {"q": "đảng ủy xã"}), (False, {"q": "xã"}), (False, {"q": '"người nghiện" ma túy'}),
                 (False, {"q": "giảm ma tuy", "kind": "target"}), (False, {"q": "tỷ lệ", "min_value": 1})]


@pytest.mark.parametrize(("documents", "params"), MATCH_QUERIES)
def test_the_unscored_query_matches_what_the_ranked_one_matches(sampled, documents: bool, params: dict) -> None:
    """Facets are counted for the match query (folded fields only, no scores): the same records as the ranked
    query's, in the whole index; in the sample index, the same as the ranked query's records of the sample's
    level in the whole index."""
    import tantivy as tv

    engine, _exact = sampled
    ranked, match, schema, sample_schema = _match_and_text_queries(engine, documents, params)
    whole, sample = (engine.docs, engine.docs_sample) if documents else (engine.inds, engine.inds_sample)
    count = whole.searcher().search(ranked, 1, count=True).count
    assert count > 0 and whole.searcher().search(match(schema), 1, count=True).count == count
    level_term = tv.Query.term_query(schema, "sample", str(SAMPLE_INDEX_LEVEL))
    in_level = whole.searcher().search(tv.Query.boolean_query([(tv.Occur.Must, ranked), (tv.Occur.Must, level_term)]),
                                       1, count=True).count
    assert sample.searcher().search(match(sample_schema), 1, count=True).count == in_level


def test_the_sample_indexes_hold_the_records_of_their_level(sampled) -> None:
    import tantivy as tv

    engine, _exact = sampled
    for whole, sample, schema in ((engine.docs, engine.docs_sample, engine.doc_schema),
                                  (engine.inds, engine.inds_sample, engine.ind_schema)):
        level = whole.searcher().search(tv.Query.term_query(schema, "sample", str(SAMPLE_INDEX_LEVEL)), 1, count=True)
        assert 0 < sample.searcher().num_docs == level.count < whole.searcher().num_docs / 2
