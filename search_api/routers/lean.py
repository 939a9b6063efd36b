"""Lean JSON responses: a result model serialized once by pydantic-core, with no re-validation by FastAPI.

The routes keep ``response_model=`` for the OpenAPI schema; returning a :class:`Response` skips FastAPI's
validate-then-encode pass over the (already valid) result, which dominated the time of large pages.
"""

from __future__ import annotations

from fastapi import Response
from pydantic import BaseModel


def json_of(model: BaseModel, status_code: int = 200) -> Response:
    return Response(content=model.model_dump_json(), status_code=status_code, media_type="application/json")


def json_bytes(content: bytes, status_code: int = 200) -> Response:
    """JSON already written (by a backend's ``*_json`` search)."""
    return Response(content=content, status_code=status_code, media_type="application/json")
