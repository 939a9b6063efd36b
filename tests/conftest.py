"""Shared fixtures: the bundled corpus (plus documents with indicators built through the model) ingested into a
temporary tantivy index, the app on that index through TestClient, and a live uvicorn server on a free loopback port.

Reusable by the web-page tests: ``live_server`` is the base URL of a real server, ``api_client`` a TestClient.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus.model import (
    Document,
    Indicator,
    IndicatorAgency,
    IndicatorPlace,
    Metadata,
    Period,
    ReferenceMention,
    ReferenceValue,
)

ES_SKIP_REASON = ("CHITIEU_ES_URL is not set: there is no Elasticsearch server to test against "
                  "(none can be installed on these machines); set CHITIEU_ES_URL=http://host:9200 to run these tests")


# ---------------------------------------------------------------- documents with indicators, built through the model
def make_doc(text: str, metadata: dict, indicators: list[dict], source: str) -> Document:
    """A Document whose indicators point at the first occurrence of their ``text`` inside their ``sentence``."""
    inds = []
    for spec in indicators:
        spec = dict(spec)
        sentence = spec.pop("sentence")
        s0 = text.index(sentence)
        start = s0 + sentence.index(spec["text"])
        place = spec.pop("place", None)
        deadline = spec.pop("deadline", None)
        period = spec.pop("period", None)
        agencies = spec.pop("agencies", [])
        inds.append(Indicator(start=start, end=start + len(spec["text"]), sentence=sentence,
                              location=IndicatorPlace(name=place, level="province") if place else None,
                              period=Period(end=deadline, grain="deadline") if deadline else
                              (Period(**period) if period else None),
                              agencies=[IndicatorAgency(canonical=a, role="lead") for a in agencies], **spec))
    doc = Document(source=source, text=text, metadata=Metadata(**metadata), indicators=inds)
    doc.id = Document.id_for(text, source)
    for ind in inds:
        assert text[ind.start:ind.end] == ind.text
    return doc


def synthetic_docs() -> list[Document]:
    """Plans and reports of two provinces with targets and reported figures (the linker may not produce these yet)."""
    metric = "drug.communes_drug_free_pct"
    na_plan = ("KẾ HOẠCH Thực hiện công tác phòng, chống ma túy tỉnh Nghệ An giai đoạn 2024 - 2030.\n"
               "Phấn đấu đến năm 2025 có 50% xã, phường, thị trấn không ma túy. "
               "Đến năm 2030 có 80% xã, phường, thị trấn không ma túy.\n"
               "Công an tỉnh chủ trì, phối hợp với các sở, ngành thực hiện.")
    na_report = ("BÁO CÁO Kết quả công tác phòng, chống ma túy năm 2024 tỉnh Nghệ An.\n"
                 "Thực hiện Kế hoạch số 99/KH-UBND ngày 01/3/2024 của UBND tỉnh.\n"
                 "Đến nay toàn tỉnh có 42% xã, phường, thị trấn không ma túy.")
    lc_plan = ("KẾ HOẠCH phòng, chống ma tuý tỉnh Lào Cai năm 2024.\n"
               "Phấn đấu đến năm 2025 có 70% xã, phường, thị trấn không ma túy.")
    lc_report = ("BÁO CÁO tình hình ma túy tỉnh Lào Cai năm 2024.\n"
                 "Toàn tỉnh đã có 72% xã, phường, thị trấn không ma túy.")
    agency = "Công an tỉnh Nghệ An"
    pancreas = "Ghi chép y khoa: mà tụy là một cơ quan cần được bảo vệ."
    docs = [
        make_doc(na_plan, {"number": "99/KH-UBND", "doc_type": "Kế hoạch", "issuer": "UBND tỉnh Nghệ An",
                           "issued_date": "2024-03-01", "province": "Nghệ An",
                           "title": "Thực hiện công tác phòng, chống ma túy tỉnh Nghệ An giai đoạn 2024 - 2030"},
                 [{"kind": "target", "value": 50, "unit": "%", "text": "50%", "metric": metric,
                   "subject": "xã, phường, thị trấn không ma túy", "deadline": "2025-12-31", "place": "Nghệ An",
                   "agencies": [agency],
                   "sentence": "Phấn đấu đến năm 2025 có 50% xã, phường, thị trấn không ma túy."},
                  {"kind": "target", "value": 80, "unit": "%", "text": "80%", "metric": metric,
                   "subject": "xã, phường, thị trấn không ma túy", "deadline": "2030-12-31", "place": "Nghệ An",
                   "agencies": [agency],
                   "sentence": "Đến năm 2030 có 80% xã, phường, thị trấn không ma túy."}],
                 "tests/synthetic/na_plan.txt"),
        make_doc(na_report, {"number": "15/BC-UBND", "doc_type": "Báo cáo", "issuer": "UBND tỉnh Nghệ An",
                             "issued_date": "2024-12-20", "province": "Nghệ An"},
                 [{"kind": "reported", "value": 42, "unit": "%", "text": "42%", "metric": metric,
                   "subject": "xã, phường, thị trấn không ma túy", "place": "Nghệ An",
                   "period": {"start": "2024-01-01", "end": "2024-12-20", "grain": "period"},
                   "sentence": "Đến nay toàn tỉnh có 42% xã, phường, thị trấn không ma túy."}],
                 "tests/synthetic/na_report.txt"),
        make_doc(lc_plan, {"number": "12/KH-UBND", "doc_type": "Kế hoạch", "issuer": "UBND tỉnh Lào Cai",
                           "issued_date": "2024-01-10", "province": "Lào Cai"},
                 [{"kind": "target", "value": 70, "unit": "%", "text": "70%", "metric": metric,
                   "subject": "xã, phường, thị trấn không ma túy", "deadline": "2025-12-31", "place": "Lào Cai",
                   "sentence": "Phấn đấu đến năm 2025 có 70% xã, phường, thị trấn không ma túy."}],
                 "tests/synthetic/lc_plan.txt"),
        make_doc(lc_report, {"number": "7/BC-UBND", "doc_type": "Báo cáo", "issuer": "UBND tỉnh Lào Cai",
                             "issued_date": "2024-11-30", "province": "Lào Cai"},
                 [{"kind": "reported", "value": 72, "unit": "%", "text": "72%", "metric": metric,
                   "subject": "xã, phường, thị trấn không ma túy", "place": "Lào Cai",
                   "period": {"start": "2024-01-01", "end": "2024-11-30", "grain": "period"},
                   "sentence": "Toàn tỉnh đã có 72% xã, phường, thị trấn không ma túy."}],
                 "tests/synthetic/lc_report.txt"),
        # an indicator without a value (a qualitative target): it must survive the index round trip
        make_doc(pancreas, {"doc_type": "Tin tức", "published_date": "2023-05-05"},
                 [{"kind": "target", "value": None, "text": "bảo vệ", "metric": "other",
                   "sentence": "mà tụy là một cơ quan cần được bảo vệ."}], "tests/synthetic/yte.txt"),
    ]
    ref = "Kế hoạch số 99/KH-UBND"
    report = docs[1]
    start = report.text.index(ref)
    report.mentions.append(ReferenceMention(start=start, end=start + len(ref), text=ref, normalized=ReferenceValue(
        number="99/KH-UBND", doc_type="Kế hoạch", date="2024-03-01", issuer="UBND tỉnh")))
    return docs


SYNTHETIC_METRIC = "drug.communes_drug_free_pct"


@pytest.fixture(scope="session")
def corpus_docs() -> list[Document]:
    """The bundled corpus, read and extracted as `chitieu ingest` does (documents with errors left out)."""
    from corpus.bundled import bundled_paths
    from search_api.ingest import indexable, process

    return [d for d in (process(p) for p in bundled_paths()) if indexable(d)]


@pytest.fixture(scope="session")
def all_docs(corpus_docs: list[Document]) -> list[Document]:
    return corpus_docs + synthetic_docs()


# ---------------------------------------------------------------- the app on a temporary tantivy index
@pytest.fixture(scope="session")
def api_index(tmp_path_factory: pytest.TempPathFactory, all_docs: list[Document]) -> Iterator[Path]:
    """CHITIEU_INDEX_DIR pointing at a fresh tantivy index holding ``all_docs``; settings re-read."""
    from search_api.deps import backend_for
    from search_api.settings import get_settings

    index_dir = tmp_path_factory.mktemp("index")
    saved = {k: os.environ.get(k) for k in ("CHITIEU_INDEX_DIR", "CHITIEU_BACKEND", "CHITIEU_API_KEY")}
    os.environ["CHITIEU_INDEX_DIR"] = str(index_dir)
    os.environ["CHITIEU_BACKEND"] = "tantivy"
    os.environ.pop("CHITIEU_API_KEY", None)
    get_settings.cache_clear()
    backend_for(get_settings()).index_documents(all_docs)
    yield index_dir
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def api_client(api_index: Path):
    from fastapi.testclient import TestClient

    from search_api.app import create_app

    with TestClient(create_app()) as client:
        yield client


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(api_index: Path) -> Iterator[str]:
    """A real uvicorn server on a free loopback port, serving the app on the test index; yields its base URL."""
    import httpx
    import uvicorn

    from search_api.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    else:
        raise RuntimeError("the test server did not start")
    yield base
    server.should_exit = True
    thread.join(timeout=10)


# ---------------------------------------------------------------- every available backend, for the behavioural suite
@pytest.fixture(scope="session", params=["tantivy", "elasticsearch"])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, all_docs: list[Document]):
    """Each backend that is available, holding ``all_docs``; Elasticsearch only when CHITIEU_ES_URL is set."""
    if request.param == "tantivy":
        from search_api.backends.tantivy_backend import TantivyBackend

        engine = TantivyBackend(tmp_path_factory.mktemp("backend-tantivy"))
        engine.index_documents(all_docs)
        yield engine
        return
    url = os.environ.get("CHITIEU_ES_URL")
    if not url:
        pytest.skip(ES_SKIP_REASON)
    from search_api.backends.es_backend import ElasticsearchBackend

    prefix = f"chitieu-test-{os.getpid()}"
    engine = ElasticsearchBackend(url, prefix=prefix)
    engine.index_documents(all_docs)
    yield engine
    engine.drop_all()
