"""``chitieu bench extract|index|search|all``: measured figures, written machine-readable to var/bench/<what>.json.

- extract: :func:`extractors.benchmark.bench_extract` (characters per second, with and without linking).
- index: the bundled corpus, read and extracted once, multiplied to N documents with varied numbers, places and
  dates (see :func:`synthesize`), indexed into a fresh tantivy index (``var/bench/index-<N>-s<seed>``) in batches;
  documents (and indicators) per second, the clock running only while the engine indexes.
- search: a uvicorn server (its own processes, 2 workers by default) on the index of that size, reused when it is
  there (``--rebuild`` builds it anew); 16 concurrent clients (keep-alive connections driven by one asyncio loop in
  a process of its own) send a mix of ``/api/documents/search`` and ``/api/indicators`` requests over HTTP;
  p50/p95/p99 latency, requests per second, errors, and the server's resident memory. The same clients against
  ``/api/health`` measure what the load generator itself can drive on this machine.

Each measure runs several times; the median is reported along with every run.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

from corpus.model import Document
from search_api.settings import REPO_ROOT

BENCH_DIR = REPO_ROOT / "var" / "bench"
DEFAULT_DOCS = 100_000
CLIENTS = 16
SEED = 7
DIGIT = re.compile(r"\d")


# ---------------------------------------------------------------- the machine
def machine() -> dict:
    import psutil

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def write(what: str, result: dict) -> Path:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    out = BENCH_DIR / f"{what}.json"
    payload = {"what": what, "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": machine(), **result}
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


def _median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


# ---------------------------------------------------------------- a corpus of N documents
def base_documents() -> list[Document]:
    """The bundled corpus, read and extracted as ``chitieu ingest`` does (unreadable files left out)."""
    from corpus.bundled import bundled_paths
    from search_api.ingest import indexable, process

    return [d for d in (process(p) for p in bundled_paths()) if indexable(d)]


def _shift_iso(iso: str | None, years: int) -> str | None:
    if not iso or not re.match(r"\d{4}", iso):
        return iso
    shifted = f"{int(iso[:4]) + years:04d}{iso[4:]}"
    return shifted.replace("-02-29", "-02-28")


def _vary_digits(text: str, spans: list[tuple[int, int]], rng: random.Random) -> str:
    """Same-length digit substitutions inside ``spans`` (offsets stay valid; a leading digit stays non-zero)."""
    chars = list(text)
    for start, end in spans:
        first = True
        for i in range(start, end):
            if chars[i].isdigit() and chars[i].isascii():
                chars[i] = str(rng.randint(1, 9) if first else rng.randint(0, 9))
                first = False
            elif not chars[i].isdigit() and chars[i] not in ".,":
                first = True
    return "".join(chars)


def _ratio(old: str, new: str) -> float | None:
    a, b = "".join(DIGIT.findall(old)), "".join(DIGIT.findall(new))
    if not a or int(a) == 0:
        return None
    return int(b) / int(a)


def _scaled(value: float | int | None, ratio: float | None) -> float | int | None:
    if value is None or ratio is None:
        return value
    out = value * ratio
    return round(out) if isinstance(value, int) else round(out, 6)


def vary(doc: Document, i: int, provinces: list[str], rng: random.Random) -> Document:
    """A copy of ``doc`` with other numbers (same-length digit substitutions in its figures, values rescaled to
    match), another province, dates shifted by a few years, and a line of its own so its id is new. Offsets and
    ``text[start:end] == mention.text`` still hold."""
    d = doc.model_copy(deep=True)
    quantity_spans = [(m.start, m.end) for m in d.mentions if m.kind == "quantity"]
    spans = sorted(set(quantity_spans + [(x.start, x.end) for x in d.indicators]))
    old_text = d.text
    text = _vary_digits(old_text, spans, rng) + f"\n(Bản thử nghiệm số {i})"
    d.text = text
    years = rng.randint(-6, 4)
    province = provinces[i % len(provinces)]
    old_province = d.metadata.province
    meta = d.metadata
    meta.province = province
    if meta.issuer and old_province and old_province in meta.issuer:
        meta.issuer = meta.issuer.replace(old_province, province)
    meta.issued_date = _shift_iso(meta.issued_date, years)
    meta.published_date = _shift_iso(meta.published_date, years)
    if meta.number:
        meta.number = re.sub(r"^\d+", str(1 + (i % 9999)), meta.number)
    for m in d.mentions:
        old = m.text
        m.text = text[m.start:m.end]
        if m.kind == "quantity":
            r = _ratio(old, m.text)
            m.normalized.value = _scaled(m.normalized.value, r)
            m.normalized.value_max = _scaled(m.normalized.value_max, r)
        elif m.kind == "date":
            m.normalized.start = _shift_iso(m.normalized.start, years)
            m.normalized.end = _shift_iso(m.normalized.end, years)
    for ind in d.indicators:
        old = ind.text
        ind.text = text[ind.start:ind.end]
        r = _ratio(old, ind.text)
        ind.value = _scaled(ind.value, r)
        ind.value_max = _scaled(ind.value_max, r)
        if ind.sentence and old in ind.sentence:
            ind.sentence = ind.sentence.replace(old, ind.text, 1)
        if ind.period:
            ind.period.start = _shift_iso(ind.period.start, years)
            ind.period.end = _shift_iso(ind.period.end, years)
        if ind.location and ind.location.level in (None, "province"):
            ind.location.name = province
    d.source = f"bench/{i:06d}-{Path(doc.source).name}"
    d.id = Document.id_for(text, d.source)
    return d


def synthesize(base: list[Document], n: int, seed: int = SEED) -> Iterator[Document]:
    from search_api.provinces import all_provinces

    rng = random.Random(seed)
    provinces = all_provinces()
    for i in range(n):
        yield vary(base[i % len(base)], i, provinces, rng)


# ---------------------------------------------------------------- index
def index_dir_for(n: int, seed: int = SEED) -> Path:
    return BENCH_DIR / f"index-{n}-s{seed}"


def build_index(index_dir: Path, base: list[Document], n: int, batch: int = 2000, seed: int = SEED) -> dict:
    """A fresh index of ``n`` varied documents. They are generated batch by batch (100,000 documents with their
    mentions do not fit in memory at once), the clock running only while the engine indexes a batch."""
    from search_api.backends.tantivy_backend import TantivyBackend

    shutil.rmtree(index_dir, ignore_errors=True)
    engine = TantivyBackend(index_dir)
    secs = 0.0
    n_ind = 0
    docs = synthesize(base, n, seed)
    while chunk := list(itertools.islice(docs, batch)):
        n_ind += sum(len(d.indicators) for d in chunk)
        t0 = time.perf_counter()
        engine.index_documents(chunk)
        secs += time.perf_counter() - t0
    counts = engine.count()
    size = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())
    return {"seconds": round(secs, 2), "docs_per_s": round(n / secs, 1), "indicators_per_s": round(n_ind / secs, 1),
            "documents": counts["documents"], "indicators": counts["indicators"], "index_mb": round(size / 2**20, 1)}


def bench_index(docs: int, runs: int) -> dict:
    base = base_documents()
    index_dir = index_dir_for(docs)
    results = []
    for r in range(runs):
        res = build_index(index_dir, base, docs)
        print(f"index run {r + 1}/{runs}: {res}", file=sys.stderr, flush=True)
        results.append(res)
    return {"documents": docs, "base_documents": len(base), "runs": results,
            "docs_per_s_median": _median_of(results, "docs_per_s"),
            "indicators_per_s_median": _median_of(results, "indicators_per_s"),
            "index_dir": str(index_dir), "engine": "tantivy"}


# ---------------------------------------------------------------- search over HTTP
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


POOL = 20_000  # distinct requests the stream draws from
STREAM = 40_000  # requests per stream (a run sends fewer: no request is sent twice for wrapping around)
ZIPF_S = 1.0


def request_mix(base: list[Document], seed: int = 11, n: int = 400) -> list[tuple[str, dict]]:
    """``n`` queries a user would send: words with and without diacritics, phrases, filters, structured indicator
    searches; built from the corpus's own vocabulary and metadata."""
    from search_api.provinces import all_provinces
    from search_api.textutil import fold

    rng = random.Random(seed)
    provinces = all_provinces()
    counts = Counter(w for d in base for w in re.findall(r"[^\W\d_]{2,}", d.text.lower()))
    common = [w for w, _ in counts.most_common(400)[40:]]  # frequent words, the very commonest left out
    metrics = sorted({i.metric for d in base for i in d.indicators} - {"other"}) or ["other"]
    out: list[tuple[str, dict]] = []
    for _ in range(n):
        a, b = rng.sample(common, 2)
        choice = rng.random()
        if choice < 0.25:
            out.append(("/api/documents/search", {"q": f"{a} {b}"}))
        elif choice < 0.4:
            out.append(("/api/documents/search", {"q": fold(f"{a} {b}"), "province": rng.choice(provinces)}))
        elif choice < 0.5:
            out.append(("/api/documents/search", {"q": f'"{a} {b}"', "year_from": 2018, "year_to": 2024}))
        elif choice < 0.7:
            out.append(("/api/indicators", {"kind": "target", "province": rng.choice(provinces),
                                            "deadline_to": str(rng.randint(2025, 2030))}))
        elif choice < 0.85:
            out.append(("/api/indicators", {"metric": rng.choice(metrics), "min_value": rng.randint(0, 50)}))
        else:
            out.append(("/api/indicators", {"q": a, "kind": rng.choice(["target", "reported"])}))
    return out


