"""The command line as a user runs it: `chitieu ingest` fills the index named by CHITIEU_INDEX_DIR (the same files
twice give the same counts), `chitieu serve` prints its address and answers there."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from corpus.bundled import DATA_DIR, bundled_paths
from search_api.backends.base import DocumentQuery, IndicatorQuery
from search_api.backends.tantivy_backend import TantivyBackend

from conftest import ES_SKIP_REASON, free_port

BIN = Path(sys.executable).parent / "chitieu"


def _env(index_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHITIEU_")}
    env["CHITIEU_INDEX_DIR"] = str(index_dir)
    return env


def _ingest(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), "ingest", *args], env=env, capture_output=True, text=True, timeout=600)


def _run_counts(log: str) -> tuple[int, int]:
    """(documents, indicators) this run indexed, as the summary line reports them."""
    m = re.search(r"(\d+) indexed with (\d+) indicators", " ".join(log.split()))
    assert m, log
    return int(m.group(1)), int(m.group(2))


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], str]:
    index_dir = tmp_path_factory.mktemp("cli-index")
    run = _ingest(_env(index_dir), str(DATA_DIR))
    assert run.returncode == 0, run.stderr
    return index_dir, TantivyBackend(index_dir).count(), run.stderr


def test_ingest_fills_the_index_of_the_setting(ingested) -> None:
    index_dir, counts, log = ingested
    assert counts["documents"] == len(bundled_paths())
    assert _run_counts(log) == (counts["documents"], counts["indicators"])
    assert f"holds {counts['documents']} documents" in " ".join(log.split())


def test_reingest_is_idempotent(ingested, tmp_path: Path) -> None:
    """Counts are compared with what each run reports, since the extractors may change between two runs."""
    index_dir, counts, _log = ingested
    again = _ingest(_env(index_dir), str(DATA_DIR))
    assert again.returncode == 0, again.stderr
    assert _run_counts(again.stderr)[0] == counts["documents"]
    engine = TantivyBackend(index_dir)
    assert engine.count() == dict(zip(("documents", "indicators"), _run_counts(again.stderr), strict=True))
    # one file on its own, and a copy of it under another name (same text → same id): still one document
    one = bundled_paths()[0]
    copy = tmp_path / ("copy-of-" + one.name)
    shutil.copy(one, copy)
    assert _ingest(_env(index_dir), str(one), str(copy)).returncode == 0
    engine.reload()
    assert engine.count()["documents"] == counts["documents"]
    ids = [d.id for d in engine.search_documents(DocumentQuery(size=100, facets=False)).hits]
    assert len(ids) == len(set(ids)) == counts["documents"]
    for doc_id in ids[:5]:
        held = engine.search_indicators(IndicatorQuery(doc_id=doc_id, size=1)).total
        assert held == len(engine.get_document(doc_id).indicators)


def test_ingest_keeps_going_past_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7 nothing here")
    good = bundled_paths()[1]
    run = _ingest(_env(tmp_path / "index"), str(bad), str(good))
    assert run.returncode == 0, run.stderr
    assert "bad.pdf" in run.stderr
    assert TantivyBackend(tmp_path / "index").count()["documents"] == 1


def test_ingest_elasticsearch_without_url_says_why(tmp_path: Path) -> None:
    run = _ingest(_env(tmp_path / "index"), "--backend", "elasticsearch", str(bundled_paths()[0]))
    assert run.returncode != 0 and "URL" in run.stderr


@pytest.mark.skipif(not os.environ.get("CHITIEU_ES_URL"), reason=ES_SKIP_REASON)
def test_ingest_into_elasticsearch(tmp_path: Path) -> None:
    from search_api.backends.es_backend import ElasticsearchBackend

    url = os.environ["CHITIEU_ES_URL"]
    env = _env(tmp_path) | {"CHITIEU_ES_INDEX_PREFIX": f"chitieu-cli-{os.getpid()}"}
    for _ in range(2):
        run = _ingest(env, "--backend", "elasticsearch", "--es-url", url, str(DATA_DIR))
        assert run.returncode == 0, run.stderr
    engine = ElasticsearchBackend(url, prefix=f"chitieu-cli-{os.getpid()}")
    try:
        engine.es.indices.refresh(index=[engine.docs_alias, engine.inds_alias])
        assert engine.count()["documents"] == len(bundled_paths())
    finally:
        engine.drop_all()


def test_serve_prints_the_address_and_answers(ingested) -> None:
    index_dir, counts, _log = ingested
    port = free_port()
    proc = subprocess.Popen([str(BIN), "serve", "--host", "127.0.0.1", "--port", str(port)], env=_env(index_dir),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()
                time.sleep(0.1)
        assert health.status_code == 200
        assert health.json()["documents"] == counts["documents"]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
