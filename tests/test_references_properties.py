"""Property test: the cited-documents extractor never raises on arbitrary text, every offset it gives is valid,
and the document's own number is never a citation."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.context import Context
from extractors.references import extract

PIECES = ["Kế hoạch", "số", "310/KH-UBND", "Nghị quyết", "14-NQ/TU", "Quyết định", "1452/QĐ-TTg", "Đề án", "318",
          "ngày", "7/4/2022", "của", "Bộ Chính trị", "UBND tỉnh", "Chỉ thị", "36-CT/TW", "/", "-", " / ", ".",
          "163/2024/QH15", "Tờ trình", "30/TTr.SXD", "năm 2021", "Luật", ",", "\n", "và", "số:", "Thông tư liên tịch"]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(text=texts, own=st.sampled_from([None, "310/KH-UBND", "14-NQ/TU", ""]))
def test_never_raises_offsets_valid_own_number_skipped(text: str, own: str | None) -> None:
    mentions = extract(text, Context(province="Nghệ An", own_number=own))
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        if own:
            assert m.normalized.number.replace(" ", "").upper() != own.replace(" ", "").upper()
