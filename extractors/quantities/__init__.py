"""Quantities (ANNOTATION.md §1): numbers that count or measure something, normalized to value, unit and qualifiers.

A number is found by one regex (digits, or a phrase of number words); reading.py then looks left (comparators,
changes, labels that make it no quantity) and right (spoken decimals, scale words, ranges, ratios, the unit).
Spans claimed by cited documents and dates (``ctx.taken``) are never read. The language knowledge is in cues.yaml,
units.yaml and extractors/numbers/words.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from corpus.model import QuantityMention, QuantityValue
from extractors.context import Context
from extractors.numbers import to_number
from extractors.quantities.lexicon import lexicon
from extractors.quantities.reading import Found, State, change_before_multiple, read_at, restatement_end


def extract(text: str, ctx: Context) -> list[QuantityMention]:
    lx = lexicon()
    state = State()
    found = state.found
    pos = 0
    while (m := lx.number.search(text, pos)) is not None:
        pos = m.end()
        skip = restatement_end(text, m, lx, state)
        if skip is not None:
            pos = max(pos, skip)
            continue
        q = read_at(text, m, ctx, lx, state)
        if q is None:
            continue
        found.append(q)
        pos = max(pos, q.end)
    _multiple_words(text, found, lx, ctx)
    _link_levels(text, found, lx, ctx)
    return [_mention(text, q) for q in found]


def _multiple_words(text: str, found: list[Found], lx, ctx: Context) -> None:
    """``gấp đôi``, ``gấp rưỡi``: a multiple whose number is the word itself (cues.yaml multiples), with the
    direction of a change word before it (``tăng gấp đôi``); ``giảm một nửa``: a fraction after a change word, in
    percent (cues.yaml change_fractions)."""
    for m in _scan(lx.multiple_word, lx.multiple_lead, text):
        s, e = m.span()
        if ctx.is_taken(s, e) or any(q.start < e and s < q.end for q in found):
            continue
        q = Found(s, e, Decimal(str(lx.multiple_values[m.group("w").lower()])), unit=lx.multiple_unit)
        ch = change_before_multiple(text, m.start("w"), lx)
        if ch is not None and not ctx.is_taken(ch[1], s):
            q.change, q.start = ch
        found.append(q)
    for m in _scan(lx.change_fraction, lx.fraction_word, text):
        s, e = m.span()
        if ctx.is_taken(s, e) or any(q.start < e and s < q.end for q in found):
            continue
        kind = lx.before_kind.get(" ".join(m.group("c").lower().split()))
        value = lx.fraction_values[" ".join(m.group("w").lower().split())]
        found.append(Found(s, e, Decimal(str(value)), unit=lx.fraction_unit, change=kind[1] if kind else None))
    found.sort(key=lambda q: q.start)


def _scan(pattern: re.Pattern, hint: re.Pattern, text: str) -> Iterator[re.Match]:
    """The matches of ``pattern``; none, without the slower scan, where ``hint`` (a part every match holds) is
    nowhere in the text."""
    return pattern.finditer(text) if hint.search(text) else iter(())


_ASIDE = re.compile(r"\([^()\n]{0,40}\)")


def _in_aside(text: str, lo: int, pos: int) -> bool:
    """Whether ``pos`` stands inside a parenthesis opened after ``lo`` and not closed before it."""
    gap = text[lo:pos]
    return gap.rfind("(") > gap.rfind(")")


def _link_levels(text: str, found: list[Found], lx, ctx: Context) -> None:
    """``giảm từ 36 xuống còn 28 người``: two quantities; the first takes the unit of the second, and is no minimum.

    A date between them is left out: ``từ 7 triệu năm 2005 lên 14 triệu``; so is an aside in parentheses, figures
    and all: ``giảm từ 12.500 hộ (chiếm 5,2%) năm 2021 xuống còn 7.800 hộ``."""
    for k, a in enumerate(found):
        b = next((b for b in found[k + 1:] if not _in_aside(text, a.end, b.start)), None)
        if b is None or b.start - a.end > 80:
            continue
        gap = "".join(" " if ctx.is_taken(i, i + 1) else text[i] for i in range(a.end, b.start))
        gap = _ASIDE.sub(" ", gap)
        if lx.level_conn.fullmatch(" " + " ".join(gap.split()) + " "):
            if a.unit is None and b.unit is not None:
                a.unit = b.unit
            if a.from_start:
                a.comparator = None
            a.change = None  # giảm từ 36 xuống còn 28: 36 is the level before, not the amount of the fall


def _mention(text: str, q: Found) -> QuantityMention:
    value = QuantityValue(value=to_number(q.value), unit=q.unit,
                          denominator=to_number(q.denominator) if q.denominator is not None else None,
                          comparator=q.comparator,
                          value_max=to_number(q.value_max) if q.value_max is not None else None,
                          change=q.change)
    return QuantityMention(start=q.start, end=q.end, text=text[q.start:q.end], normalized=value)
