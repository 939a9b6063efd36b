"""/api/documents: search, one document, upload."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Query, Response, UploadFile
from fastapi.concurrency import run_in_threadpool

from search_api.backends.base import DocumentQuery, DocumentResults
from search_api.deps import BackendDep, SettingsDep, require_api_key
from search_api.ingest import indexable, process_upload
from search_api.routers.lean import search_threads, searched
from search_api.services import document_detail
from search_api.validation import (
    ExactFacets,
    bad,
    check_name,
    check_page,
    check_province,
    check_range,
    check_text,
    check_year,
)

router = APIRouter(prefix="/api/documents", tags=["documents"])


async def document_query(settings: SettingsDep,
                         q: Annotated[str | None, Query(description="words, \"a phrase\"; with or without diacritics")] = None,
                         province: str | None = None, doc_type: str | None = None, issuer: str | None = None,
                         year_from: int | None = None, year_to: int | None = None, metric: str | None = None,
                         kind: Literal["target", "reported", "baseline"] | None = None, agency: str | None = None,
                         page: Annotated[int, Query(ge=1)] = 1, size: Annotated[int, Query(ge=1)] = 10,
                         facets: bool = True, exact_facets: ExactFacets = False,
                         highlight: bool = True) -> DocumentQuery:
    """The search parameters, validated (shared by the API and the web pages)."""
    check_page(page, size, settings)
    check_year(year_from, "year_from")
    check_year(year_to, "year_to")
    check_range(year_from, year_to, "year range")
    return DocumentQuery(q=check_text(q, settings), province=check_province(province),
                         doc_type=check_name(doc_type, "doc_type"), issuer=check_name(issuer, "issuer"),
                         year_from=year_from, year_to=year_to, metric=check_name(metric, "metric"), kind=kind,
                         agency=check_name(agency, "agency"), page=page, size=size, facets=facets,
                         exact_facets=exact_facets, highlight=highlight)


@router.get("/search", response_model=DocumentResults)
async def search_documents(backend: BackendDep, settings: SettingsDep,
                           query: Annotated[DocumentQuery, Depends(document_query)]) -> Response:
    """Full-text search with filters, facet counts and the matched passage highlighted."""
    return await searched(query, backend.cached_documents_json, backend.new_documents_json,
                          search_threads(settings.search_threads, backend))


@router.get("/{doc_id}")
def get_document(doc_id: str, backend: BackendDep) -> dict:
    """Metadata, text, mentions, indicators, what it cites (resolved to indexed documents) and what cites it."""
    if len(doc_id) > 200:
        raise bad("document id too long")
    doc = backend.get_document(doc_id)
    if doc is None:
        raise HTTPException(status_code=404, detail=f"no document with id {doc_id!r}")
    return document_detail(backend, doc)


@router.post("", status_code=201, dependencies=[Depends(require_api_key)])
async def upload_document(backend: BackendDep, settings: SettingsDep, file: UploadFile = File(...)) -> dict:
    """Upload a file: read, extract, index; returns its id. A file that cannot be read → 422, nothing indexed."""
    limit = settings.upload_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(status_code=413, detail=f"the file is larger than the limit of {limit} bytes")
    if not data:
        raise bad("the uploaded file is empty")
    doc = await run_in_threadpool(process_upload, data, file.filename or "upload.txt")
    if not indexable(doc):
        raise HTTPException(status_code=422, detail={
            "message": "the document could not be ingested", "source": doc.source,
            "errors": [e.model_dump() for e in doc.errors]})
    existed = await run_in_threadpool(backend.get_document, doc.id) is not None
    await run_in_threadpool(backend.index_documents, [doc])
    return {"id": doc.id, "source": doc.source, "created": not existed, "indicators": len(doc.indicators),
            "mentions": len(doc.mentions), "warnings": [e.model_dump() for e in doc.errors]}
