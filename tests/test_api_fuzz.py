"""Hypothesis fuzz of the API's query parameters: whatever a client sends, the answer is never a 500.

Values are drawn from the awkward corners (engine syntax characters, control characters, huge and negative
numbers, NaN, long strings, almost-dates) as well as from plausible ones (provinces, metrics, years)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SYNTHETIC_METRIC

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
SYNTAX = st.lists(st.sampled_from(list('"():*^~[]{}\\/!?-+&|<>=%. ') + ["ma", "túy", "tuy", "AND", "OR", "NOT"]),
                  max_size=30).map("".join)
NUMBER = st.one_of(st.integers(-10**20, 10**20).map(str), st.floats(allow_nan=True).map(str),
                   st.sampled_from(["", " ", "nan", "-inf", "1e999", "0x10", "2030", "2030.5", "１２"]))
DATE = st.one_of(st.sampled_from(["2030", "2030-06", "2030-02-30", "2030-13", "1700", "2300-01-01", "2030-1-1",
                                  "0000", "", "năm 2030"]),
                 st.from_regex(r"\A\d{1,5}(-\d{1,3}){0,2}\Z"), TEXT)
PLACE = st.one_of(st.sampled_from(["Nghệ An", "nghe an", "Lào Cai", "TP. Hồ Chí Minh", "Huế", "Atlantis", ""]), TEXT)
ANY = st.one_of(TEXT, SYNTAX, NUMBER)

PARAMS = {
    "q": st.one_of(SYNTAX, TEXT, st.text(st.characters(exclude_categories=("Cs",)), min_size=900, max_size=1200)),
    "province": PLACE, "doc_type": ANY, "issuer": ANY, "metric": st.one_of(st.just(SYNTHETIC_METRIC), ANY),
    "kind": st.one_of(st.sampled_from(["target", "reported", "baseline"]), ANY), "agency": ANY,
    "year_from": NUMBER, "year_to": NUMBER, "min_value": NUMBER, "max_value": NUMBER,
    "deadline_from": DATE, "deadline_to": DATE, "page": NUMBER, "size": NUMBER, "facets": ANY,
    "highlight": ANY, "doc_id": ANY, "topic": st.one_of(SYNTAX, TEXT), "format": ANY,
}
ENDPOINTS = {
    "/api/documents/search": ["q", "province", "doc_type", "issuer", "year_from", "year_to", "metric", "kind",
                              "agency", "page", "size", "facets", "highlight"],
    "/api/indicators": ["q", "kind", "metric", "province", "agency", "doc_type", "issuer", "doc_id", "year_from",
                        "year_to", "min_value", "max_value", "deadline_from", "deadline_to", "page", "size"],
    "/api/compare": ["province", "metric", "topic"],
    "/api/progress": ["province", "metric"],
    "/api/agencies": ["agency", "province"],
    "/api/export": ["q", "kind", "metric", "province", "min_value", "deadline_to", "format"],
}


def params_for(endpoint: str) -> st.SearchStrategy[dict]:
    names = ENDPOINTS[endpoint]
    return st.fixed_dictionaries({}, optional={n: PARAMS[n] for n in names})


@pytest.fixture(scope="module")
def client(api_index):
    from fastapi.testclient import TestClient

    from search_api.app import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_no_parameter_makes_a_500(client, endpoint: str) -> None:
    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])
    @given(params=params_for(endpoint))
    def check(params: dict) -> None:
        r = client.get(endpoint, params=params)
        assert r.status_code < 500, (endpoint, params, r.status_code, r.text[:300])
        if r.status_code >= 400:
            assert r.json()["detail"], (endpoint, params)

    check()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc_id=st.one_of(TEXT, st.text(st.characters(exclude_categories=("Cs",)), min_size=190, max_size=400))
       .filter(lambda s: s.strip(".")))
def test_document_ids_never_500(client, doc_id: str) -> None:
    r = client.get("/api/documents/" + quote(doc_id, safe=""))
    assert r.status_code < 500, (doc_id, r.status_code, r.text[:200])
