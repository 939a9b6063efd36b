"""Sentence and clause spans over Document.text (fast regex splitting; offsets into the same text)."""

from __future__ import annotations

import bisect
import re

# a sentence ends at . ! ? … followed by space and a capital/quote/bullet/digit, at ; before a line break, or at a
# line break (official texts put one item per line)
_SENT_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“(\-–•+*\dA-ZĐÀ-Ỹ])|\n+")
_CLAUSE_END = re.compile(r"[;:]\s+|,\s+|\s+và\s+(?=\d)")


class Spans:
    """Sorted (start, end) spans with a position lookup."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def index_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def at(self, pos: int) -> tuple[int, int]:
        return self.spans[self.index_at(pos)] if self.spans else (0, 0)


def sentence_spans(text: str) -> Spans:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return Spans(spans)


def clause_bounds(text: str, start: int, end: int, sent: tuple[int, int]) -> tuple[int, int]:
    """The clause (between , ; : and a "và" that opens another figure) of the sentence that holds [start, end)."""
    s0, s1 = sent
    left = s0
    for m in _CLAUSE_END.finditer(text, s0, min(start + 1, s1)):
        if m.end() <= start:
            left = m.end()
    m = _CLAUSE_END.search(text, end, s1)
    right = m.start() if m else s1
    # a parenthesis opened after the figure holds details of its own ("14.000 ha (năm 2011 trồng mới …)")
    paren = text.find(" (", end, right)
    if paren >= 0:
        right = paren
    return left, right
