"""``chitieu serve``: uvicorn on the app, the address printed first."""

from __future__ import annotations

import uvicorn

from search_api.settings import get_settings


def serve(host: str | None = None, port: int | None = None, workers: int | None = None) -> None:
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    where = settings.es_url if settings.backend == "elasticsearch" else settings.index_dir
    print(f"chitieu: serving http://{host}:{port}/  (API docs: http://{host}:{port}/docs; "
          f"backend {settings.backend} at {where}; {workers} worker{'s' if workers > 1 else ''})", flush=True)
    uvicorn.run("search_api.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning")
