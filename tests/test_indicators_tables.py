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
