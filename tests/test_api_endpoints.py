"""Every endpoint of the API through TestClient, on the bundled corpus plus the synthetic plans and reports."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest

from conftest import SYNTHETIC_METRIC, synthetic_docs


def _get(client, path: str, **params) -> dict:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _synthetic_id(number: str) -> str:
    return next(d.id for d in synthetic_docs() if d.metadata.number == number)


# ---------------------------------------------------------------- documents
def test_search_filters_facets_highlights_pagination(api_client) -> None:
    body = _get(api_client, "/api/documents/search", q="ma tuy", province="nghe an", size=2)
    assert body["total"] >= 2 and len(body["hits"]) <= 2
    assert all(h["metadata"]["province"] == "Nghệ An" for h in body["hits"])
    assert {"province", "doc_type", "issuer", "year", "metric", "kind"} <= set(body["facets"])
    assert {f["value"]: f["count"] for f in body["facets"]["province"]} == {"Nghệ An": body["total"]}
    hl = body["hits"][0]["highlight"]
    assert hl["html"].count("<mark>") == len(hl["spans"]) > 0
    everything = _get(api_client, "/api/documents/search", q="ma tuy", size=50)
    p1 = _get(api_client, "/api/documents/search", q="ma tuy", size=2, page=1)
    p2 = _get(api_client, "/api/documents/search", q="ma tuy", size=2, page=2)
    assert p1["total"] == p2["total"] == everything["total"]
    assert [h["id"] for h in p1["hits"] + p2["hits"]] == [h["id"] for h in everything["hits"][:4]]


def test_exact_diacritics_rank_first_through_the_api(api_client) -> None:
    hits = _get(api_client, "/api/documents/search", q="mà tụy", size=5)["hits"]
    assert hits and "mà tụy" in hits[0]["highlight"]["fragment"]
    hits = _get(api_client, "/api/documents/search", q="ma túy", size=5)["hits"]
    assert "mà tụy" not in hits[0]["highlight"]["fragment"]


def test_engine_syntax_in_user_text_is_plain_text(api_client) -> None:
    plain = _get(api_client, "/api/documents/search", q="ma túy", size=50)
    noisy = _get(api_client, "/api/documents/search", q='ma: (túy)^ ~ * [ ] { } \\ "', size=50)
    assert noisy["total"] == plain["total"]
    phrase = _get(api_client, "/api/documents/search", q='"không ma túy"', size=50)
    assert 0 < phrase["total"] <= plain["total"]


def test_document_detail_resolves_citations_both_ways(api_client) -> None:
    report_id = _synthetic_id("15/BC-UBND")
    plan_id = _synthetic_id("99/KH-UBND")
    report = _get(api_client, f"/api/documents/{report_id}")
    assert report["text"].startswith("BÁO CÁO")
    assert report["indicators"][0]["value"] == 42
    cite = next(c for c in report["cites"] if c["number"] == "99/KH-UBND")
    assert [d["id"] for d in cite["documents"]] == [plan_id]
    assert report["text"][cite["start"]:cite["end"]] == cite["text"]
    plan = _get(api_client, f"/api/documents/{plan_id}")
    assert [d["id"] for d in plan["cited_by"]] == [report_id]
    for m in plan["mentions"] + plan["indicators"]:
        assert plan["text"][m["start"]:m["end"]] == m["text"]


def test_real_document_detail(api_client, corpus_docs) -> None:
    doc = corpus_docs[0]
    body = _get(api_client, f"/api/documents/{doc.id}")
    assert body["text"] == doc.text and len(body["mentions"]) == len(doc.mentions)
    assert isinstance(body["cites"], list) and isinstance(body["cited_by"], list)
    assert api_client.get("/api/documents/sha256-unknown").status_code == 404


# ---------------------------------------------------------------- indicators, compare, progress, agencies
def test_indicators_structured_search(api_client) -> None:
    body = _get(api_client, "/api/indicators", kind="target", metric=SYNTHETIC_METRIC, province="nghe an",
                deadline_to="2030", min_value=10)
    assert sorted(h["indicator"]["value"] for h in body["hits"]) == [50, 80]
    assert all(h["document"]["number"] == "99/KH-UBND" for h in body["hits"])
    early = _get(api_client, "/api/indicators", metric=SYNTHETIC_METRIC, deadline_from="2025-01",
                 deadline_to="2025-12-31")
    assert sorted(h["indicator"]["value"] for h in early["hits"]) == [50, 70]
    assert {f["value"] for f in early["facets"]["deadline_year"]} == {2025}


def test_compare_provinces_side_by_side(api_client) -> None:
    body = _get(api_client, "/api/compare", metric=SYNTHETIC_METRIC, province="Nghệ An,lao cai")
    rows = {r["province"]: r for r in body["provinces"]}
    assert list(rows) == ["Nghệ An", "Lào Cai"]
    assert [t["value"] for t in rows["Nghệ An"]["targets"]] == [50, 80]
    assert [t["deadline"] for t in rows["Nghệ An"]["targets"]] == ["2025-12-31", "2030-12-31"]
    assert rows["Lào Cai"]["reported"][0]["value"] == 72
    assert rows["Lào Cai"]["targets"][0]["source"]["sentence"].startswith("Phấn đấu")
    by_topic = _get(api_client, "/api/compare", topic="khong ma tuy", province=["Nghệ An", "Lào Cai"])
    assert {r["province"] for r in by_topic["provinces"]} == {"Nghệ An", "Lào Cai"}


def test_progress_attainment_and_status(api_client) -> None:
    na = _get(api_client, "/api/progress", province="nghe an", metric=SYNTHETIC_METRIC)
    assert [t["target"]["value"] for t in na["targets"]] == [50, 80]
    first = na["targets"][0]
    assert first["attainment"] == pytest.approx(42 / 50)
    assert first["status"] == "on track"  # 84% reached after 44% of the time to the deadline
    assert first["latest"]["source"]["sentence"].startswith("Đến nay")
    assert [r["value"] for r in na["reported"]] == [42]
    lc = _get(api_client, "/api/progress", province="Lào Cai", metric=SYNTHETIC_METRIC)
    assert lc["targets"][0]["status"] == "achieved"
    assert lc["targets"][0]["attainment"] == pytest.approx(72 / 70, rel=1e-3)
    empty = _get(api_client, "/api/progress", province="Huế", metric=SYNTHETIC_METRIC)
    assert empty["targets"] == [] and empty["reported"] == []


def test_status_no_data_and_behind() -> None:
    from search_api.backends.base import indicator_records
    from search_api.services import assess

    docs = synthetic_docs()
    na_targets = indicator_records(docs[0])
    na_reported = indicator_records(docs[1])
    assert assess(na_targets[0], [])["status"] == "no data"
    late = na_reported[0].model_copy(deep=True)
    late.indicator.period.end = "2026-06-30"  # reported after the deadline, still short of the target
    assert assess(na_targets[0], [late])["status"] == "behind"


def test_agencies(api_client) -> None:
    listed = _get(api_client, "/api/agencies")["agencies"]
    assert {"agency": "Công an tỉnh Nghệ An", "indicators": 2} in listed
    one = _get(api_client, "/api/agencies", agency="Công an tỉnh Nghệ An")
    assert sorted(t["value"] for t in one["targets"]) == [50, 80]


# ---------------------------------------------------------------- export
def test_export_csv_with_bom_and_jsonl(api_client) -> None:
    total = _get(api_client, "/api/indicators", metric=SYNTHETIC_METRIC)["total"]
    r = api_client.get("/api/export", params={"metric": SYNTHETIC_METRIC})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == total
    assert {row["province"] for row in rows} == {"Nghệ An", "Lào Cai"}
    assert any("không ma túy" in row["sentence"] for row in rows)
    r = api_client.get("/api/export", params={"metric": SYNTHETIC_METRIC, "format": "jsonl"})
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert len(lines) == total and all(line["indicator"]["metric"] == SYNTHETIC_METRIC for line in lines)
    everything = api_client.get("/api/export", params={"format": "jsonl"}).text.splitlines()
    assert len(everything) == _get(api_client, "/api/health")["indicators"]


# ---------------------------------------------------------------- bad input: a 4xx with a message, never a 500
BAD = [
    ("/api/documents/search", {"q": "ma túy " * 1500}),  # a 10 KB query
    ("/api/documents/search", {"q": '"():*^~[]{}\\'}),  # no word at all
    ("/api/documents/search", {"province": "Atlantis"}),
    ("/api/documents/search", {"year_from": 2030, "year_to": 2020}),
    ("/api/documents/search", {"year_from": 10**20}),
    ("/api/documents/search", {"size": 101}),
    ("/api/documents/search", {"size": 0}),
    ("/api/documents/search", {"page": 0}),
    ("/api/documents/search", {"page": 5000, "size": 100}),
    ("/api/documents/search", {"kind": "wish"}),
    ("/api/documents/search", {"doc_type": "x" * 400}),
    ("/api/indicators", {"min_value": 100, "max_value": 1}),
    ("/api/indicators", {"min_value": "nan"}),
    ("/api/indicators", {"max_value": "1e999"}),
    ("/api/indicators", {"deadline_from": "2031", "deadline_to": "2030"}),
    ("/api/indicators", {"deadline_to": "2030-13"}),
    ("/api/indicators", {"deadline_to": "0001-01-01"}),
    ("/api/indicators", {"deadline_to": "next year"}),
    ("/api/indicators", {"province": "Gotham"}),
    ("/api/compare", {}),
    ("/api/compare", {"metric": "x", "province": "Nghệ An,Narnia"}),
    ("/api/compare", {"metric": "x", "province": ",".join(["Nghệ An"] * 21)}),
    ("/api/progress", {"province": "Nghệ An"}),
    ("/api/progress", {"province": "Mordor", "metric": SYNTHETIC_METRIC}),
    ("/api/agencies", {"province": "Oz"}),
    ("/api/export", {"format": "xlsx"}),
    ("/api/export", {"min_value": 9, "max_value": 1}),
]


@pytest.mark.parametrize(("path", "params"), BAD, ids=[f"{p}-{'&'.join(map(str, q))[:40]}" for p, q in BAD])
def test_bad_parameters_are_4xx_with_a_message(api_client, path: str, params: dict) -> None:
    r = api_client.get(path, params=params)
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    detail = r.json()["detail"]
    assert detail and (isinstance(detail, list) or len(detail) > 10)


def test_health_counts(api_client, all_docs) -> None:
    body = _get(api_client, "/api/health")
    assert body["backend"] == "tantivy"
    assert body["documents"] == len(all_docs)
    assert body["indicators"] == sum(len(d.indicators) for d in all_docs)


def test_health_reports_this_workers_caches(api_client) -> None:
    """A search asked twice is searched once: asked again with the same URL, the response cache answers it; written
    another way (the parameters in another order), the result cache does. The health shows both."""
    from search_api.backends.tantivy_backend import FACET_CACHE_SETTLE_SECONDS

    time.sleep(FACET_CACHE_SETTLE_SECONDS)  # nothing is cached in the first seconds after the index's last commit
    before = _get(api_client, "/api/health")["caches"]
    params = {"q": "ma túy", "province": "Hà Giang", "page": 1}
    first = _get(api_client, "/api/documents/search", **params)
    assert _get(api_client, "/api/documents/search", **params) == first
    assert _get(api_client, "/api/documents/search", **dict(reversed(params.items()))) == first
    after = _get(api_client, "/api/health")["caches"]
    assert after["responses"]["hits"] - before["responses"]["hits"] == 1
    assert after["results"]["hits"] - before["results"]["hits"] >= 1
    assert after["results"]["misses"] - before["results"]["misses"] <= 1


@pytest.mark.parametrize("threads", [0, 2])
def test_new_searches_on_the_loop_or_in_threads_answer_alike(api_client, monkeypatch, threads: int) -> None:
    """CHITIEU_SEARCH_THREADS moves the searches the cache does not answer off the event loop: the answer is the
    engine's (its models, written by pydantic)."""
    from search_api.backends.base import DocumentQuery, IndicatorQuery
    from search_api.deps import backend_for
    from search_api.routers.lean import search_threads
    from search_api.settings import get_settings

    monkeypatch.setattr(get_settings(), "search_threads", threads)
    assert search_threads(get_settings().search_threads, object()) == threads
    engine = backend_for(get_settings())
    doc_q = {"q": f"ma tuy {threads}", "size": 3}
    body = _get(api_client, "/api/documents/search", **doc_q)
    assert body == json.loads(engine.search_documents(DocumentQuery(**doc_q)).model_dump_json())
    ind_q = {"q": "xã", "kind": "target", "page": 2 + threads}
    body = _get(api_client, "/api/indicators", **ind_q)
    assert body["page"] == 2 + threads
    assert body == json.loads(engine.search_indicators(IndicatorQuery(**ind_q)).model_dump_json())
