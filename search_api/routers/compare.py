"""/api/compare: provinces side by side for a metric or a topic."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from search_api.deps import BackendDep, SettingsDep
from search_api.services import compare
from search_api.validation import bad, check_name, check_province, check_text

router = APIRouter(prefix="/api/compare", tags=["compare"])


@router.get("")
def compare_provinces(backend: BackendDep, settings: SettingsDep,
                      province: Annotated[list[str] | None, Query(description="repeat, or comma-separated")] = None,
                      metric: str | None = None,
                      topic: Annotated[str | None, Query(description="words searched in the indicators")] = None
                      ) -> dict:
    """Each province's targets (value, deadline, source) and its latest reported figures."""
    metric = check_name(metric, "metric")
    topic = check_text(topic, settings, "topic")
    if not metric and not topic:
        raise bad("give a metric or a topic to compare")
    names = [n for p in (province or []) for n in p.split(",") if n.strip()]
    if len(names) > 20:
        raise bad("compare at most 20 provinces")
    provinces = list(dict.fromkeys(check_province(n) for n in names))
    return compare(backend, [p for p in provinces if p], metric=metric, topic=topic)
