"""A bounded load test on loopback (``chitieu bench load``): concurrent clients send a mix of document searches,
indicator searches, comparisons and uploads to a real uvicorn server for a fixed time; reported: errors (any
non-2xx or transport failure), latency percentiles per route, and the server's resident memory before and after."""

from __future__ import annotations

import os
import random
import tempfile
import threading
import time
from pathlib import Path

from search_api.bench import _pct, _rss_mb, base_documents, request_mix, start_server

UPLOAD_SHARE = 0.05
COMPARE_SHARE = 0.15


def _upload_body(rng: random.Random, base_texts: list[str]) -> tuple[str, bytes]:
    """A new small plan: a corpus paragraph with fresh numbers, so each upload is a distinct document."""
    para = rng.choice(base_texts)
    text = (f"Kế hoạch số {rng.randrange(1, 9999)}/KH-UBND\nPhấn đấu đến năm {rng.randrange(2025, 2031)} giảm "
            f"{rng.randrange(1, 60)}% số người nghiện ma túy; {rng.randrange(5, 500)} xã không có ma túy.\n{para}\n")
    return f"load-{rng.randrange(10**9)}.txt", text.encode("utf-8")


def _client(base_url: str, mix: list[tuple[str, dict]], provinces: list[str], texts: list[str], seed: int,
            stop_at: float, lat: dict[str, list[float]], errors: list[str], uploads: list[str]) -> None:
    import httpx

    rng = random.Random(seed)
    key = os.environ.get("CHITIEU_API_KEY")  # the server inherits it: uploads must carry it
    with httpx.Client(base_url=base_url, timeout=60, headers={"X-API-Key": key} if key else None) as client:
        k = seed
        while time.perf_counter() < stop_at:
            roll = rng.random()
            t0 = time.perf_counter()
            try:
                if roll < UPLOAD_SHARE:
                    route = "POST /api/documents"
                    name, body = _upload_body(rng, texts)
                    r = client.post("/api/documents", files={"file": (name, body, "text/plain")})
                    if r.status_code in (200, 201):
                        uploads.append(r.json().get("id", ""))
                elif roll < UPLOAD_SHARE + COMPARE_SHARE:
                    route = "/api/compare"
                    r = client.get(route, params={"province": ",".join(rng.sample(provinces, 2)), "topic": "ma túy"})
                else:
                    route, params = mix[k % len(mix)]
                    k += 1
                    r = client.get(route, params=params)
                ok = 200 <= r.status_code < 300
                status: object = r.status_code
            except httpx.HTTPError as exc:
                ok, status = False, type(exc).__name__
            dt = time.perf_counter() - t0
            lat.setdefault(route, []).append(dt)
            if not ok:
                errors.append(f"{route}: {status}")


def _sample_rss(pid: int, stop_at: float, out: list[tuple[float, float]], every: float = 2.0) -> None:
    """The server's resident memory every ``every`` seconds until ``stop_at``: (seconds since start, MB)."""
    t0 = time.perf_counter()
    while time.perf_counter() < stop_at:
        out.append((time.perf_counter() - t0, _rss_mb(pid)))
        time.sleep(min(every, max(0.0, stop_at - time.perf_counter())))


def _at_half(timeline: list[tuple[float, float]], default: float) -> float:
    if not timeline:
        return default
    half = timeline[-1][0] / 2
    return next(m for t, m in timeline if t >= half)


def run_load(seconds: float = 60.0, clients: int = 32, index_dir: Path | None = None, seed: int = 3) -> dict:
    """Serve the bundled corpus from a fresh index and load it; returns the figures (nothing is asserted here)."""
    from search_api.backends.tantivy_backend import TantivyBackend

    base = base_documents()
    index_dir = index_dir or Path(tempfile.mkdtemp(prefix="chitieu-load-"))
    backend = TantivyBackend(index_dir)
    backend.index_documents(base)
    before_docs = backend.count()["documents"]
    provinces = sorted({d.metadata.province for d in base if d.metadata.province}) or ["Nghệ An", "Lào Cai"]
    if len(provinces) < 2:
        provinces = [*provinces, "Nghệ An", "Lào Cai"]
    texts = [p for d in base for p in d.text.split("\n") if len(p) > 120][:300]
    mix = request_mix(base)
    proc, url = start_server(index_dir, workers=1)
    try:
        lat: dict[str, list[float]] = {}
        warm_errors: list[str] = []
        _client(url, mix, provinces, texts, 99, time.perf_counter() + 3, {}, warm_errors, [])
        before_docs = TantivyBackend(index_dir).count()["documents"]  # the warm-up may have uploaded some
        rss_before = _rss_mb(proc.pid)
        errors: list[str] = []
        uploads: list[str] = []
        stop_at = time.perf_counter() + seconds
        threads = [threading.Thread(target=_client, args=(url, mix, provinces, texts, seed * 1000 + c, stop_at,
                                                          lat, errors, uploads)) for c in range(clients)]
        timeline: list[tuple[float, float]] = []
        sampler = threading.Thread(target=_sample_rss, args=(proc.pid, stop_at, timeline), daemon=True)
        t0 = time.perf_counter()
        for t in [*threads, sampler]:
            t.start()
        for t in [*threads, sampler]:
            t.join()
        wall = time.perf_counter() - t0
        rss_after = _rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    every = [x for v in lat.values() for x in v]
    after_docs = TantivyBackend(index_dir).count()["documents"]
    out = {"seconds": round(wall, 1), "clients": clients, "requests": len(every),
           "req_per_s": round(len(every) / wall, 1), "errors": len(errors), "error_samples": errors[:10],
           "server_5xx": sum(1 for e in errors if e.rsplit(": ", 1)[-1].startswith("5")),
           "warmup_errors": len(warm_errors), "uploads": len(uploads), "distinct_uploads": len(set(uploads)),
           "documents_before": before_docs, "documents_after": after_docs,
           "server_rss_mb_before": rss_before, "server_rss_mb_after": rss_after,
           "rss_growth_mb": round(rss_after - rss_before, 1),
           # growth over the second half of the run: a leak keeps climbing, allocator arenas filled by the
           # index writer's threads level off after the first uploads
           "rss_growth_second_half_mb": round(rss_after - _at_half(timeline, rss_before), 1),
           "rss_mb_timeline": [[round(t, 1), m] for t, m in timeline]}
    for route, values in sorted(lat.items()):
        out[route] = {"n": len(values), **{f"p{int(q * 100)}_ms": round(_pct(values, q) * 1000, 1)
                                           for q in (0.5, 0.95, 0.99)}}
    out["all"] = {f"p{int(q * 100)}_ms": round(_pct(every, q) * 1000, 1) for q in (0.5, 0.95, 0.99)}
    return out
