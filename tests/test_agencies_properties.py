"""Property test: the agencies extractor never raises on arbitrary text and every offset it gives is valid."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.agencies import extract
from extractors.context import Context

# pieces of real agency names, triggers and punctuation, so that random text reaches the interesting paths
PIECES = ["Ủy ban nhân dân", "UBND", "tỉnh", "thành phố", "huyện", "quận", "các", "Sở", "Y tế", "LĐ-TB&XH", "Bộ",
          "Tài chính", "Công an", "Ban Chỉ đạo", "138", "Thường trực", "Hội đồng nhân dân", "Huyện ủy", "Thành ủy",
          "Nghệ An", "Hà Nội", "Thường Tín", "chủ trì", "phối hợp với", "giao", "của", "Giám đốc", "Chánh",
          "Văn phòng", "Phòng", "Hội Nông dân", "chịu trách nhiệm thi hành", "Điều 3.", ":", ",", ";", " và ", "\n",
          "- ", "1. ", "(", ")", "Quyết định số 12/QĐ-UBND", "yêu cầu", "ủy ban nhân dân tỉnh nghệ an"]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
)
provinces = st.sampled_from([None, "Nghệ An", "Hồ Chí Minh", "tỉnh Lai Châu", "xyz"])


@settings(max_examples=300, deadline=None)
@given(text=texts, province=provinces, issuer=st.sampled_from([None, "UBND huyện Thường Tín", "HĐND tỉnh"]))
def test_never_raises_and_offsets_valid(text: str, province: str | None, issuer: str | None) -> None:
    mentions = extract(text, Context(province=province, issuer=issuer))
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.normalized.canonical
        assert m.normalized.role in ("lead", "support", "assignee", "issuer", "mentioned")
