"""Lean JSON responses: a result model serialized once by pydantic-core, with no re-validation by FastAPI.

The routes keep ``response_model=`` for the OpenAPI schema; returning a :class:`Response` skips FastAPI's
validate-then-encode pass over the (already valid) result, which dominated the time of large pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
from fastapi import Response
from pydantic import BaseModel

Q = TypeVar("Q")
_limiter: anyio.CapacityLimiter | None = None


def json_of(model: BaseModel, status_code: int = 200) -> Response:
    return Response(content=model.model_dump_json(), status_code=status_code, media_type="application/json")


def json_bytes(content: bytes, status_code: int = 200) -> Response:
    """JSON already written (by a backend's ``*_json`` search)."""
    return Response(content=content, status_code=status_code, media_type="application/json")


def search_threads(configured: int | None, backend: object) -> int:
    """The threads a search not answered from the cache runs in: the setting, else the backend's own choice."""
    return getattr(backend, "search_threads", 0) if configured is None else configured


async def searched(query: Q, cached: Callable[[Q], bytes | None], search: Callable[[Q], bytes],
                   threads: int) -> Response:
    """The JSON of a search: a page answered before comes from the cache on the event loop; a new search runs in
    one of a few threads (the engine lets go of the GIL while it searches), so that the answers already known
    are not kept waiting behind it."""
    global _limiter
    body = cached(query)
    if body is None and threads <= 0:
        body = search(query)
    elif body is None:
        if _limiter is None or _limiter.total_tokens != threads:
            _limiter = anyio.CapacityLimiter(threads)
        body = await anyio.to_thread.run_sync(search, query, limiter=_limiter)
    return json_bytes(body)