def request_stream(pool: list[tuple[str, dict]], seed: int, length: int = STREAM,
                   s: float = ZIPF_S) -> list[tuple[str, dict]]:
    """What a search service receives: requests drawn from ``pool`` with Zipf's law (the request of rank r with
    weight 1/r^s), so that a few are frequent and most are rare, as in search logs; each stream its own draw."""
    rng = random.Random(seed)
    weights = [1 / (r + 1) ** s for r in range(len(pool))]
    return rng.choices(pool, weights=weights, k=length)


def request_key(path: str, params: dict) -> str:
    return f"{path}?{urlencode(params)}"


def repeat_share(sent: list[str], seen: set[str]) -> float:
    """The share of ``sent`` that asked what had been asked before (earlier in ``sent`` or in ``seen``, which is
    updated): the most a result cache can answer (each server worker has its own, so it answers less)."""
    again = 0
    for key in sent:
        again += key in seen
        seen.add(key)
    return round(again / len(sent), 3) if sent else 0.0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"]))
    body = bytearray()  # chunked
    while True:
        size = int((await reader.readline()).split(b";")[0], 16)
        chunk = await reader.readexactly(size + 2)
        if size == 0:
            return status, bytes(body)
        body += chunk[:-2]


async def _connection(host: str, port: int, mix: list[tuple[str, bytes]], offset: int, step: int,
                      stop_at: float, lat: dict[str, list[float]], errors: list[str], sent: list[int],
                      rate: float | None = None, start: float = 0.0) -> None:
    """One client: a keep-alive HTTP/1.1 connection. The clients take the stream's requests in turn (client c
    sends c, c + step, c + 2 step, ...): together they send the stream once, in order.

    Closed loop (``rate`` None): the next request goes as soon as the last answer is read; the latency is from
    sending to reading. Fixed rate (as wrk2 does): request k is due at ``start + k / rate``; the client waits for
    that moment, or sends at once when it is late, and the latency is counted from the moment it was due, so
    that a slow answer also counts against the requests it held back (no coordinated omission)."""
    reader, writer = await asyncio.open_connection(host, port)
    k = offset
    try:
        while time.perf_counter() < stop_at:
            path, request = mix[k % len(mix)]
            due = None
            if rate is not None:
                due = start + k / rate
                if due >= stop_at:
                    break
                wait = due - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
            sent.append(k % len(mix))
            k += step
            t0 = time.perf_counter() if due is None else due
            try:
                writer.write(request)
                status, _body = await _read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                errors.append(f"{path}: {exc!r}")
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            dt = time.perf_counter() - t0
            if status == 200:
                lat[path].append(dt)
            else:
                errors.append(f"{request.split(b' ')[1].decode()}: {status}")
    finally:
        writer.close()


