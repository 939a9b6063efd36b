"""The gazetteer reads the real vietnamadminunits data: provinces before and after 2025."""

from __future__ import annotations

import pytest

from extractors.locations.gazetteer import legacy_provinces, province_of


@pytest.mark.parametrize("text,expected", [
    ("UBND tỉnh Nghệ An", "Nghệ An"),
    ("Hội đồng nhân dân tỉnh kiên giang", "Kiên Giang"),
    ("Nghệ An, ngày 29 tháng 3 năm 2024", "Nghệ An"),
    ("THÀNH PHỐ HÀ NỘI", "Hà Nội"),
    ("UBND tỉnh Thừa Thiên Huế", "Thừa Thiên Huế"),
    ("TP. Hồ Chí Minh, ngày 2 tháng 1 năm 2024", "Hồ Chí Minh"),
    ("UBND TỈNH HÒA BÌNH", "Hòa Bình"),
    ("Ủy ban nhân dân thành phố Đà Nẵng", "Đà Nẵng"),
    ("tỉnh bà rịa - vũng tàu", "Bà Rịa - Vũng Tàu"),
])
def test_province_of(text: str, expected: str) -> None:
    assert province_of(text) == expected


@pytest.mark.parametrize("text", ["", "Lê Hồng Vinh", "vì hòa bình và phát triển", "Điều 2. Tổ chức thực hiện",
                                  "Bộ Công an"])
def test_province_of_none(text: str) -> None:
    assert province_of(text) is None


def test_sixty_three_legacy_provinces() -> None:
    provs = legacy_provinces()
    assert len(provs) == 63
    assert len({p.code for p in provs}) == 63
