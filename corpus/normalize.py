"""The one normalization at ingest: Unicode NFC and the modern tone-mark placement.

``hoà``→``hòa``, ``thuý``→``thúy``, ``tuỳ``→``tùy``, ``Ðảm``→``Đảm``. Nothing else is rewritten. The tone moves
only inside an open syllable ending in ``oa``, ``oe`` or ``uy`` (not after ``q``: ``quý`` keeps its mark), so the
length of the NFC text never changes.
"""

from __future__ import annotations

import re
import unicodedata

_TONES = {"\u0301", "\u0300", "\u0309", "\u0303", "\u0323"}  # sắc, huyền, hỏi, ngã, nặng
_PAIRS = ("oa", "oe", "uy")


def _build_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for first, second in _PAIRS:
        for tone in _TONES:
            for f, s in ((first, second), (first.upper(), second), (first.upper(), second.upper())):
                old = f + unicodedata.normalize("NFC", s + tone)
                new = unicodedata.normalize("NFC", f + tone) + s
                table[old] = new
    return table


_TABLE = _build_table()
_LETTER = r"[^\W\d_]"
_PATTERN = re.compile(
    r"(?<![qQ])(" + "|".join(re.escape(k) for k in sorted(_TABLE, key=len, reverse=True)) + r")(?!" + _LETTER + ")"
)


def normalize_text(text: str) -> str:
    """NFC, Ð (U+00D0) → Đ (U+0110), and the tone mark moved to its modern place in oa/oe/uy syllables."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")
    text = text.replace("\ufeff", "")
    return _PATTERN.sub(lambda m: _TABLE[m.group(1)], text)


_SEG_SPACE_BEFORE = re.compile(r" +([,.;:!?)\]…%])")
_SEG_SPACE_AFTER = re.compile(r"([(\[]) +")


def desegment(text: str) -> str:
    """Join the syllables of a word-segmented text back (``Kế_hoạch`` → ``Kế hoạch``) and remove the spaces
    the segmenter put before closing punctuation and after opening brackets. Used as a loader option for
    datasets stored segmented; it is not part of the one normalization."""
    text = text.replace("_", " ")
    text = _SEG_SPACE_BEFORE.sub(r"\1", text)
    text = _SEG_SPACE_AFTER.sub(r"\1", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return text
