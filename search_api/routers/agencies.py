"""/api/agencies: the tasks and targets assigned to an agency."""

from __future__ import annotations

from fastapi import APIRouter

from search_api.deps import BackendDep
from search_api.services import agency_list, agency_view
from search_api.validation import check_name, check_province

router = APIRouter(prefix="/api/agencies", tags=["agencies"])


@router.get("")
def agencies(backend: BackendDep, agency: str | None = None, province: str | None = None) -> dict:
    """Without ``agency``: the agencies that carry indicators, with counts. With it: its targets, reported
    figures and the tasks that name it (lead, support, assignee)."""
    name = check_name(agency, "agency")
    prov = check_province(province)
    if not name:
        return {"agencies": agency_list(backend, prov)}
    return agency_view(backend, name, prov)
