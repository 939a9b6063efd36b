"""/api/indicators: structured search over indicators."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from search_api.backends.base import IndicatorQuery, IndicatorResults
from search_api.deps import BackendDep, SettingsDep
from search_api.routers.lean import search_threads, searched
from search_api.validation import (
    ExactFacets,
    check_name,
    check_page,
    check_province,
    check_range,
    check_text,
    check_value,
    check_year,
    parse_bound,
)

router = APIRouter(prefix="/api/indicators", tags=["indicators"])


async def indicator_query(settings: SettingsDep, q: str | None = None,
                          kind: Literal["target", "reported", "baseline"] | None = None,
                          metric: str | None = None, province: str | None = None, agency: str | None = None,
                          doc_type: str | None = None, issuer: str | None = None, doc_id: str | None = None,
                          year_from: int | None = None, year_to: int | None = None,
                          min_value: float | None = None, max_value: float | None = None,
                          deadline_from: Annotated[str | None, Query(description="a year (2025) or a date")] = None,
                          deadline_to: Annotated[str | None, Query(description="a year (2030) or a date")] = None,
                          page: Annotated[int, Query(ge=1)] = 1, size: Annotated[int, Query(ge=1)] = 20,
                          facets: bool = True, exact_facets: ExactFacets = False) -> IndicatorQuery:
    """The indicator filters, validated (shared by /api/indicators, /api/export and the web pages)."""
    check_page(page, size, settings)
    check_year(year_from, "year_from")
    check_year(year_to, "year_to")
    check_range(year_from, year_to, "year range")
    check_value(min_value, "min_value")
    check_value(max_value, "max_value")
    check_range(min_value, max_value, "value range")
    d_from = parse_bound(deadline_from, "deadline_from", upper=False)
    d_to = parse_bound(deadline_to, "deadline_to", upper=True)
    check_range(d_from, d_to, "deadline range")
    return IndicatorQuery(q=check_text(q, settings), kind=kind, metric=check_name(metric, "metric"),
                          province=check_province(province), agency=check_name(agency, "agency"),
                          doc_type=check_name(doc_type, "doc_type"), issuer=check_name(issuer, "issuer"),
                          doc_id=check_name(doc_id, "doc_id"), year_from=year_from, year_to=year_to,
                          min_value=min_value, max_value=max_value, deadline_from=d_from, deadline_to=d_to,
                          page=page, size=size, facets=facets,
                          exact_facets=exact_facets)


@router.get("", response_model=IndicatorResults)
async def search_indicators(backend: BackendDep, settings: SettingsDep,
                            query: Annotated[IndicatorQuery, Depends(indicator_query)]) -> Response:
    """Indicators by kind, metric, province, agency, value range and deadline range, with facet counts."""
    return await searched(query, backend.cached_indicators_json, backend.new_indicators_json,
                          search_threads(settings.search_threads, backend))
