"""The fast paths of the search routes give what the plain ones give: the JSON written from stored summaries equals
the models' JSON, the folded-text highlighter finds what a regex over the original text finds, and the v2 index
keeps the full document apart from what a hit loads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import tantivy as tv

from corpus.model import Document
from search_api.backends.base import DocumentQuery, IndicatorQuery
from search_api.backends.tantivy_backend import SCHEMA_VERSION, TantivyBackend, _in_sample_index
from search_api.bench import build_index, index_dir_for
from search_api.textutil import MAX_HIGHLIGHT_MATCHES, _matches, _query_patterns, fold, fold_bmp, parse_query


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, all_docs: list[Document]) -> TantivyBackend:
    e = TantivyBackend(tmp_path_factory.mktemp("lean"))
    e.index_documents(all_docs)
    return e


DOC_QUERIES = [{}, {"q": "ma túy"}, {"q": "ma tuy", "page": 2, "size": 3}, {"q": '"phòng chống" ma tuy'},
               {"q": "kế hoạch", "highlight": False}, {"q": "xã", "facets": False}, {"year_from": 2020},
               {"q": "chỉ tiêu", "province": "Nghệ An"}]
IND_QUERIES = [{}, {"kind": "target"}, {"q": "xã", "size": 5, "page": 2}, {"min_value": 10, "facets": False},
               {"kind": "reported", "q": "người"}]


@pytest.mark.parametrize("params", DOC_QUERIES)
def test_document_search_json_is_the_models_json(engine: TantivyBackend, params: dict) -> None:
    q = DocumentQuery(**params)
    lean = engine.search_documents_json(q)
    assert lean == engine.search_documents(q).model_dump_json().encode()
    assert json.loads(lean)["total"] >= len(json.loads(lean)["hits"])


@pytest.mark.parametrize("params", IND_QUERIES)
def test_indicator_search_json_is_the_models_json(engine: TantivyBackend, params: dict) -> None:
    q = IndicatorQuery(**params)
    assert engine.search_indicators_json(q) == engine.search_indicators(q).model_dump_json().encode()


def test_a_document_is_whole_again_from_its_body_and_text(engine: TantivyBackend, all_docs: list[Document]) -> None:
    for doc in all_docs[:5]:
        assert engine.get_document(doc.id) == doc
    assert {p.name for p in engine.root.iterdir() if p.is_dir()} - {f"cache-{SCHEMA_VERSION}"} == {
        f"{name}-{SCHEMA_VERSION}" for name in ("documents", "indicators", "bodies", "documents-sample",
                                                "indicators-sample")}
    sampled = next(d for d in all_docs if _in_sample_index(d.id))
    in_sample = engine.docs_sample.searcher().search(
        tv.Query.term_query(engine.doc_sample_schema, "id", sampled.id), 1).count
    assert in_sample == 1
    assert engine.delete_document(sampled.id)
    assert engine.get_document(sampled.id) is None
    for index, schema, field in ((engine.docs_sample, engine.doc_sample_schema, "id"),
                                 (engine.inds_sample, engine.ind_sample_schema, "doc_id")):  # gone from the samples
        assert index.searcher().search(tv.Query.term_query(schema, field, sampled.id), 1).count == 0
    engine.index_documents([sampled])
    assert engine.delete_document(all_docs[0].id)
    assert engine.get_document(all_docs[0].id) is None
    engine.index_documents(all_docs[:1])  # the module's other tests see the full index again
    assert engine.get_document(all_docs[0].id) == all_docs[0]


def _reference_matches(text: str, words: tuple[tuple[str, ...], ...]) -> list[tuple[int, int, str]]:
    """One alternation of the query's words, each letter a class of the letters that fold to it, searched over
    the original text again and again (the highlighter before the fast path)."""
    letters = {ch for w in words for word in w for ch in word}
    variants = {c: sorted({c} | {chr(x) for x in range(0x10000) if not 0xD800 <= x < 0xE000 and fold(chr(x)) == c})
                for c in letters}

    def pattern(ws: tuple[str, ...]) -> str:
        return r"[\W_]+".join("".join("[" + "".join(re.escape(v) for v in variants[c]) + "]" for c in w)
                              for w in ws)

    simple = {r"[\W_]+".join(re.escape(x) for x in w): w for w in words}
    ordered = sorted(simple, key=len, reverse=True)  # the same order as the highlighter's
    rx = re.compile("(?:" + "|".join(pattern(simple[k]) for k in ordered) + r")(?![^\W_])")
    out, pos = [], 0
    while len(out) < MAX_HIGHLIGHT_MATCHES:
        m = rx.search(text, pos)
        if m is None:
            return out
        s, e = m.span()
        if s and text[s - 1].isalnum():
            pos = s + 1
            continue
        out.append((s, e, fold(m.group(0))))
        pos = e
    return out


def test_highlight_matches_are_those_of_a_regex_over_the_original_text(corpus_docs: list[Document]) -> None:
    texts = [d.text for d in corpus_docs[:6]] + ["xa a a b a a", "toan an_an x x x xx x", "ĐẢNG đảng Dang_dang"]
    queries = ["ma tuy", '"phòng chống" ma túy', "an toan", '"a a" b', '"x x" x', "đảng", "năm 2025", "tr ng"]
    for q in queries:
        parsed = parse_query(q)
        words = tuple(tuple(c.folded) for c in parsed.clauses)
        for text in texts:
            assert fold_bmp(text) == fold(text)
            got = _matches(fold_bmp(text), _query_patterns(words), MAX_HIGHLIGHT_MATCHES)
            assert got == _reference_matches(text, words), (q, text[:60])


def test_the_bench_index_is_built_batch_by_batch(corpus_docs: list[Document], tmp_path: Path) -> None:
    n = 2 * len(corpus_docs) + 3
    res = build_index(tmp_path / "ix", corpus_docs, n, batch=7)
    assert res["documents"] == n
    per_doc = [len(d.indicators) for d in corpus_docs]
    assert res["indicators"] == 2 * sum(per_doc) + sum(per_doc[:3])
    assert index_dir_for(n).name == f"index-{n}-s7"


@pytest.mark.parametrize("params", DOC_QUERIES + [{"q": "ma tuy", "page": 3, "size": 2}])
def test_document_total_kept_with_the_facets_is_the_count(engine: TantivyBackend, params: dict,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a query's facets are cached, the search ranks without counting and gives the total kept with them:
    the same total and hits as a search that counts (facets off), on every page."""
    import search_api.backends.tantivy_backend as tb

    monkeypatch.setattr(tb, "FACET_CACHE_SETTLE_SECONDS", 0.0)
    monkeypatch.setattr(tb, "RESULT_CACHE_SIZE", 0)  # the facet cache alone: every call searches
    q = DocumentQuery(**params)
    first, second = engine.search_documents_json(q), engine.search_documents_json(q)
    assert first == second
    counted = json.loads(engine.search_documents_json(q.model_copy(update={"facets": False})))
    got = json.loads(second)
    assert got["total"] == counted["total"]
    assert got["hits"] == counted["hits"]
    other_page = q.model_copy(update={"page": q.page + 1})
    assert json.loads(engine.search_documents_json(other_page))["total"] == counted["total"]


