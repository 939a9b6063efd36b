"""Crashes lose nothing (issue 7): ingestion killed with SIGKILL in the middle of 5,000 documents and restarted holds
each document exactly once; a full disk gives a clear error and leaves the index as it was; searches keep answering
while an ingestion writes."""

from __future__ import annotations

import errno
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from corpus.bundled import DATA_DIR
from corpus.reader import read
from search_api.backends.base import DocumentQuery
from search_api.backends.tantivy_backend import SCHEMA_VERSION, TantivyBackend

from conftest import free_port

BIN = Path(sys.executable).parent / "chitieu"
PLACES = ["Nghệ An", "Lào Cai", "Hà Giang", "Sơn La", "Điện Biên", "Thanh Hóa", "Quảng Trị", "Gia Lai"]


def _env(index_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHITIEU_")}
    env["CHITIEU_INDEX_DIR"] = str(index_dir)
    return env


def _paragraphs() -> list[str]:
    text = read(next(DATA_DIR.glob("002_*.txt"))).text
    return [p for p in text.split("\n") if len(p) > 80]


def _write_docs(folder: Path, n: int, seed: int = 5) -> None:
    """n small, distinct documents: corpus paragraphs with varied numbers, places and years."""
    r = random.Random(seed)
    paras = _paragraphs()
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        place, year = r.choice(PLACES), r.randrange(2015, 2031)
        body = "\n".join(r.sample(paras, 2))
        (folder / f"doc{i:05d}.txt").write_text(
            f"Kế hoạch số {i + 1}/KH-UBND tỉnh {place}\nPhấn đấu đến năm {year} giảm {r.randrange(1, 99)}% số người "
            f"nghiện ma túy; {r.randrange(10, 900)} xã, phường không có ma túy.\n{body}\n", encoding="utf-8")


def _count(index_dir: Path) -> int:
    try:
        return TantivyBackend(index_dir).count()["documents"]
    except Exception:  # noqa: BLE001 - the index may be mid-commit while we poll
        return 0


def _all_ids(searcher, field: str = "id") -> list:
    import tantivy as tv

    hits = searcher.search(tv.Query.all_query(), 1_000_000).hits
    return [searcher.doc(addr).get_first(field) for _score, addr in hits]


def _holds_writer_lock(pid: int) -> bool:
    """True while process ``pid`` holds a file lock (tantivy's writer lock is a flock taken for each commit);
    read from /proc/locks so that polling never competes for the lock."""
    with open("/proc/locks", encoding="ascii") as fh:
        return any(line.split()[4] == str(pid) for line in fh if len(line.split()) > 4)


def _ingest(docs: Path, index_dir: Path, batch: int = 100) -> subprocess.Popen:
    return subprocess.Popen([str(BIN), "ingest", str(docs), "--batch", str(batch)], env=_env(index_dir),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None and not ready():
        time.sleep(0.002)
    assert proc.poll() is None, "the ingestion ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)


@pytest.mark.slow
def test_sigkill_in_the_middle_then_restart_holds_each_document_once(tmp_path: Path) -> None:
    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    n = 5000
    _write_docs(docs, n)
    expected_ids = {read(p).id for p in docs.iterdir()}
    assert len(expected_ids) == n

    # 1. killed while it holds the writer lock, i.e. in the middle of writing a batch, after a few commits
    first = _ingest(docs, index_dir)
    _kill_when(first, lambda: _count(index_dir) >= 200 and _holds_writer_lock(first.pid))
    killed_at = _count(index_dir)
    assert 0 < killed_at < n, f"the kill did not land in the middle ({killed_at} of {n})"
    assert killed_at % 100 == 0, "a batch was half committed"
    # the lock file the killed writer held is still there (tantivy keeps the file; only its flock died with it)
    assert (index_dir / f"documents-{SCHEMA_VERSION}" / ".tantivy-writer.lock").exists()

    # 2. a restart over the same files is not blocked by that lock; killed again at an arbitrary moment
    second = _ingest(docs, index_dir)
    _kill_when(second, lambda: _count(index_dir) >= killed_at + 200)
    again = _count(index_dir)
    assert killed_at < again < n

    # 3. the last restart runs to the end
    rerun = subprocess.run([str(BIN), "ingest", str(docs)], env=_env(index_dir), capture_output=True, text=True,
                           timeout=1200)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    summary = " ".join(rerun.stderr.split())
    m = re.search(r"(\d+) files: (\d+) indexed with (\d+) indicators", summary)
    assert m and m.group(1) == m.group(2) == str(n), summary[-1000:]

    backend = TantivyBackend(index_dir)
    ids = _all_ids(backend.docs.searcher())
    assert backend.count()["documents"] == n
    assert len(ids) == n and set(ids) == expected_ids  # each document exactly once, no stranger
    # indicators: no duplicate left by a batch whose documents were committed and re-upserted, none orphaned
    ind_ids = _all_ids(backend.inds.searcher())
    ind_docs = [json.loads(bytes(b))["doc_id"] for b in _all_ids(backend.inds.searcher(), "payload")]
    assert len(ind_ids) == len(set(ind_ids)) == int(m.group(3)) == backend.count()["indicators"]
    assert set(ind_docs) <= expected_ids
    # and it answers queries
    assert backend.search_documents(DocumentQuery(q="ma tuy", size=5)).total == n
    some = backend.get_document(sorted(expected_ids)[0])
    assert some is not None and some.text.startswith("Kế hoạch số ")


@pytest.mark.slow
def test_full_disk_gives_a_clear_error_and_an_intact_index(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        index_dir = mount / "index"
        first = tmp_path / "first"
        _write_docs(first, 20, seed=1)
        ok = subprocess.run([str(BIN), "ingest", str(first)], env=_env(index_dir), capture_output=True, text=True,
                            timeout=600)
        assert ok.returncode == 0, ok.stderr[-2000:]
        before = TantivyBackend(index_dir).count()["documents"]
        assert before == 20
        filler = mount / "filler.bin"
        free = shutil.disk_usage(mount).free
        with filler.open("wb") as fh:  # leave almost nothing free
            fh.write(b"\0" * max(0, free - 64 * 1024))
        more = tmp_path / "more"
        _write_docs(more, 300, seed=2)
        full = subprocess.run([str(BIN), "ingest", str(more)], env=_env(index_dir), capture_output=True, text=True,
                              timeout=600)
        out = " ".join((full.stdout + full.stderr).split())
        assert full.returncode != 0
        assert "Traceback" not in out, out[-3000:]
        assert "space" in out.casefold() or "ENOSPC" in out, out[-1000:]
        after = TantivyBackend(index_dir)  # read while the disk is still full
        assert after.count()["documents"] == before
        assert after.search_documents(DocumentQuery(q="ma tuy", size=5)).total == before
        assert {h.source for h in after.search_documents(DocumentQuery(q="", size=50)).hits} == \
            {str(p) for p in first.iterdir()}
        # space freed: the same ingest runs to the end, nothing lost or doubled by the failed attempt
        filler.unlink()
        retry = subprocess.run([str(BIN), "ingest", str(more)], env=_env(index_dir), capture_output=True,
                               text=True, timeout=600)
        assert retry.returncode == 0, retry.stderr[-2000:]
        assert TantivyBackend(index_dir).count()["documents"] == before + 300
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_simulated_enospc_gives_a_clear_error_and_keeps_the_committed_batches(tmp_path: Path, monkeypatch) -> None:
    """Where no small filesystem can be mounted: the second commit raises ENOSPC, as a full disk does."""
    from typer.testing import CliRunner

    from search_api.cli import app

    docs, index_dir = tmp_path / "docs", tmp_path / "index"
    _write_docs(docs, 8, seed=6)
    real = TantivyBackend.index_documents
    calls = []

    def failing(self, batch):
        calls.append(len(batch))
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.root))
        return real(self, batch)

    monkeypatch.setattr(TantivyBackend, "index_documents", failing)
    res = CliRunner().invoke(app, ["ingest", str(docs), "--batch", "5", "--index-dir", str(index_dir)])
    out = " ".join(res.output.split())
    assert res.exit_code == 1, out
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "No space left on device" in out and "could not be written" in out, out
    monkeypatch.undo()
    after = TantivyBackend(index_dir)
    assert calls == [5, 3] and after.count()["documents"] == 5
    assert after.search_documents(DocumentQuery(q="ma tuy", size=10)).total == 5


@pytest.mark.slow
def test_searches_answer_while_ingestion_runs(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    first, second = tmp_path / "first", tmp_path / "second"
    _write_docs(first, 50, seed=3)
    _write_docs(second, 400, seed=4)
    env = _env(index_dir)
    assert subprocess.run([str(BIN), "ingest", str(first)], env=env, capture_output=True, timeout=600).returncode == 0
    port = free_port()
    server = subprocess.Popen([str(BIN), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(100):
                try:
                    if client.get("/api/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            writer = subprocess.Popen([str(BIN), "ingest", str(second), "--batch", "50"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            statuses, totals, uploaded, upload_statuses = [], [], [], []
            while writer.poll() is None:
                if len(statuses) % 9 == 0:  # the server writes too (an upload) while the ingest holds the index
                    text = f"Báo cáo số {len(uploaded) + 1}/BC-CA về phòng, chống ma túy tại tỉnh Gia Lai.\n"
                    up = client.post("/api/documents", files={"file": ("up.txt", text.encode(), "text/plain")})
                    upload_statuses.append(up.status_code)
                    uploaded.append(up.json().get("id") if up.status_code == 201 else None)
                r = client.get("/api/documents/search", params={"q": "ma tuy", "size": 1})
                statuses.append(r.status_code)
                if r.status_code == 200:
                    totals.append(r.json()["total"])
                statuses.append(client.get("/api/indicators", params={"size": 1, "q": "ma túy"}).status_code)
                statuses.append(client.get("/api/compare", params={"province": "Nghệ An,Lào Cai",
                                                                   "topic": "ma túy"}).status_code)
            assert writer.returncode == 0
            final, want = 0, 450 + len(set(uploaded))
            for _ in range(50):  # the server's reader reloads shortly after the last commit
                final = client.get("/api/documents/search", params={"q": "ma tuy", "size": 1}).json()["total"]
                if final == want:
                    break
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses and set(statuses) == {200}, sorted(set(statuses))
    assert upload_statuses and set(upload_statuses) == {201}, sorted(set(upload_statuses))
    assert totals[0] >= 50 and final == want
    assert totals == sorted(totals)  # never a step back
    # new documents became visible while the writer was still running, not only after it ended
    assert any(50 < t < 450 for t in totals), sorted(set(totals))
