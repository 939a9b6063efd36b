"""/api/progress: one province and metric, targets against reported figures."""

from __future__ import annotations

from fastapi import APIRouter

from search_api.deps import BackendDep
from search_api.services import progress
from search_api.validation import bad, check_name, check_province

router = APIRouter(prefix="/api/progress", tags=["progress"])


@router.get("")
def province_progress(backend: BackendDep, province: str, metric: str) -> dict:
    """The targets with deadlines, the reported figures over time, attainment (reported ÷ target) and a status
    (achieved, on track, behind, no data); every figure linked to its source sentence."""
    name = check_province(province)
    metric = check_name(metric, "metric")
    if not name or not metric:
        raise bad("province and metric are required")
    return progress(backend, name, metric)
