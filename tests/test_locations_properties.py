"""Property tests of the places extractor over arbitrary text: it never raises, and every mention it returns has a
valid span of the text it read, a level of the data model and a name."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.context import Context
from extractors.locations import extract

PIECES = ["tỉnh", "thành phố", "TP.", "huyện", "quận", "xã", "phường", "thị trấn", "thôn", "bản", "tổ", "khu", "các xã:",
          "6 xã (", "và", ",", ")", "\n", " ", "Nghệ An", "Kỳ Sơn", "Lào", "Việt Nam", "Hồ Chí Minh", "Lào Cai",
          "Huế", "Svay Rieng", "Mặt trận Tổ quốc", "văn bản", "xã hội", "I", "12", "NGHỆ AN", "nghệ an", "Đà Nẵng"]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=30).map(" ".join)
DOC_DATE = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)))
PROVINCE = st.sampled_from([None, "Nghệ An", "Lào Cai", "Hà Nội", "Thừa Thiên Huế", "Không Có"])
LEVELS = {"country", "region", "province", "district", "commune", "village"}


def _check(text: str, doc_date: date | None, province: str | None) -> None:
    for m in extract(text, Context(doc_date=doc_date, province=province)):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.normalized.level in LEVELS
        assert m.normalized.name.strip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, DOC_DATE, PROVINCE)
def test_place_like_text(text: str, doc_date: date | None, province: str | None) -> None:
    _check(text, doc_date, province)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), DOC_DATE, PROVINCE)
def test_arbitrary_text(text: str, doc_date: date | None, province: str | None) -> None:
    _check(text, doc_date, province)
