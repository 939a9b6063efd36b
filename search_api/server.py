"""``chitieu serve``: uvicorn on the app, the address printed first.

With several workers, each worker process listens on a socket of its own bound to the same address with
``SO_REUSEPORT``, and the kernel hands each new connection to one of the sockets by a hash of its addresses. With
uvicorn's own ``--workers`` the processes share one socket and an event loop accepts every connection waiting when
it wakes: the first worker awake took all of a load generator's 16 keep-alive connections and the others idled
(measured: one worker at 1.14 cores, the other at 0); libuv's ``UV_TCP_SINGLE_ACCEPT=1`` spread them in most runs
only (0.98 and 0 cores in one run of three).
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
from types import FrameType

import uvicorn

from search_api.settings import get_settings

APP = "search_api.app:create_app"


def reuseport_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on (host, port) that other processes may bind too (``SO_REUSEPORT``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    return sock


def _worker(host: str, port: int) -> None:
    try:
        sock = reuseport_socket(host, port)
    except OSError as exc:
        print(f"chitieu: cannot listen on {host}:{port}: {exc}", file=sys.stderr, flush=True)
        sys.exit(3)
    config = uvicorn.Config(APP, factory=True, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def run_workers(host: str, port: int, workers: int) -> int:
    """``workers`` processes, each serving the app on its own ``SO_REUSEPORT`` socket; returns when they have
    stopped (SIGINT or SIGTERM stops them all; so does one of them failing), with the first failure's exit code."""
    # the address is taken here first, so that a port in use fails at once, before any worker starts
    reuseport_socket(host, port).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_worker, args=(host, port), name=f"chitieu-worker-{i}") for i in range(workers)]
    for p in procs:
        p.start()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        for p in procs:
            if p.is_alive():
                p.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    while any(p.is_alive() for p in procs):
        for p in procs:
            p.join(timeout=0.5)
            if p.exitcode not in (None, 0, -signal.SIGTERM) and not code:
                code = p.exitcode if p.exitcode > 0 else 1
                stop(signal.SIGTERM, None)
    return code


def serve(host: str | None = None, port: int | None = None, workers: int | None = None) -> None:
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    where = settings.es_url if settings.backend == "elasticsearch" else settings.index_dir
    print(f"chitieu: serving http://{host}:{port}/  (API docs: http://{host}:{port}/docs; "
          f"backend {settings.backend} at {where}; {workers} worker{'s' if workers > 1 else ''})", flush=True)
    if workers > 1:
        sys.exit(run_workers(host, port, workers))
    uvicorn.run(APP, factory=True, host=host, port=port, log_level="warning")
