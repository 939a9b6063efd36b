"""Real PDF, DOCX and HTML files written from the seed documents, read back by corpus.reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.bundled import DATA_DIR
from corpus.reader import read

from helpers.files import FONT, news_page, seed_paragraphs, write_docx, write_pdf

SEED = next(DATA_DIR.glob("002_*.txt"))
CANDIDATE = next(DATA_DIR.glob("NguyenQuocBao97_*00264658.txt"))
TABLE = [["Chỉ tiêu", "Năm 2023", "Năm 2024"], ["Số xã không có ma túy", "120", "150"],
         ["Tỷ lệ người nghiện được cai", "85%", "90%"]]

needs_font = pytest.mark.skipif(not FONT.exists(), reason="DejaVuSans.ttf is not installed")


def _squash(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture(scope="module")
def seed_paras() -> list[str]:
    return seed_paragraphs(read(SEED).text, limit=30)


@needs_font
@pytest.mark.parametrize("source", [SEED, CANDIDATE], ids=["seed", "candidate"])
def test_pdf_keeps_the_paragraphs_with_pages(tmp_path: Path, source: Path) -> None:
    paras = seed_paragraphs(read(source).text, limit=30)
    doc = read(write_pdf(tmp_path / "doc.pdf", paras))
    assert doc.ok, doc.errors
    assert doc.format == "pdf"
    flat = _squash(doc.text)
    for para in paras:
        assert para in flat
    assert {b.page for b in doc.blocks} >= {1, 2}
    for block in doc.blocks:
        assert 0 <= block.start < block.end <= len(doc.text)


@needs_font
def test_pdf_table_rows_are_kept(tmp_path: Path, seed_paras: list[str]) -> None:
    doc = read(write_pdf(tmp_path / "table.pdf", seed_paras[:3], table=TABLE))
    assert doc.ok, doc.errors
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.rows == TABLE
    assert table.page == 1
    assert "Số xã không có ma túy | 120 | 150" in doc.text[table.start:table.end]
    assert _squash(seed_paras[0]) in _squash(doc.text[: table.start])


def test_docx_keeps_paragraphs_and_table(tmp_path: Path, seed_paras: list[str]) -> None:
    doc = read(write_docx(tmp_path / "doc.docx", seed_paras, table=TABLE))
    assert doc.ok, doc.errors
    assert doc.format == "docx"
    for para in seed_paras:
        assert para in doc.text
    assert doc.tables[0].rows == TABLE
    assert doc.text[doc.tables[0].start:doc.tables[0].end].startswith("Chỉ tiêu | Năm 2023 | Năm 2024")


def test_docx_metadata_from_header(tmp_path: Path, seed_paras: list[str]) -> None:
    doc = read(write_docx(tmp_path / "kh.docx", seed_paras))
    assert doc.metadata.number == "241/KH-UBND"
    assert doc.metadata.issuer == "UBND tỉnh Nghệ An"
    assert doc.metadata.issued_date == "2024-03-29"


def test_html_body_kept_furniture_dropped(tmp_path: Path) -> None:
    text = read(next(DATA_DIR.glob("001_*.txt"))).text
    paras = [p for p in seed_paragraphs(text, limit=80) if len(p) > 150][:6]
    title = "Phương hướng công tác trọng tâm phòng, chống ma túy năm 2024 trên địa bàn tỉnh"
    path = tmp_path / "page.html"
    path.write_text(news_page(title, paras), encoding="utf-8")
    doc = read(path)
    assert doc.ok, doc.errors
    assert doc.format == "html"
    for para in paras:
        assert para in doc.text
    for furniture in ("Trang chủ", "Liên kết website", "Lượt truy cập", "123456", "Tin cùng chuyên mục",
                      "tiếp công dân định kỳ", "Chia sẻ", "Facebook", "Zalo", "33-858.jpg", "Bản quyền",
                      "Điện thoại", "Sở, Ban, Ngành", "Twitter", "In bài"):
        if not any(furniture in p for p in paras):  # words the article itself uses are not furniture
            assert furniture not in doc.text, furniture
    assert doc.metadata.title == title
    assert doc.metadata.published_date == "2024-01-20"
    assert doc.metadata.author == "Lê Thị Thủy"


def test_html_property_table_goes_to_metadata(tmp_path: Path) -> None:
    paras = seed_paragraphs(read(SEED).text, limit=40)[12:30]
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    html = f"""<html><head><meta charset="utf-8"><title>Kế hoạch 241/KH-UBND</title></head><body>
<table class="properties">
<tr><td>Số hiệu:</td><td>241/KH-UBND</td><td>Loại văn bản:</td><td>Kế hoạch</td></tr>
<tr><td>Nơi ban hành:</td><td>Tỉnh Nghệ An</td><td>Người ký:</td><td>Lê Hồng Vinh</td></tr>
<tr><td>Ngày ban hành:</td><td>29/03/2024</td><td>Ngày hiệu lực:</td><td>29/03/2024</td></tr>
<tr><td>Lĩnh vực:</td><td>Văn hóa - Xã hội</td><td></td><td></td></tr></table>
<article>{body}</article></body></html>"""
    path = tmp_path / "vb.html"
    path.write_text(html, encoding="utf-8")
    meta = read(path).metadata
    assert meta.number == "241/KH-UBND"
    assert meta.doc_type == "Kế hoạch"
    assert meta.signer == "Lê Hồng Vinh"
    assert meta.issued_date == "2024-03-29"
    assert meta.effective_date == "2024-03-29"
    assert meta.field == "Văn hóa - Xã hội"


def test_rereading_gives_the_same_document(tmp_path: Path, seed_paras: list[str]) -> None:
    path = write_docx(tmp_path / "again.docx", seed_paras)
    first, second = read(path), read(path)
    assert first.id == second.id and first.id.startswith("sha256-")
    assert first.model_dump() == second.model_dump()
    assert read(SEED).model_dump() == read(SEED).model_dump()
