"""The API over real HTTP: a uvicorn server on a free loopback port."""

from __future__ import annotations

import httpx


def test_search_over_http_finds_without_diacritics_and_highlights(live_server: str) -> None:
    r = httpx.get(live_server + "/api/documents/search", params={"q": "ma tuy", "size": 5}, timeout=10)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] > 0
    hit = body["hits"][0]
    assert "<mark>" in hit["highlight"]["html"]
    frag = hit["highlight"]["fragment"]
    marked = [frag[s:e].lower() for s, e in hit["highlight"]["spans"]]
    assert any(w in ("ma", "túy", "tuý", "tuy") for w in marked)


def test_bad_input_over_http_is_4xx(live_server: str) -> None:
    r = httpx.get(live_server + "/api/documents/search", params={"q": "x" * 10_000}, timeout=10)
    assert 400 <= r.status_code < 500
    r = httpx.get(live_server + "/api/indicators", params={"province": "Atlantis"}, timeout=10)
    assert r.status_code == 422 and "province" in r.json()["detail"]


def test_openapi_docs_served(live_server: str) -> None:
    assert httpx.get(live_server + "/docs", timeout=10).status_code == 200
    paths = httpx.get(live_server + "/openapi.json", timeout=10).json()["paths"]
    for p in ("/api/documents/search", "/api/documents/{doc_id}", "/api/indicators", "/api/compare",
              "/api/progress", "/api/agencies", "/api/documents", "/api/export"):
        assert p in paths