def _client_process(base_url: str, mix: list[tuple[str, dict]], seconds: float, clients: int, out,
                    rate: float | None = None) -> None:
    """The load generator, in a process of its own: ``clients`` concurrent connections on one asyncio loop
    (raw HTTP/1.1, so the client takes as little CPU from the server as it can on a shared machine)."""
    host, port = base_url.removeprefix("http://").rsplit(":", 1)
    requests = [(path, f"GET {path}?{urlencode(params)} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
                for path, params in mix]
    lat: dict[str, list[float]] = {p: [] for p in sorted({p for p, _ in mix})}
    errors: list[str] = []
    sent: list[int] = []

    async def run() -> float:
        t0 = time.perf_counter()
        stop_at = t0 + seconds
        await asyncio.gather(*(_connection(host, int(port), requests, c, clients, stop_at, lat, errors, sent,
                                           rate, t0) for c in range(clients)))
        return time.perf_counter() - t0

    wall = asyncio.run(run())
    out.send({"wall": wall, "lat": lat, "errors": errors, "sent": sent})
    out.close()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def _load(base_url: str, mix: list[tuple[str, dict]], seconds: float, clients: int,
          seen: set[str] | None = None, rate: float | None = None) -> dict:
    """``clients`` connections sending ``mix`` in turn for ``seconds`` (as fast as answered, or ``rate`` requests
    a second in all); latency percentiles per route, errors, and (given the requests ``seen`` before) the share
    of requests repeating an earlier one."""
    paths = sorted({p for p, _ in mix})
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    client = ctx.Process(target=_client_process, args=(base_url, mix, seconds, clients, send, rate))
    client.start()
    got = receive.recv()
    client.join()
    wall, lat, errors = got["wall"], got["lat"], got["errors"]
    out: dict = {"seconds": round(wall, 2), "errors": len(errors), "error_samples": errors[:5]}
    if seen is not None:
        out["repeat_share"] = repeat_share([request_key(*mix[k]) for k in sorted(got["sent"])], seen)
    every = [x for p in paths for x in lat[p]]
    out["requests"] = len(every)
    out["req_per_s"] = round(len(every) / wall, 1)
    for name, values in [("all", every), *((p, lat[p]) for p in paths)]:
        out[name] = {"n": len(values), "req_per_s": round(len(values) / wall, 1),
                     **{f"p{int(q * 100)}_ms": round(_pct(values, q) * 1000, 2) for q in (0.5, 0.95, 0.99)}}
    return out


def _server_processes(pid: int) -> list:
    """A server's process and its workers."""
    import psutil

    proc = psutil.Process(pid)
    return [proc, *proc.children(recursive=True)]


def _rss_mb(pid: int) -> float:
    import psutil

    total = 0
    for p in _server_processes(pid):
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return round(total / 2**20, 1)


def _machine_busy_seconds() -> float:
    import psutil

    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


def _cpu_seconds(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) used so far by a server's processes, by process id."""
    import psutil

    out = {}
    for p in _server_processes(pid):
        try:
            t = p.cpu_times()
            out[p.pid] = t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return out


def start_server(index_dir: Path, workers: int, cache: bool = True,
                 exact_facets: bool = False) -> tuple[subprocess.Popen, str]:
    """``cache=False``: the server keeps no result page and no facet count (every request searches);
    ``exact_facets``: it counts every match's facets (no sample, however many the matches)."""
    import httpx

    from search_api.backends.tantivy_backend import SCHEMA_VERSION

    # the caches shared by the workers outlive a server: each measure starts from none
    shutil.rmtree(index_dir / f"cache-{SCHEMA_VERSION}", ignore_errors=True)
    port = _free_port()
    env = {**os.environ, "CHITIEU_INDEX_DIR": str(index_dir), "CHITIEU_BACKEND": "tantivy"}
    if not cache:
        env |= {"CHITIEU_RESULT_CACHE": "0", "CHITIEU_FACET_CACHE": "0", "CHITIEU_RESPONSE_CACHE": "0"}
    if exact_facets:
        env["CHITIEU_FACET_SAMPLE_ABOVE"] = "0"
    # as `chitieu serve` starts them: with several workers, a socket of its own per worker (SO_REUSEPORT)
    cmd = [sys.executable, "-m", "search_api.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, cwd=str(REPO_ROOT))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
        if proc.poll() is not None:
            break
    proc.terminate()
    raise RuntimeError("the benchmark server did not start")


def bench_search(docs: int, runs: int, seconds: float = 20.0, workers: int = 2, clients: int = CLIENTS,
                 rebuild: bool = False, cache: bool = True, rate: float | None = None,
                 exact_facets: bool = False, warmup: float | None = None) -> dict:
    """``warmup``: seconds of closed-loop load before the runs (default: as long as a run); a longer one measures a
    server that has answered more requests before (its caches fuller), as one running for a while has."""
    from search_api.backends.tantivy_backend import TantivyBackend
    from search_api.settings import Settings

    base = base_documents()
    index_dir = index_dir_for(docs)
    have = TantivyBackend(index_dir).count()["documents"] if index_dir.exists() and not rebuild else 0
    built = None
    if have != docs:
        print(f"building a {docs}-document index for the search benchmark", file=sys.stderr, flush=True)
        built = build_index(index_dir, base, docs)
    else:
        print(f"reusing the {docs}-document index {index_dir} (--rebuild to build it anew)", file=sys.stderr,
              flush=True)
    counts = TantivyBackend(index_dir).count()
    # distinct requests only (a structured search drawn twice would count double in the ranks)
    pool = list({request_key(*r): r for r in request_mix(base, n=POOL)}.values())
    seen: set[str] = set()
    proc, url = start_server(index_dir, workers, cache, exact_facets)
    sample_above = 0 if exact_facets else Settings().facet_sample_above
    try:
        # warm up (as long as a run unless told): first imports, the index's pages mapped in (a 100k-document index
        # is 2.9 GB), the caches filled with what the first stream asked (a stream long enough not to wrap around)
        warm_s = seconds if warmup is None else warmup
        warm = _load(url, request_stream(pool, seed=100, length=max(STREAM, int(warm_s * 3000))), warm_s, clients,
                     seen)
        print(f"warm-up: {warm['req_per_s']} req/s", file=sys.stderr, flush=True)
        # what the load generator itself drives against the cheapest route (its own ceiling on this machine)
        health = _load(url, [("/api/health", {})], min(5.0, seconds), clients)
        print(f"load generator against /api/health: {health['req_per_s']} req/s, p95 {health['all']['p95_ms']} ms",
              file=sys.stderr, flush=True)
        results = []
        for r in range(runs):
            before, machine_before = _cpu_seconds(proc.pid), _machine_busy_seconds()
            res = _load(url, request_stream(pool, seed=101 + r), seconds, clients, seen, rate=rate)
            after = _cpu_seconds(proc.pid)
            # the whole machine's busy cores: server, load generator and anything else running (a check that the
            # run had the machine to itself)
            res["machine_cores_busy"] = round((_machine_busy_seconds() - machine_before) / res["seconds"], 2)
            res["server_rss_mb"] = _rss_mb(proc.pid)
            # the cores each server process kept busy (a worker left idle shows here)
            res["server_cores"] = sorted((round((after[p] - before.get(p, 0.0)) / res["seconds"], 2) for p in after),
                                         reverse=True)
            print(f"search run {r + 1}/{runs}: {res['req_per_s']} req/s, p95 {res['all']['p95_ms']} ms, "
                  f"{res['errors']} errors, RSS {res['server_rss_mb']} MB, {res['repeat_share']:.0%} of the "
                  f"requests asked before, server cores {res['server_cores']}, machine {res['machine_cores_busy']} "
                  "cores busy", file=sys.stderr, flush=True)
            results.append(res)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    paths = [k for k in results[0] if k.startswith("/api/")]
    summary = {p: {k: statistics.median(r[p][k] for r in results) for k in ("p50_ms", "p95_ms", "p99_ms", "req_per_s")}
               for p in ["all", *paths]}
    return {"documents": counts["documents"], "indicators": counts["indicators"], "clients": clients,
            "rate": rate or "as fast as answered (closed loop)", "server_workers": workers, "caches": cache,
            "warmup_seconds": warm_s, "warmup_requests": warm["requests"],
            "facet_sample_above": sample_above, "distinct_requests": len(pool), "zipf_s": ZIPF_S,
            "repeat_share_median": _median_of(results, "repeat_share"), "seconds_per_run": seconds, "runs": results, "median": summary,
            "req_per_s_median": _median_of(results, "req_per_s"),
            "errors_total": sum(r["errors"] for r in results),
            "server_rss_mb_max": max(r["server_rss_mb"] for r in results), "index_built": built,
            "index_dir": str(index_dir),
            "health_baseline": {"req_per_s": health["req_per_s"], **health["all"]},
            "note": "the clients (one process, asyncio) run on the same machine as the server and take CPU from it"}


# ---------------------------------------------------------------- facet sampling: cost and accuracy
FACET_THRESHOLDS = (0, 20_000, 10_000, 5_000, 2_000)
FACET_REQUESTS = 300


def _backend_query(path: str, params: dict, settings: object) -> object:
    """The query a request's parameters make, validated as the API validates them."""
    from search_api.routers.documents import document_query
    from search_api.routers.indicators import indicator_query

    dep = document_query if path == "/api/documents/search" else indicator_query
    return asyncio.run(dep(settings, **params))


def _facet_errors(est: object, exact: object, top: int = 10) -> tuple[list[float], int]:
    """Relative errors of the estimated counts of each facet's ``top`` largest exact buckets, and how many of
    those buckets the estimate left out."""
    errors, missing = [], 0
    for name, buckets in exact.facets.items():
        got = {b.value: b.count for b in est.facets.get(name, [])}
        for b in buckets[:top]:
            if b.value in got:
                errors.append(abs(got[b.value] - b.count) / b.count)
            else:
                missing += 1
    return errors, missing


def bench_facets(docs: int, runs: int, requests: int = FACET_REQUESTS) -> dict:
    """What counting facets over a sample saves and costs, per threshold (``facet_sample_above``): the CPU time
    of a new search (no cache; the first ``requests`` distinct requests of the search benchmark's stream,
    searched in this process) and, over the searches that were sampled, the relative error of the estimated
    count of each facet's ten largest buckets against the exact count."""
    from search_api.backends.tantivy_backend import TantivyBackend
    from search_api.settings import Settings

    index_dir = index_dir_for(docs)
    if not index_dir.exists() or TantivyBackend(index_dir).count()["documents"] != docs:
        raise SystemExit(f"no {docs}-document index under {index_dir}: run `chitieu bench search --docs {docs}`")
    settings = Settings()
    pool = list({request_key(*r): r for r in request_mix(base_documents(), n=POOL)}.values())
    distinct = list({request_key(*r): r for r in request_stream(pool, seed=100)}.values())[:requests]
    queries = [(path, _backend_query(path, params, settings)) for path, params in distinct]
    engines = {t: TantivyBackend(index_dir, facet_sample_above=t) for t in FACET_THRESHOLDS}
    for engine in engines.values():
        engine._result_cache = engine._facet_cache = _NoCache()

    def search(engine: TantivyBackend, path: str, q: object) -> object:
        return engine.search_documents(q) if path == "/api/documents/search" else engine.search_indicators(q)

    cpu: dict[int, list[float]] = {t: [] for t in FACET_THRESHOLDS}
    order = list(engines.items())
    for r in range(runs):  # the thresholds in turn, each run starting at another one, so that a slower minute of
        for t, engine in order[r % len(order):] + order[:r % len(order)]:  # the machine falls on all of them
            c0 = time.process_time()
            for path, q in queries:
                search(engine, path, q)
            cpu[t].append((time.process_time() - c0) * 1000 / len(queries))
    out = []
    for t, engine in engines.items():
        errors, missing, sampled = [], 0, 0
        if t:
            for path, q in queries:
                est = search(engine, path, q)
                if est.facet_sample < 1:
                    sampled += 1
                    e, m = _facet_errors(est, search(engines[0], path, q))
                    errors += e
                    missing += m
        errors.sort()
        row = {"facet_sample_above": t, "cpu_ms_per_search": round(statistics.median(cpu[t]), 2),
               "cpu_ms_runs": [round(x, 2) for x in cpu[t]], "sampled_searches": sampled,
               "top_buckets": len(errors) + missing, "top_buckets_missing": missing}
        if errors:
            row |= {"rel_error_median": round(_pct(errors, 0.5), 3), "rel_error_p90": round(_pct(errors, 0.9), 3)}
        print(f"facets above {t}: {row}", file=sys.stderr, flush=True)
        out.append(row)
    return {"documents": docs, "requests": len(queries), "runs": runs, "thresholds": out,
            "default": settings.facet_sample_above,
            "note": "cpu_ms_per_search: the median of the runs (this process's CPU time per search, no cache)"}


class _NoCache:
    """A cache that keeps nothing (every search of the facet benchmark is a new one)."""

    def get(self, key: object) -> None:
        return None

    def put(self, key: object, value: object, size: int) -> None:
        pass


# ---------------------------------------------------------------- entry point
WHATS = ("extract", "index", "search", "facets", "load", "all")


def main(what: str = "all", runs: int = 3, docs: int | None = None, seconds: float = 20.0, workers: int = 2,
         rebuild: bool = False, cache: bool = True, rate: float | None = None, exact_facets: bool = False,
         warmup: float | None = None) -> dict:
    if what not in WHATS:
        raise ValueError("what must be one of " + ", ".join(WHATS))
    n = docs or DEFAULT_DOCS
    done: dict = {}
    if what in ("extract", "all"):
        from extractors.benchmark import bench_extract

        done["extract"] = bench_extract(runs=runs)
        print(f"extract: {write('extract', done['extract'])}", file=sys.stderr)
    if what in ("index", "all"):
        done["index"] = bench_index(n, runs)
        print(f"index: {write('index', done['index'])}", file=sys.stderr)
    if what in ("search", "all"):
        done["search"] = bench_search(n, runs, seconds=seconds, workers=workers, rebuild=rebuild, cache=cache,
                                      rate=rate, exact_facets=exact_facets, warmup=warmup)
        name = ("search" + ("" if cache else "-nocache") + ("-exact" if exact_facets else "")
                + (f"-rate{rate:g}" if rate else "") + (f"-warm{warmup:g}" if warmup is not None else ""))
        print(f"search: {write(name, done['search'])}", file=sys.stderr)
    if what == "facets":  # not part of "all": it reads the index the search benchmark builds
        done["facets"] = bench_facets(n, runs)
        print(f"facets: {write('facets', done['facets'])}", file=sys.stderr)
    if what in ("load", "all"):
        from search_api.loadtest import run_load

        done["load"] = run_load(seconds=max(seconds, 60.0), clients=32)
        print(f"load: {write('load', done['load'])}", file=sys.stderr)
    print(json.dumps({k: _headline(k, v) for k, v in done.items()}, ensure_ascii=False, indent=1))
    return done


def _headline(what: str, res: dict) -> dict:
    if what == "facets":
        return {str(r["facet_sample_above"]): {k: r.get(k) for k in ("cpu_ms_per_search", "rel_error_median",
                                                                    "rel_error_p90")} for r in res["thresholds"]}
    if what == "index":
        return {"documents": res["documents"], "docs_per_s": res["docs_per_s_median"]}
    if what == "search":
        return {"documents": res["documents"], "req_per_s": res["req_per_s_median"], "errors": res["errors_total"],
                "p50_ms": res["median"]["all"]["p50_ms"], "p95_ms": res["median"]["all"]["p95_ms"],
                "p99_ms": res["median"]["all"]["p99_ms"], "server_rss_mb": res["server_rss_mb_max"],
                "caches": res["caches"], "facet_sample_above": res["facet_sample_above"],
                "repeat_share": res["repeat_share_median"], "rate": res["rate"], "warmup_seconds": res["warmup_seconds"]}
    return {k: v for k, v in res.items() if not isinstance(v, dict)}
