"""/api/export: indicators as CSV (UTF-8 with BOM) or JSON Lines."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from search_api.backends.base import IndicatorQuery
from search_api.deps import BackendDep
from search_api.routers.indicators import indicator_query
from search_api.services import EXPORT_COLUMNS, export_row

router = APIRouter(prefix="/api/export", tags=["export"])


def _csv(rows: Iterator[dict]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
    buf.write("\ufeff")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        if buf.tell() > 64_000:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


@router.get("")
def export(backend: BackendDep, query: Annotated[IndicatorQuery, Depends(indicator_query)],
           format: Literal["csv", "jsonl"] = "csv") -> StreamingResponse:
    """Every indicator matching the filters (page and size are ignored)."""
    records = backend.iter_indicators(query.model_copy(update={"page": 1}))
    if format == "jsonl":
        body = (r.model_dump_json() + "\n" for r in records)
        return StreamingResponse(body, media_type="application/x-ndjson; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="indicators.jsonl"'})
    return StreamingResponse(_csv(export_row(r) for r in records), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="indicators.csv"'})
