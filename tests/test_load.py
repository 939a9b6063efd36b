"""A short bounded load on loopback (the full one is `chitieu bench load`: 60 s, 32 clients): a mix of searches,
indicator queries, comparisons and uploads against a real uvicorn server gives no error and no 5xx."""

from __future__ import annotations

import pytest

from search_api.loadtest import run_load


@pytest.mark.slow
def test_mixed_load_gives_no_error(tmp_path) -> None:
    res = run_load(seconds=8, clients=8, index_dir=tmp_path / "index")
    assert res["requests"] > 20
    assert res["errors"] == 0, res["error_samples"]
    assert res["server_5xx"] == 0
    assert {"/api/documents/search", "/api/indicators", "/api/compare"} <= set(res)
    # every accepted upload is in the index exactly once: nothing lost, nothing doubled under load
    assert res["uploads"] > 0
    assert res["documents_after"] == res["documents_before"] + res["distinct_uploads"]
