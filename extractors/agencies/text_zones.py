"""Parts of a page that are not the document: related-news lists, navigation menus and source credits.

Agencies and cited documents found there are not mentions of the document (a portal's sidebar lists "Chính phủ";
the "Tin cùng chuyên mục" list cites other documents).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from extractors.agencies.data import GAZETTEER

_MARKERS = {m.casefold() for m in GAZETTEER["boilerplate_markers"]}
_CREDIT = re.compile(r"[ \t]*[(\[]?[ \t]*(?:" + "|".join(re.escape(w) for w in GAZETTEER["credit_markers"])
                     + r")(?=[ \t:\"“'])", re.IGNORECASE)
_CREDIT_WORDS = 8
_END_PUNCT = ".;:!?,"
_SHORT_WORDS = 6
_MIN_RUN = 3


def _short(line: str) -> bool:
    s = line.strip()
    return bool(s) and len(s.split()) <= _SHORT_WORDS and s[-1] not in _END_PUNCT


@lru_cache(maxsize=8)
def excluded_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of ``text`` that hold page furniture, sorted."""
    spans: list[tuple[int, int]] = []
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    # related-news tail: from the first marker line to the end
    for s, e in lines:
        if text[s:e].strip().rstrip(":").casefold() in _MARKERS and s > len(text) // 4:
            spans.append((s, len(text)))
            break
    # a news item's source credit on a short line of its own: 'Theo "Báo Đắk Nông điện tử"', '(Nguồn: Báo Nghệ An)'
    for s, e in lines:
        if len(text[s:e].split()) <= _CREDIT_WORDS and _CREDIT.match(text, s, e):
            spans.append((s, e))
    # navigation menus: runs of short lines (blank lines do not break a run)
    run: list[tuple[int, int]] = []
    for s, e in lines:
        seg = text[s:e]
        if not seg.strip():
            continue
        if _short(seg):
            run.append((s, e))
            continue
        if len(run) >= _MIN_RUN:
            spans.append((run[0][0], run[-1][1]))
        run = []
    if len(run) >= _MIN_RUN:
        spans.append((run[0][0], run[-1][1]))
    spans.sort()
    return tuple(spans)


def in_excluded(spans: tuple[tuple[int, int], ...], start: int) -> bool:
    i = bisect.bisect_right(spans, (start, len(spans) and 1 << 62)) - 1
    return any(s <= start < e for s, e in spans[max(0, i - 2): i + 1])
