"""Hostile files, all in one `chitieu ingest` batch (issue 7): nothing crashes, each bad file is reported, every good
file of the same batch is indexed and searchable."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from corpus.bundled import DATA_DIR
from corpus.reader import read
from search_api.backends.base import DocumentQuery
from search_api.backends.tantivy_backend import TantivyBackend

from helpers.files import seed_paragraphs, write_pdf

BIN = Path(sys.executable).parent / "chitieu"
GOOD_A = next(DATA_DIR.glob("002_*.txt"))
GOOD_B = next(DATA_DIR.glob("003_*.txt"))
SHELL_NAME = "a; rm -rf $(x) `y` & z.txt"


def _hostile_batch(folder: Path) -> dict[str, str]:
    """The files, and what each must give: 'error' (an error record, not indexed) or 'text' (indexed)."""
    r = random.Random(11)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(r.randbytes(300_000))
    (folder / "nested.html").write_text("<html><body>" + "<div>" * 20_000 + "Kế hoạch giảm 5% số người nghiện"
                                        + "</div>" * 20_000 + "</body></html>", encoding="utf-8")
    with (folder / "one_line_50mb.txt").open("wb") as fh:
        for _ in range(50):
            fh.write(b"x" * 1_000_000)
    (folder / "invalid_utf8.txt").write_bytes("Kế hoạch số 12 phấn đấu 100% xã".encode() + b"\xff\xfe\xc3("
                                              + " giảm 10% người nghiện ma túy năm 2024".encode())
    paras = seed_paragraphs(read(GOOD_A).text, 10)
    good_pdf = write_pdf(folder / "_source.pdf", paras)
    raw = good_pdf.read_bytes()
    good_pdf.unlink()
    at = raw.rfind(b"xref")
    (folder / "broken_xref.pdf").write_bytes(raw[:at] + b"xref\n0 99\nGARBAGE\n" + raw[at + 40:])
    writer = PdfWriter()
    writer.append(PdfReader(_write_tmp_pdf(folder, paras)))
    writer.encrypt("mật khẩu")
    writer.write(str(folder / "locked.pdf"))
    (folder / "report.docx").write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + r.randbytes(50_000))
    (folder / SHELL_NAME).write_text(read(GOOD_B).text, encoding="utf-8")
    (folder / "good.txt").write_text(read(GOOD_A).text, encoding="utf-8")
    return {"empty.txt": "error", "binary.txt": "error", "nested.html": "any", "one_line_50mb.txt": "any",
            "invalid_utf8.txt": "text", "broken_xref.pdf": "any", "locked.pdf": "error", "report.docx": "error",
            SHELL_NAME: "text", "good.txt": "text"}


def _write_tmp_pdf(folder: Path, paras: list[str]) -> str:
    path = folder.parent / "plain-for-encryption.pdf"
    write_pdf(path, paras)
    return str(path)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile") / "batch"
    folder.mkdir()
    expected = _hostile_batch(folder)
    index_dir = tmp_path_factory.mktemp("hostile-index")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHITIEU_")}
    env["CHITIEU_INDEX_DIR"] = str(index_dir)
    env["COLUMNS"] = "1000"  # one log line per file: rich would fold long paths at 80 columns
    run = subprocess.run([str(BIN), "ingest", str(folder)], env=env, capture_output=True, text=True, timeout=900)
    return expected, run, TantivyBackend(index_dir), folder


def test_the_batch_finishes_without_a_crash(ingested) -> None:
    _expected, run, _backend, _folder = ingested
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stdout + run.stderr


def test_every_bad_file_is_reported(ingested) -> None:
    expected, run, _backend, _folder = ingested
    log = " ".join((run.stdout + run.stderr).split())
    for name, want in expected.items():
        if want == "error":
            assert name in log, f"{name} not reported"


def test_each_file_gets_an_error_record_or_a_text(ingested) -> None:
    """Exactly one outcome per file: indexed (its text searchable, a warning allowed) or reported as an error."""
    expected, run, backend, _folder = ingested
    log = (run.stdout + run.stderr).splitlines()
    errors = {name for name in expected for line in log if line.startswith("error ") and f"/{name}: " in line}
    sources = {Path(h.source).name for h in backend.search_documents(DocumentQuery(q="", size=50)).hits}
    for name in expected:
        assert (name in errors) != (name in sources), f"{name}: error={name in errors}, indexed={name in sources}"
    assert len(sources) + len(errors) == len(expected)
    if "one_line_50mb.txt" in sources:  # a best-effort text says what was cut
        doc = next(h for h in backend.search_documents(DocumentQuery(q="", size=50)).hits
                   if h.source.endswith("one_line_50mb.txt"))
        full = backend.get_document(doc.id)
        assert full is not None and full.text and any(e.severity == "warning" for e in full.errors)


def test_every_good_file_is_indexed_and_searchable(ingested) -> None:
    expected, _run, backend, folder = ingested
    sources = {Path(h.source).name for h in backend.search_documents(DocumentQuery(q="", size=50)).hits}
    for name, want in expected.items():
        if want == "text":
            assert name in sources, f"{name} missing from the index"
        if want == "error":
            assert name not in sources, f"{name} indexed although unreadable"
    hits = backend.search_documents(DocumentQuery(q="ma tuy", size=50)).hits
    assert {"good.txt", SHELL_NAME} <= {Path(h.source).name for h in hits}
    assert (folder / SHELL_NAME).exists()  # the name was never given to a shell
