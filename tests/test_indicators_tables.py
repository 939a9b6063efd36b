"""Target tables (issue 4 item 2): a plan's table read from a real PDF, DOCX or HTML file becomes indicators with
the row's subject, unit, value, the period of the column's header and the row's lead agency."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.reader import read
from extractors.indicators.tables import find_tables
from extractors.pipeline import annotate

from helpers.files import write_docx, write_pdf

PARAGRAPHS = [
    "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
    "Số: 120/KH-UBND",
    "Nghệ An, ngày 15 tháng 3 năm 2024",
    "KẾ HOẠCH",
    "Thực hiện công tác phòng, chống ma túy năm 2024",
    "I. MỤC TIÊU, CHỈ TIÊU",
    "Các chỉ tiêu cụ thể của Kế hoạch được giao tại bảng sau:",
]
TABLE = [
    ["STT", "Chỉ tiêu", "Đơn vị tính", "Thực hiện năm 2023", "Kế hoạch năm 2024", "Mục tiêu đến năm 2025",
     "Đơn vị chủ trì"],
    ["1", "Tỷ lệ người nghiện có hồ sơ quản lý", "%", "85", "90", "≥ 95", "Công an tỉnh"],
    ["2", "Số xã đạt tiêu chí sạch ma túy", "Xã", "12", "18", "27", "UBND cấp huyện"],
    ["3", "Kinh phí hỗ trợ cai nghiện", "Tỷ đồng", "2,5", "3", "4,5", "Sở Lao động - Thương binh và Xã hội"],
    ["4", "Ghi chú chung của bảng", "", "-", "x", "", ""],
]


def _html(path: Path) -> Path:
    head = "".join(f"<th>{c}</th>" for c in TABLE[0])
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in TABLE[1:])
    paras = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    tail = "<p>Các sở, ban, ngành và UBND các huyện, thành phố, thị xã căn cứ Kế hoạch này triển khai thực hiện.</p>"
    path.write_text(f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>Kế hoạch</title></head>"
                    f"<body><article><h1>Kế hoạch phòng, chống ma túy năm 2024</h1>{paras}"
                    f"<table><tr>{head}</tr>{body}</table>{tail}</article></body></html>", encoding="utf-8")
    return path


WRITERS = {
    "docx": lambda p: write_docx(p / "plan.docx", PARAGRAPHS, TABLE),
    "pdf": lambda p: write_pdf(p / "plan.pdf", PARAGRAPHS, TABLE),
    "html": lambda p: _html(p / "plan.html"),
}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_target_table_becomes_indicators(fmt: str, tmp_path: Path) -> None:
    doc = read(WRITERS[fmt](tmp_path))
    doc.metadata.province = doc.metadata.province or "Nghệ An"
    doc.metadata.issued_date = doc.metadata.issued_date or "2024-03-15"
    doc = annotate(doc)
    rows = [i for i in doc.indicators if i.source == "table"]
    for i in rows:
        assert doc.text[i.start:i.end] == i.text
    got = {(i.subject, i.value, i.unit, i.kind, i.period.end[:4] if i.period else None, i.comparator) for i in rows}
    assert got == {
        ("tỷ lệ người nghiện có hồ sơ quản lý", 85, "%", "reported", "2023", None),
        ("tỷ lệ người nghiện có hồ sơ quản lý", 90, "%", "target", "2024", None),
        ("tỷ lệ người nghiện có hồ sơ quản lý", 95, "%", "target", "2025", "gte"),
        ("số xã đạt tiêu chí sạch ma túy", 12, "xã", "reported", "2023", None),
        ("số xã đạt tiêu chí sạch ma túy", 18, "xã", "target", "2024", None),
        ("số xã đạt tiêu chí sạch ma túy", 27, "xã", "target", "2025", None),
        ("kinh phí hỗ trợ cai nghiện", 2_500_000_000, "đồng", "reported", "2023", None),
        ("kinh phí hỗ trợ cai nghiện", 3_000_000_000, "đồng", "target", "2024", None),
        ("kinh phí hỗ trợ cai nghiện", 4_500_000_000, "đồng", "target", "2025", None),
    }
    by_subject = {i.subject: i for i in rows}
    assert [(a.canonical, a.role) for a in by_subject["tỷ lệ người nghiện có hồ sơ quản lý"].agencies] == [
        ("Công an tỉnh Nghệ An", "lead")]
    assert all(i.location is not None and i.location.name == "Nghệ An" for i in rows)
    # the cells' figures are not indicators a second time, read from the text
    assert not [i for i in doc.indicators if i.source == "text" and i.value in (85, 90, 95, 27)]


def test_a_table_without_a_subject_or_value_column_gives_nothing(tmp_path: Path) -> None:
    table = [["Nơi nhận", "Số bản", "Ghi chú"], ["Văn phòng UBND tỉnh", "02", "lưu"], ["Công an tỉnh", "01", ""]]
    doc = read(write_docx(tmp_path / "x.docx", PARAGRAPHS, table))
    doc = annotate(doc)
    assert find_tables(doc.text), "the reader lays the table as rows"
    assert not [i for i in doc.indicators if i.source == "table"]


# a two-row header: "Kế hoạch" merged over "Năm 2025 | Đến năm 2030", the other header cells merged down
MERGED_PARAGRAPHS = ["ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "Số: 45/KH-UBND", "Hà Tĩnh, ngày 10 tháng 1 năm 2025", "KẾ HOẠCH",
                     "Giảm nghèo bền vững năm 2025", "II. CHỈ TIÊU CỤ THỂ"]
MERGED_ROWS = [["1", "Tỷ lệ hộ nghèo giảm", "%", "1,5", "1", "Sở Lao động - Thương binh và Xã hội"],
               ["2", "Số hộ thoát nghèo", "Hộ", "1.200", "5.000", "Công an tỉnh"]]


def _merged_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    for para in MERGED_PARAGRAPHS:
        document.add_paragraph(para)
    t = document.add_table(rows=2 + len(MERGED_ROWS), cols=6)
    for j, text in enumerate(["TT", "Nội dung chỉ tiêu", "ĐVT", "Kế hoạch", "", "Cơ quan chủ trì"]):
        t.cell(0, j).text = text
    t.cell(1, 3).text, t.cell(1, 4).text = "Năm 2025", "Đến năm 2030"
    t.cell(0, 3).merge(t.cell(0, 4)).text = "Kế hoạch"
    for j in (0, 1, 2, 5):
        t.cell(0, j).merge(t.cell(1, j))
    for i, row in enumerate(MERGED_ROWS, start=2):
        for j, text in enumerate(row):
            t.cell(i, j).text = text
    document.save(path)
    return path


def _merged_html(path: Path) -> Path:
    paras = "".join(f"<p>{p}</p>" for p in MERGED_PARAGRAPHS)
    head = ("<tr><th rowspan='2'>TT</th><th rowspan='2'>Nội dung chỉ tiêu</th><th rowspan='2'>ĐVT</th>"
            "<th colspan='2'>Kế hoạch</th><th rowspan='2'>Cơ quan chủ trì</th></tr>"
            "<tr><th>Năm 2025</th><th>Đến năm 2030</th></tr>")
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in MERGED_ROWS)
    path.write_text(f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>Kế hoạch</title></head>"
                    f"<body><article><h1>Kế hoạch giảm nghèo bền vững năm 2025</h1>{paras}<table>{head}{body}</table>"
                    "<p>Các sở, ban, ngành căn cứ Kế hoạch này triển khai thực hiện nghiêm túc, hiệu quả.</p>"
                    "</article></body></html>", encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_merged_header_cells_give_each_column_its_period(fmt: str, tmp_path: Path) -> None:
    path = _merged_docx(tmp_path / "plan.docx") if fmt == "docx" else _merged_html(tmp_path / "plan.html")
    doc = read(path)
    doc.metadata.province = doc.metadata.province or "Hà Tĩnh"
    doc.metadata.issued_date = doc.metadata.issued_date or "2025-01-10"
    doc = annotate(doc)
    rows = [i for i in doc.indicators if i.source == "table"]
    got = {(i.subject, i.value, i.unit, i.kind, i.period.end[:4] if i.period else None, i.change) for i in rows}
    assert got == {
        ("tỷ lệ hộ nghèo giảm", 1.5, "%", "target", "2025", "down"),
        ("tỷ lệ hộ nghèo giảm", 1, "%", "target", "2030", "down"),
        ("số hộ thoát nghèo", 1200, "hộ", "target", "2025", None),
        ("số hộ thoát nghèo", 5000, "hộ", "target", "2030", None),
    }
    # the lead agency column is not taken for a value column, whatever the merges did to the header row
    assert {a.role for i in rows for a in i.agencies} == {"lead"}
