"""``chitieu serve --workers 2`` over real HTTP: each worker listens on a socket of its own (SO_REUSEPORT), so that
keep-alive connections spread over the processes; a port already taken fails at once with a message; SIGTERM
stops every process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

from conftest import free_port

REPO = Path(__file__).resolve().parents[1]


def _serve(index_dir: Path, port: int, workers: int = 2) -> subprocess.Popen:
    env = {**os.environ, "CHITIEU_INDEX_DIR": str(index_dir), "CHITIEU_BACKEND": "tantivy"}
    return subprocess.Popen([sys.executable, "-m", "search_api.cli", "serve", "--host", "127.0.0.1", "--port",
                             str(port), "--workers", str(workers)], env=env, cwd=str(REPO),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_up(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def test_keep_alive_connections_spread_over_the_workers_and_sigterm_stops_them(api_index: Path) -> None:
    port = free_port()
    proc = _serve(api_index, port)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url, proc)
        children = psutil.Process(proc.pid).children(recursive=True)
        pids = set()
        clients = [httpx.Client(base_url=url, timeout=10) for _ in range(16)]  # one connection each, kept open
        for c in clients:
            for _ in range(3):
                pids.add(c.get("/api/health").json()["worker"])
        for c in clients:
            c.close()
        # 16 connections hashed over two sockets all land on one with probability 2 ** -15
        assert len(pids) == 2 and pids <= {p.pid for p in children}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    time.sleep(0.5)
    assert not [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def test_a_port_in_use_fails_at_once_with_a_message(api_index: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        proc = _serve(api_index, taken.getsockname()[1])
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Address already in use" in err or "address already in use" in err.lower()