@pytest.mark.parametrize("params", IND_QUERIES)
def test_indicator_total_kept_with_the_facets_is_the_count(engine: TantivyBackend, params: dict,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import search_api.backends.tantivy_backend as tb

    monkeypatch.setattr(tb, "FACET_CACHE_SETTLE_SECONDS", 0.0)
    monkeypatch.setattr(tb, "RESULT_CACHE_SIZE", 0)
    q = IndicatorQuery(**params)
    first, second = engine.search_indicators_json(q), engine.search_indicators_json(q)
    assert first == second
    counted = json.loads(engine.search_indicators_json(q.model_copy(update={"facets": False})))
    assert json.loads(second)["total"] == counted["total"]
    assert json.loads(second)["hits"] == counted["hits"]


def test_a_cached_result_page_is_the_fresh_one_and_a_commit_retires_it(
        tmp_path: Path, corpus_docs: list[Document], monkeypatch: pytest.MonkeyPatch) -> None:
    """The result cache answers a repeated query with the bytes a fresh search gives, and a new index generation
    (a document added by another writer) is searched again rather than answered from the cache."""
    import search_api.backends.tantivy_backend as tb

    monkeypatch.setattr(tb, "FACET_CACHE_SETTLE_SECONDS", 0.0)
    engine = TantivyBackend(tmp_path / "ix")
    engine.index_documents(corpus_docs[:3])
    q = DocumentQuery(q="ma tuy")
    iq = IndicatorQuery(kind="target")
    first, ifirst = engine.search_documents_json(q), engine.search_indicators_json(iq)
    assert engine.search_documents_json(q) == first
    assert engine.search_indicators_json(iq) == ifirst
    stats = engine.cache_stats()["results"]
    assert stats["hits"] == 2 and stats["size"] == 2
    # another process on the same index folder (a second server worker) finds the pages in the shared store
    sibling = TantivyBackend(tmp_path / "ix")
    assert sibling.search_documents_json(q) == first and sibling.search_indicators_json(iq) == ifirst
    assert sibling.cache_stats()["results"]["shared_hits"] == 2
    assert sibling.search_documents_json(DocumentQuery(q="ma tuy", facets=False))  # a page no one asked for
    assert sibling.cache_stats()["results"]["misses"] == 1
    sibling.close()
    monkeypatch.setattr(tb, "RESULT_CACHE_SIZE", 0)  # what a search without the cache gives
    assert engine.search_documents_json(q) == first and engine.search_indicators_json(iq) == ifirst
    monkeypatch.setattr(tb, "RESULT_CACHE_SIZE", 16)

    other = TantivyBackend(tmp_path / "ix")  # another process's writer adds documents
    other.index_documents(corpus_docs[3:])
    engine.reload()
    after, iafter = json.loads(engine.search_documents_json(q)), json.loads(engine.search_indicators_json(iq))
    monkeypatch.setattr(tb, "RESULT_CACHE_SIZE", 0)
    assert after == json.loads(engine.search_documents_json(q))
    assert iafter == json.loads(engine.search_indicators_json(iq))
    assert after["total"] > json.loads(first)["total"]
    assert iafter["total"] > json.loads(ifirst)["total"]


PHRASES = ["ma tuy", "phòng chống", "thị trấn không ma túy", "ke hoach", "nguoi nghien ma tuy", "xã, phường",
           "100 xa", "không ma túy", "tỉnh nghệ an"]


@pytest.mark.parametrize("phrase", PHRASES)
def test_a_phrase_found_by_its_word_pairs_is_the_positional_phrase(engine: TantivyBackend, phrase: str) -> None:
    """A quoted phrase is looked up as word pairs (``pairs_fold``); it finds exactly the documents and indicators
    a positional phrase query over the folded fields finds."""
    import tantivy as tv

    words = parse_query(phrase).all_words
    folded = [fold(w) for w in words]

    def positional(index: tv.Index, schema: tv.Schema, fields: tuple[str, ...]) -> set[str]:
        q = tv.Query.boolean_query([(tv.Occur.Should, tv.Query.phrase_query(schema, f + "_fold", folded))
                                    for f in fields])
        s = index.searcher()
        return {s.doc(a).get_first("id") for _sc, a in s.search(q, 10_000).hits}

    docs = engine.search_documents(DocumentQuery(q=f'"{phrase}"', size=100, facets=False, highlight=False))
    assert {h.id for h in docs.hits} == positional(engine.docs, engine.doc_schema, ("text", "title"))
    inds = engine.search_indicators(IndicatorQuery(q=f'"{phrase}"', size=100, facets=False))
    assert {h.id for h in inds.hits} == positional(engine.inds, engine.ind_schema, ("sentence", "subject"))
    assert docs.total == len(docs.hits) < 100 and inds.total == len(inds.hits) < 100


PINNING = [(DocumentQuery, {"province": "Nghệ An"}, "province"), (DocumentQuery, {"q": "ma tuy", "doc_type": "*"}, "doc_type"),
           (DocumentQuery, {"year_from": 2021, "year_to": 2021}, "year"), (IndicatorQuery, {"kind": "target"}, "kind"),
           (IndicatorQuery, {"kind": "target", "province": "*"}, "province"),
           (IndicatorQuery, {"metric": "*"}, "metric")]


@pytest.mark.parametrize(("model", "params", "field"), PINNING, ids=[f for _m, _p, f in PINNING])
def test_a_facet_fixed_by_a_filter_is_what_counting_gives(engine: TantivyBackend, model, params: dict,
                                                          field: str) -> None:
    """A filter on a field of one value per record is not counted again: its facet, the filter's value with the
    total, is the facet tantivy's aggregation gives for the same query (also when nothing matches)."""
    from search_api.backends.tantivy_backend import DOC_SINGLE, IND_SINGLE

    documents = model is DocumentQuery
    if params.get(field) == "*":  # the commonest value of the corpus
        every = engine.search_documents(DocumentQuery()) if documents else engine.search_indicators(IndicatorQuery())
        params = {**params, field: every.facets[field][0].value}
    q = model(**params)
    res = engine.search_documents(q) if documents else engine.search_indicators(q)
    assert engine._pinned(q, DOC_SINGLE if documents else IND_SINGLE).keys() >= {field}
    s = (engine.docs if documents else engine.inds).searcher()
    tq = engine._combine(None if q.parsed().empty else engine._text_query(
        engine.doc_schema if documents else engine.ind_schema, q.parsed(),
        [("text", 1.0), ("title", 2.0)] if documents else [("sentence", 1.0), ("subject", 2.0)]),
        engine._doc_filters(q) if documents else engine._ind_filters(q))
    counted = engine._facets(s, tq, (field,)).raw[field]
    assert [f.model_dump() for f in res.facets[field]] == counted
    if field != "year":
        assert res.total > 0 and counted == [{"value": counted[0]["value"], "count": res.total}]
