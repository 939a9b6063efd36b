"""The behavioural suite every available backend runs (tantivy always; Elasticsearch when CHITIEU_ES_URL is set)."""

from __future__ import annotations

import datetime as dt

from corpus.model import Document
from search_api.backends.base import DocumentQuery, IndicatorQuery, SearchBackend
from search_api.textutil import fold

from conftest import SYNTHETIC_METRIC, synthetic_docs


def _texts(backend: SearchBackend, hits) -> list[str]:
    return [backend.get_document(h.id).text for h in hits]


def test_without_diacritics_finds_the_diacritic_text(backend: SearchBackend) -> None:
    res = backend.search_documents(DocumentQuery(q="ma tuy", size=50))
    assert res.total >= 5
    for text in _texts(backend, res.hits):
        assert "ma tuy" in " ".join(fold(text).replace(",", " ").split()) or (
            "ma" in fold(text) and "tuy" in fold(text))
    exact = backend.search_documents(DocumentQuery(q="ma túy", size=50))
    assert exact.total <= res.total


def test_exact_diacritics_rank_first(backend: SearchBackend) -> None:
    first = backend.search_documents(DocumentQuery(q="mà tụy", size=5)).hits[0]
    assert "mà tụy" in backend.get_document(first.id).text
    other = backend.search_documents(DocumentQuery(q="ma túy", size=5)).hits[0]
    assert "ma túy" in backend.get_document(other.id).text.lower()


def test_case_insensitive(backend: SearchBackend) -> None:
    a = backend.search_documents(DocumentQuery(q="NGHỆ AN", size=50))
    b = backend.search_documents(DocumentQuery(q="nghệ an", size=50))
    assert a.total == b.total > 0


def test_phrase_must_be_adjacent(backend: SearchBackend) -> None:
    res = backend.search_documents(DocumentQuery(q='"thị trấn không ma túy"', size=50))
    assert res.total >= 4
    for text in _texts(backend, res.hits):
        assert "thị trấn không ma túy" in text
    assert backend.search_documents(DocumentQuery(q='"ma túy không thị trấn"')).total == 0


def test_engine_syntax_is_plain_text(backend: SearchBackend) -> None:
    plain = backend.search_documents(DocumentQuery(q="ma túy", size=50))
    noisy = backend.search_documents(DocumentQuery(q='ma: (túy)^ ~ * [ ] { } \\ "', size=50))
    assert {h.id for h in noisy.hits} == {h.id for h in plain.hits}


def test_highlight_marks_the_matched_words(backend: SearchBackend) -> None:
    hit = backend.search_documents(DocumentQuery(q="xa phuong", size=1)).hits[0]
    frag = hit.highlight["fragment"]
    words = {fold(frag[s:e]) for s, e in hit.highlight["spans"]}
    assert words & {"xa", "phuong"}
    assert backend.get_document(hit.id).text[hit.highlight["start"]:].startswith(frag)


def test_filters_and_facets(backend: SearchBackend) -> None:
    res = backend.search_documents(DocumentQuery(q="ma túy", province="nghe an", size=50))
    assert res.total >= 2
    assert all(h.metadata.province == "Nghệ An" for h in res.hits)
    facet = {f.value: f.count for f in res.facets["province"]}
    assert facet.get("Nghệ An") == res.total
    typed = backend.search_documents(DocumentQuery(doc_type="Báo cáo", size=50))
    assert typed.total >= 2 and all(h.metadata.doc_type == "Báo cáo" for h in typed.hits)
    years = backend.search_documents(DocumentQuery(year_from=2024, year_to=2024, size=50))
    assert years.total >= 4
    assert all((h.metadata.issued_date or h.metadata.published_date or "").startswith("2024") for h in years.hits)
    kinds = backend.search_documents(DocumentQuery(metric=SYNTHETIC_METRIC, kind="reported", size=50))
    assert kinds.total == 2


def test_pagination(backend: SearchBackend) -> None:
    p1 = backend.search_documents(DocumentQuery(q="ma túy", size=3, page=1))
    p2 = backend.search_documents(DocumentQuery(q="ma túy", size=3, page=2))
    assert p1.total == p2.total and p1.total > 3
    assert not {h.id for h in p1.hits} & {h.id for h in p2.hits}


def test_indicator_search(backend: SearchBackend) -> None:
    res = backend.search_indicators(IndicatorQuery(kind="target", metric=SYNTHETIC_METRIC, province="Nghệ An",
                                                   deadline_to=dt.date(2030, 12, 31)))
    assert sorted(h.indicator.value for h in res.hits) == [50, 80]
    assert all(h.document.number == "99/KH-UBND" for h in res.hits)
    early = backend.search_indicators(IndicatorQuery(metric=SYNTHETIC_METRIC, deadline_to=dt.date(2025, 12, 31)))
    assert sorted(h.indicator.value for h in early.hits) == [50, 70]
    big = backend.search_indicators(IndicatorQuery(metric=SYNTHETIC_METRIC, min_value=60, max_value=75))
    assert sorted(h.indicator.value for h in big.hits) == [70, 72]
    facets = {f.value: f.count for f in big.facets["kind"]}
    assert facets == {"target": 1, "reported": 1}
    worded = backend.search_indicators(IndicatorQuery(q="khong ma tuy", metric=SYNTHETIC_METRIC))
    assert worded.total == 5


def test_document_round_trip_and_citations(backend: SearchBackend, all_docs: list[Document]) -> None:
    for doc in all_docs[:3] + all_docs[-5:]:
        assert backend.get_document(doc.id) == doc
    assert backend.get_document("sha256-nothing") is None
    assert [d.metadata.number for d in backend.find_by_number("99/kh-ubnd")] == ["99/KH-UBND"]
    assert [d.metadata.number for d in backend.citing("99/KH-UBND")] == ["15/BC-UBND"]


def test_upsert_changes_nothing_and_delete_removes(backend: SearchBackend) -> None:
    before = backend.count()
    backend.index_documents(synthetic_docs())
    assert backend.count() == before
    extra = synthetic_docs()[0].model_copy(deep=True)
    extra.text += "\nPhụ lục bổ sung."
    extra.id = Document.id_for(extra.text)
    backend.index_documents([extra])
    assert backend.count() == {"documents": before["documents"] + 1, "indicators": before["indicators"] + 2}
    assert backend.delete_document(extra.id)
    assert backend.count() == before
    assert not backend.delete_document(extra.id)
