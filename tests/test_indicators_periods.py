"""The period of a figure under a task, solution or policy heading (issue 4 item 1), on real files read by the
project's reader (sections from the headings): a one-year plan's own year still governs its tasks' targets; the
zones and support rates of a program "đến năm 2015" have no deadline."""

from __future__ import annotations

from pathlib import Path

from corpus.reader import read
from extractors.pipeline import annotate

ANNUAL = """ỦY BAN NHÂN DÂN TỈNH NGHỆ AN
Số: 120/KH-UBND
Nghệ An, ngày 15 tháng 1 năm 2024
KẾ HOẠCH
Thực hiện công tác phòng, chống ma túy năm 2024
I. MỤC TIÊU
Kiềm chế sự gia tăng người nghiện ma túy trên địa bàn tỉnh.
II. NHIỆM VỤ, GIẢI PHÁP
1. Công an tỉnh chủ trì, phối hợp với các đơn vị bảo đảm 100% người nghiện ma túy có hồ sơ quản lý.
"""

PROGRAM = """HỘI ĐỒNG NHÂN DÂN TỈNH LAI CHÂU
NGHỊ QUYẾT
Về chương trình phát triển cây cao su trên địa bàn tỉnh Lai Châu đến năm 2015
I. MỤC TIÊU
1. Về diện tích.
Đến năm 2015 toàn tỉnh có 20.000 ha cao su.
II. NHIỆM VỤ
1. Nhiệm vụ qui hoạch.
Qui hoạch thành 5 vùng phát triển cao su, vùng I gồm 8 xã vùng thấp với diện tích trên 12.000 ha.
"""


def _doc(tmp_path: Path, name: str, text: str, title: str, doc_type: str, issued: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    doc = read(path)
    assert doc.sections, "the reader finds the headings"
    doc.metadata.title = doc.metadata.title or title
    doc.metadata.doc_type = doc.metadata.doc_type or doc_type
    doc.metadata.issued_date = doc.metadata.issued_date or issued
    return annotate(doc)


def _year(ind) -> str | None:
    return ind.period.end[:4] if ind.period and ind.period.end else None


def test_a_one_year_plans_year_governs_the_targets_of_its_tasks(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "plan.txt", ANNUAL, "Thực hiện công tác phòng, chống ma túy năm 2024", "Kế hoạch",
               "2024-01-15")
    hundred = [i for i in doc.indicators if i.value == 100 and i.unit == "%"]
    assert hundred and hundred[0].kind == "target"
    assert _year(hundred[0]) == "2024"


def test_a_programs_zones_under_a_task_heading_have_no_deadline(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "program.txt", PROGRAM,
               "Về chương trình phát triển cây cao su trên địa bàn tỉnh Lai Châu đến năm 2015", "Nghị quyết",
               "2008-12-10")
    by_value = {(i.value, i.unit): i for i in doc.indicators}
    assert _year(by_value[(20000, "ha")]) == "2015"
    assert _year(by_value[(12000, "ha")]) is None
    assert _year(by_value[(5, "vùng")]) is None
