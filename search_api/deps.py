"""FastAPI dependencies: settings through the one cached function, the backend cached per settings.

The dependencies are ``async def``: FastAPI runs a plain ``def`` dependency in its thread pool, a hop (and a
hand-over of the GIL) per dependency and request that cost more than the work they do.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Request

from search_api.backends import SearchBackend, make_backend
from search_api.settings import Settings, get_settings

_backends: dict[str, SearchBackend] = {}
_lock = threading.Lock()


def backend_for(settings: Settings) -> SearchBackend:
    key = f"{settings.backend}|{settings.index_dir}|{settings.es_url}|{settings.es_index_prefix}|{settings.facet_sample_above}"
    with _lock:
        if key not in _backends:
            _backends[key] = make_backend(settings)
        return _backends[key]


def settings_of(app: FastAPI) -> Settings:
    """``get_settings()``, or what ``app.dependency_overrides[get_settings]`` gives in its place (tests use it)."""
    override = app.dependency_overrides.get(get_settings)
    return override() if override is not None else get_settings()


async def current_settings(request: Request) -> Settings:
    return settings_of(request.app)


async def get_backend(settings: Annotated[Settings, Depends(current_settings)]) -> SearchBackend:
    return backend_for(settings)


async def require_api_key(settings: Annotated[Settings, Depends(current_settings)],
                          x_api_key: Annotated[str | None, Header()] = None) -> None:
    """Write endpoints: when an API key is configured, the X-API-Key header must carry it."""
    if settings.api_key and x_api_key != settings.api_key:
        raise HTTPException(status_code=401, detail="a valid X-API-Key header is required for this endpoint")


BackendDep = Annotated[SearchBackend, Depends(get_backend)]
SettingsDep = Annotated[Settings, Depends(current_settings)]
