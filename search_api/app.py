"""The FastAPI application: a router per resource; OpenAPI at /docs."""

from __future__ import annotations

import os

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from search_api.deps import backend_for, settings_of
from search_api.response_cache import ResponseCache, ResponseStore
from search_api.routers import agencies, compare, documents, export, indicators, progress
from search_api.web import router as web_router


def create_app() -> FastAPI:
    app = FastAPI(title="chitieu", version="0.1.0",
                  description="Search Vietnamese plans, resolutions and reports by their numbers, targets and deadlines.")
    for module in (documents, indicators, compare, progress, agencies, export):
        app.include_router(module.router)
    app.include_router(web_router)

    def generation() -> object | None:
        return backend_for(settings_of(app)).generation()

    app.state.responses = ResponseStore()
    app.add_middleware(ResponseCache, store=app.state.responses, generation=generation,
                       size=lambda: settings_of(app).response_cache)

    @app.get("/api/health", tags=["health"])
    def health() -> dict:
        current = settings_of(app)
        backend = backend_for(current)
        # the caches are this worker's: a server of several workers answers for one of them
        return {"status": "ok", "backend": current.backend, **backend.count(), "worker": os.getpid(),
                "caches": {"responses": app.state.responses.stats(), **backend.cache_stats()}}

    @app.exception_handler(ValueError)
    async def value_error(_request: Request, exc: ValueError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)[:500]})

    return app
