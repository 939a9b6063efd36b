"""Whole search responses kept in front of the application (search_api/response_cache.py): a repeated search URL is
answered from memory, a change of the index is seen by the next request, errors and other routes are never kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import search_api.backends.tantivy_backend as tantivy_backend
from corpus.model import Document
from search_api.deps import backend_for
from search_api.settings import Settings, get_settings


@pytest.fixture()
def env(tmp_path: Path, corpus_docs: list[Document],
        monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, object, Settings]]:
    from search_api.app import create_app

    # the index is trusted at once after a commit (in a server, 2 s later: another process may still be reloading)
    monkeypatch.setattr(tantivy_backend, "FACET_CACHE_SETTLE_SECONDS", 0.0)
    settings = Settings(backend="tantivy", index_dir=tmp_path / "index", upload_max_bytes=2_000_000)
    backend_for(settings).index_documents(corpus_docs[:4])
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: settings
    with TestClient(app) as client:
        yield client, app, settings


def test_a_repeated_search_is_answered_from_memory_with_the_same_response(env) -> None:
    client, app, _settings = env
    store = app.state.responses
    for url in ("/api/documents/search?q=ma%20tuy", "/api/indicators?kind=target&size=5"):
        first = client.get(url)
        assert first.status_code == 200
        hits = store.stats()["hits"]
        second = client.get(url)
        assert store.stats()["hits"] == hits + 1
        assert second.status_code == 200 and second.content == first.content
        assert second.headers["content-type"] == first.headers["content-type"] == "application/json"
    # another query string is another response
    misses = store.stats()["misses"]
    other = client.get("/api/documents/search?q=ma%20tuy&size=2")
    assert store.stats()["misses"] == misses + 1 and len(other.json()["hits"]) <= 2
    assert client.get("/api/health").json()["caches"]["responses"] == store.stats()


def test_errors_and_other_routes_are_not_kept(env) -> None:
    client, app, _settings = env
    store = app.state.responses
    for _ in range(2):
        assert client.get("/api/indicators?size=0").status_code == 422
        assert client.get("/api/documents/search?year_from=2030&year_to=2020").status_code == 422
        assert client.get("/api/compare?metric=drug.drug_free_units").status_code in (200, 422)
    assert store.stats()["hits"] == 0 and store.stats()["size"] == 0


def test_a_change_of_the_index_is_seen_by_the_next_request(env) -> None:
    client, app, _settings = env
    url = "/api/documents/search?q=qwxzvk"
    assert client.get(url).json()["total"] == 0
    assert client.get(url).json()["total"] == 0  # kept
    text = "KẾ HOẠCH thử nghiệm qwxzvk năm 2025. Phấn đấu 100% xã không ma túy.".encode()
    assert client.post("/api/documents", files={"file": ("qwxzvk.txt", text)}).status_code == 201
    assert client.get(url).json()["total"] == 1


def test_nothing_is_kept_when_the_setting_is_zero_or_the_backend_cannot_tell_its_generation(
        env, monkeypatch: pytest.MonkeyPatch) -> None:
    client, app, settings = env
    store = app.state.responses
    app.dependency_overrides[get_settings] = lambda: settings.model_copy(update={"response_cache": 0})
    for _ in range(2):
        assert client.get("/api/documents/search?q=ma%20tuy").status_code == 200
    assert store.stats() == {"hits": 0, "misses": 0, "size": 0}
    app.dependency_overrides[get_settings] = lambda: settings
    monkeypatch.setattr(type(backend_for(settings)), "generation", lambda self: None)
    for _ in range(2):
        assert client.get("/api/documents/search?q=ma%20tuy").status_code == 200
    assert store.stats() == {"hits": 0, "misses": 0, "size": 0}


def test_the_store_keeps_the_most_recently_used(env) -> None:
    client, app, settings = env
    store = app.state.responses
    app.dependency_overrides[get_settings] = lambda: settings.model_copy(update={"response_cache": 2})
    for q in ("ma", "tuy", "ma", "xa"):  # 'tuy' is the least recently used when 'xa' comes
        client.get(f"/api/documents/search?q={q}")
    assert store.stats()["size"] == 2
    hits = store.stats()["hits"]
    client.get("/api/documents/search?q=ma")
    assert store.stats()["hits"] == hits + 1
    client.get("/api/documents/search?q=tuy")
    assert store.stats()["hits"] == hits + 1
