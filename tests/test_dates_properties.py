"""Property tests of the dates extractor over arbitrary text: it never raises, and every mention it returns has a
valid span of the text it read and a well-formed interval."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.context import Context
from extractors.dates import extract

# pieces that trigger the grammar's alternatives, mixed with arbitrary characters
PIECES = ["ngày", "tháng", "năm", "quý", "giai đoạn", "từ", "đến", "hết", "cuối", "đầu", "tính đến", "nay", "trước",
          "tới", "IV", "II", "6 tháng đầu năm", "và những năm tiếp theo", "thứ hai", "chiều", "lúc", "giờ", "-", "/",
          ".", ",", " ", "\n", "2023", "2025", "1/2023", "31/12/2024", "29/2", "30", "13", "00", "9999", "163/2024/QH15"]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=30).map(" ".join)
DOC_DATE = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)))


def _check(text: str, doc_date: date | None) -> None:
    for m in extract(text, Context(doc_date=doc_date)):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        v = m.normalized
        assert v.start is not None or v.end is not None
        if v.start and v.end:
            assert date.fromisoformat(v.start) <= date.fromisoformat(v.end), (m.text, v)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, DOC_DATE)
def test_date_like_text(text: str, doc_date: date | None) -> None:
    _check(text, doc_date)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), DOC_DATE)
def test_arbitrary_text(text: str, doc_date: date | None) -> None:
    _check(text, doc_date)
