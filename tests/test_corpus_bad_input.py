"""Bad input to the reader (issue 2): each file gives a Document with a clear error, or a best-effort text with a
warning — never an exception — and a batch of them goes on to the good file after them."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.bundled import DATA_DIR
from corpus.reader import read

from helpers.files import seed_paragraphs, write_pdf

SEED = next(DATA_DIR.glob("002_*.txt"))


def _codes(doc) -> dict[str, str]:
    return {e.code: e.severity for e in doc.errors}


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    doc = read(p)
    assert doc.text == "" and _codes(doc) == {"empty": "error"}


def test_binary_file(tmp_path: Path) -> None:
    p = tmp_path / "random.txt"
    p.write_bytes(random.Random(1).randbytes(100_000))
    doc = read(p)
    assert doc.text == "" and _codes(doc).get("binary") == "error"


def test_truncated_pdf(tmp_path: Path) -> None:
    good = write_pdf(tmp_path / "good.pdf", seed_paragraphs(read(SEED).text, 8))
    p = tmp_path / "truncated.pdf"
    p.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    doc = read(p)
    assert doc.text == "" and _codes(doc).get("pdf_broken") == "error"
    assert "Traceback" not in doc.errors[0].message


def test_navigation_only_page(tmp_path: Path) -> None:
    links = "".join(f'<li><a href="/{i}">Tin tức {i}</a></li>' for i in range(60))
    p = tmp_path / "nav.html"
    p.write_text(f"<html><body><nav><ul>{links}</ul></nav><footer>Bản quyền © Sở Tư pháp</footer></body></html>",
                 encoding="utf-8")
    doc = read(p)
    assert _codes(doc).get("html_no_body") == "error"


def test_unknown_encoding_gives_text_and_a_warning(tmp_path: Path) -> None:
    r = random.Random(7)
    p = tmp_path / "unknown.txt"
    p.write_bytes(b" ".join(bytes(r.randrange(0x80, 0x100) for _ in range(r.randrange(2, 7))) for _ in range(3000)))
    doc = read(p)
    assert doc.text and _codes(doc).get("unknown_encoding") == "warning"


def test_invalid_utf8_bytes_keep_the_rest_readable(tmp_path: Path) -> None:
    p = tmp_path / "bad_bytes.txt"
    p.write_bytes("Kế hoạch số 12 phấn đấu 100% xã".encode() + b"\xff\xfe\xc3(" + "giảm 10% người nghiện".encode())
    doc = read(p)
    assert doc.encoding == "utf-8" and _codes(doc).get("decode_errors") == "warning"
    assert doc.text.startswith("Kế hoạch số 12") and doc.text.endswith("giảm 10% người nghiện")


def test_100_mb_text_file_is_capped_with_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    chunk = (read(SEED).text + "\n").encode("utf-8")
    with p.open("wb") as fh:
        while fh.tell() < 100 * 1024 * 1024:
            fh.write(chunk)
    doc = read(p)
    assert _codes(doc).get("truncated") == "warning"
    assert 0 < len(doc.text.encode("utf-8")) <= 100 * 1024 * 1024 and doc.text.startswith(read(SEED).text[:200])


@pytest.mark.parametrize("name", ["missing.txt", "a folder"])
def test_missing_or_not_a_file(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    if name == "a folder":
        p.mkdir()
    assert _codes(read(p)).get("missing") == "error"


def test_extract_batch_goes_on_after_bad_files(tmp_path: Path) -> None:
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_binary.txt").write_bytes(random.Random(2).randbytes(5000))
    (tmp_path / "c_good.txt").write_text(read(SEED).text, encoding="utf-8")
    files = sorted(str(p) for p in tmp_path.iterdir())
    run = subprocess.run([sys.executable, "-m", "search_api.cli", "extract", *files, "--format", "jsonl"],
                         capture_output=True, text=True, timeout=300)
    assert "Traceback" not in run.stderr
    import json

    docs = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    assert [Path(d["source"]).name for d in docs] == ["a_empty.txt", "b_binary.txt", "c_good.txt"]
    assert docs[0]["errors"] and docs[1]["errors"]
    assert not [e for e in docs[2]["errors"] if e["severity"] == "error"] and docs[2]["mentions"]


def test_deeply_nested_page_gives_its_text_with_a_warning(tmp_path: Path) -> None:
    paragraphs = seed_paragraphs(read(SEED).text, 3)
    body = "".join(f"<p>{para}</p>" for para in paragraphs)
    menu = "<nav><ul>" + "".join(f'<li><a href="/{i}">Chuyên mục {i}</a></li>' for i in range(30)) + "</ul></nav>"
    p = tmp_path / "nested.html"
    p.write_text(f"<html><body>{menu}{'<div>' * 3000}{body}{'</div>' * 3000}</body></html>", encoding="utf-8")
    doc = read(p)
    assert _codes(doc).get("html_fallback") == "warning" and not [e for e in doc.errors if e.severity == "error"]
    assert " ".join(paragraphs[0].split())[:80] in doc.text and "Chuyên mục" not in doc.text


def test_deeply_nested_navigation_only_page_is_an_error(tmp_path: Path) -> None:
    links = "".join(f'<a href="/{i}">Tin tức {i}</a><br>' for i in range(40))
    p = tmp_path / "nested_nav.html"
    p.write_text(f"<html><body>{'<div>' * 1000}{links}{'</div>' * 1000}</body></html>", encoding="utf-8")
    assert _codes(read(p)).get("html_no_body") == "error"
