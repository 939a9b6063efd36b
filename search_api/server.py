"""``chitieu serve``: uvicorn on the app, the address printed first."""

from __future__ import annotations

import os

import uvicorn

from search_api.settings import get_settings

# The workers share one listening socket, and an event loop accepts every connection waiting when it wakes: the
# first worker awake took all of a load generator's 16 keep-alive connections and the others idled (measured: one
# worker at 1.14 cores, the other at 0). libuv (under uvloop) then accepts one connection at a time and yields, so
# that the connections spread over the workers (0.49 and 0.60 cores in the same run).
BALANCED_ACCEPT_ENV = {"UV_TCP_SINGLE_ACCEPT": "1"}


def balance_accepts() -> None:
    """Set, for the worker processes about to be started, what spreads the connections over them."""
    for key, value in BALANCED_ACCEPT_ENV.items():
        os.environ.setdefault(key, value)


def serve(host: str | None = None, port: int | None = None, workers: int | None = None) -> None:
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    where = settings.es_url if settings.backend == "elasticsearch" else settings.index_dir
    print(f"chitieu: serving http://{host}:{port}/  (API docs: http://{host}:{port}/docs; "
          f"backend {settings.backend} at {where}; {workers} worker{'s' if workers > 1 else ''})", flush=True)
    if workers > 1:
        balance_accepts()
    uvicorn.run("search_api.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning")
