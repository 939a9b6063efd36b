"""Make real input files (PDF, DOCX, HTML) from a text, for the reader's tests."""

from __future__ import annotations

from pathlib import Path

import docx
from fpdf import FPDF

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def seed_paragraphs(text: str, limit: int = 25) -> list[str]:
    """The non-empty paragraphs of a seed text (at most ``limit``)."""
    paras = [" ".join(p.split()) for p in text.split("\n")]
    return [p for p in paras if p][:limit]


def write_pdf(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for para in paragraphs:
        pdf.multi_cell(0, 6, para)
        pdf.ln(3)
    if table:
        with pdf.table(first_row_as_headings=False) as t:
            for row in table:
                r = t.row()
                for cell in row:
                    r.cell(cell)
    pdf.output(str(path))
    return path


def write_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    document = docx.Document()
    for para in paragraphs:
        document.add_paragraph(para)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    document.save(str(path))
    return path


def news_page(title: str, paragraphs: list[str]) -> str:
    """An article wrapped in the furniture of a Vietnamese provincial portal."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{title} - Cổng thông tin điện tử tỉnh</title></head>
<body>
<header><div class="banner"><img src="/images/banner-top.jpg" alt="banner"></div>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>
<li><a href="/tin-tuc">Tin tức - Sự kiện</a></li><li><a href="/van-ban">Văn bản chỉ đạo điều hành</a></li>
<li><a href="/lien-he">Liên hệ</a></li></ul></nav></header>
<div class="container">
<aside class="left"><h3>Liên kết website</h3><ul><li><a href="#">Chính phủ</a></li><li><a href="#">Các Bộ, Ngành ở TW</a></li>
<li><a href="#">Sở, Ban, Ngành</a></li></ul>
<div class="counter"><h3>Thống kê truy cập</h3><p>Lượt truy cập: 123456</p><p>Đang online: 58</p></div></aside>
<main><article>
<h1 class="title">{title}</h1>
<div class="date">Ngày cập nhật 20/01/2024</div>
<div class="content">
{body}
<p><img src="/uploads/33-858.jpg" alt="33-858.jpg"></p>
<p style="text-align:right"><strong>Lê Thị Thủy</strong></p>
</div>
<div class="share">Chia sẻ: <a href="#">Facebook</a> <a href="#">Zalo</a> <a href="#">Twitter</a> <a href="#">In bài</a></div>
</article>
<section class="related"><h3>Tin cùng chuyên mục</h3><ul>
<li><a href="/a1">Thường trực Tỉnh ủy giao ban khối Nội chính tháng 7/2023</a></li>
<li><a href="/a2">Chủ tịch UBND tỉnh tiếp công dân định kỳ tháng 7</a></li>
<li><a href="/a3">Hội nghị sơ kết công tác phòng, chống tham nhũng 6 tháng đầu năm</a></li></ul></section>
</main></div>
<footer><p>Bản quyền thuộc Ủy ban nhân dân tỉnh. Địa chỉ: 16 Trường Thi, thành phố Vinh.</p>
<p>Điện thoại: 0238 3844 555 - Email: ubnd@example.gov.vn</p></footer>
</body></html>"""
