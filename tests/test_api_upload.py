"""POST /api/documents on an index of its own: API key, size limit, broken files (422, nothing indexed), re-upload."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from corpus.bundled import bundled_paths
from search_api.backends.base import SearchBackend
from search_api.deps import backend_for
from search_api.settings import Settings, get_settings

KEY = "s3cret-key"


@pytest.fixture()
def upload_env(tmp_path: Path) -> Iterator[tuple[TestClient, SearchBackend]]:
    from search_api.app import create_app

    settings = Settings(backend="tantivy", index_dir=tmp_path / "index", api_key=KEY, upload_max_bytes=300_000)
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: settings
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, backend_for(settings)


def _post(client: TestClient, name: str, data: bytes, key: str | None = KEY):
    headers = {"X-API-Key": key} if key else {}
    return client.post("/api/documents", files={"file": (name, data)}, headers=headers)


def test_upload_needs_the_api_key(upload_env) -> None:
    client, backend = upload_env
    text = "KẾ HOẠCH phòng, chống ma túy năm 2025. Phấn đấu 100% xã không ma túy.".encode()
    assert _post(client, "plan.txt", text, key=None).status_code == 401
    assert _post(client, "plan.txt", text, key="wrong").status_code == 401
    assert backend.count()["documents"] == 0


def test_upload_indexes_a_real_document_once(upload_env) -> None:
    client, backend = upload_env
    path = bundled_paths()[0]
    r = _post(client, path.name, path.read_bytes())
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["created"] is True and body["id"].startswith("sha256-")
    detail = client.get(f"/api/documents/{body['id']}").json()
    assert detail["source"] == path.name and len(detail["text"]) > 100
    assert backend.count()["documents"] == 1
    again = _post(client, path.name, path.read_bytes())
    assert again.status_code == 201 and again.json() == {**body, "created": False}
    assert backend.count() == {"documents": 1, "indicators": body["indicators"]}


@pytest.mark.parametrize(("name", "data"), [
    ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntruncated"),
    ("broken.docx", b"PK\x03\x04 this is not a zip archive"),
    ("noise.txt", bytes(range(256)) * 40),
    ("blank.txt", b"   \n\n  \t "),
])
def test_broken_upload_is_422_with_the_error_and_nothing_indexed(upload_env, name: str, data: bytes) -> None:
    client, backend = upload_env
    r = _post(client, name, data)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail["source"] == name
    assert detail["errors"] and all(e["message"] for e in detail["errors"])
    assert backend.count() == {"documents": 0, "indicators": 0}


def test_upload_size_limit_and_empty_file(upload_env) -> None:
    client, backend = upload_env
    big = ("Phấn đấu đến năm 2025 có 100% xã không ma túy. " * 8000).encode()
    assert len(big) > 300_000
    r = _post(client, "big.txt", big)
    assert r.status_code == 413 and "limit" in r.json()["detail"]
    assert _post(client, "empty.txt", b"").status_code in (400, 422)
    assert client.post("/api/documents", headers={"X-API-Key": KEY}).status_code == 422  # no file at all
    assert backend.count()["documents"] == 0
