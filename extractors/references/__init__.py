"""Cited documents (ANNOTATION.md §3): every legal or administrative document cited with a number.

The span covers the type word, "số" and the symbol (``Kế hoạch số 310/KH-UBND``) and stops there, so that the
``ngày …`` after it is still a date mention; ``normalized.date`` carries that date all the same.
"""

from __future__ import annotations

import re
from datetime import date

from corpus.model import ReferenceMention, ReferenceValue
from extractors.agencies import find as find_agencies
from extractors.agencies.gazetteer import CENTRAL, _key
from extractors.agencies.text_zones import excluded_spans, in_excluded
from extractors.context import Context
from extractors.references.grammar import (
    BARE,
    BARE_WITHOUT_SO,
    DATE_AFTER,
    DATE_BEFORE,
    GENERIC,
    ISSUED_BY,
    ISSUER_CODES,
    KNOWN_CODES,
    NAMED_TYPE,
    OF_AFTER,
    OWN_HEADER,
    OWN_LINE,
    PREFIX,
    SYMBOL,
    TYPE_BY_ABBR,
    TYPE_BY_CODE,
    TYPE_BY_WORD,
    code_parts,
    normalize_number,
)

__all__ = ["extract"]

_WINDOW = 70
_PROVINCE_PREFIX = re.compile(r"^(?:tỉnh|thành phố|tp\.?)\s+", re.IGNORECASE)


_HEADER = 1500  # the header of an official document: its own number stands here on a line of its own


def _alone_on_line(text: str, line_start: int, start: int, end: int) -> bool:
    """"Luật số: 91/2015/QH13" fills its line: the header's own number, not a citation."""
    head = text[line_start:end]
    sym = SYMBOL.search(head, start - line_start)
    if sym is None or not OWN_HEADER.fullmatch(head[:sym.start()]):
        return False
    nl = text.find("\n", end)
    return not text[end:nl if nl >= 0 else len(text)].strip()


def _iso(m: re.Match) -> str | None:
    try:
        return date(int(m.group("y")), int(m.group("m") or m.group("m2")), int(m.group("d"))).isoformat()
    except (ValueError, TypeError):
        return None


def _valid_code(code: str) -> bool:
    first = re.split(r"[-/ \t]", code, maxsplit=1)[0]
    return first[:1].isupper() or first.upper() in KNOWN_CODES


def _candidates(text: str) -> list[tuple[int, int, str, str | None, bool]]:
    """(start, end, number, type word, has prefix) for symbols and for bare numbers after a type word."""
    found: list[tuple[int, int, str, str | None, bool]] = []
    for m in SYMBOL.finditer(text):
        code = m.group("code")
        if not _valid_code(code):
            continue
        if m.group("sep") == "-" and "/" not in code:
            continue
        start = m.start()
        word = None
        pre = PREFIX.search(text, max(0, start - _WINDOW), start)
        if pre:
            start = pre.start()
            word = pre.group("word") or pre.group("abbr")
            if pre.group("named"):
                word = NAMED_TYPE.match(pre.group("named")).group(0)
        found.append((start, m.end(), normalize_number(m.group(0)), word, pre is not None))
    for m in BARE.finditer(text):
        word = m.group("word")
        if not m.group("so") and (not word[:1].isupper() or _doc_type(word, "") not in BARE_WITHOUT_SO):
            continue
        if word.casefold() in GENERIC and not m.group("so"):
            continue
        found.append((m.start(), m.end(), m.group("num"), word, True))
    found.sort()
    return found


def _doc_type(word: str | None, number: str) -> str | None:
    if word:
        key = re.sub(r"\s+", " ", word).casefold()
        if key in TYPE_BY_WORD:
            return TYPE_BY_WORD[key]
        if word in TYPE_BY_ABBR:
            return TYPE_BY_ABBR[word]
    for part in code_parts(number)[:1]:
        if part in TYPE_BY_CODE:
            return TYPE_BY_CODE[part]
    if word and word.casefold() in GENERIC:
        return "Công văn"
    return None


def _code_issuer(number: str, ctx: Context) -> str | None:
    parts = code_parts(number)
    if parts and parts[0] in TYPE_BY_CODE:
        parts = parts[1:]
    for part in parts:
        for pattern, issuer, local in ISSUER_CODES:
            if pattern.fullmatch(part):
                if local and ctx.province:
                    prov = _PROVINCE_PREFIX.sub("", ctx.province.strip())
                    return f"{issuer} {'thành phố' if _key(prov) in CENTRAL else 'tỉnh'} {prov}"
                return issuer
    return None


def _issuer_after(text: str, pos: int) -> str | None:
    of = OF_AFTER.match(text, pos)
    if not of:
        return None
    first = find_agencies(text, of.end(), min(len(text), of.end() + 120), anchored=True)
    if not first:
        return None
    end = first[0].end
    while True:
        join = re.match(r"[ \t]*(?:và|-)[ \t]*", text[end:end + 8])
        if not join:
            break
        nxt = find_agencies(text, end + join.end(), min(len(text), end + join.end() + 120), anchored=True)
        if not nxt:
            break
        end = nxt[0].end
    return re.sub(r"\s+", " ", text[of.end():end])


def _issuer_before(text: str, start: int) -> str | None:
    lo = max(0, start - 160)
    line_lo = max(text.rfind("\n", lo, start) + 1, lo)
    found = None
    for raw in find_agencies(text, line_lo, start):
        if ISSUED_BY.match(text[raw.end:start]):
            found = raw
    return re.sub(r"\s+", " ", text[found.start:found.end]) if found else None


def extract(text: str, ctx: Context) -> list[ReferenceMention]:
    if not text:
        return []
    zones = excluded_spans(text)
    cands = _candidates(text)
    own = {normalize_number(ctx.own_number)} if ctx.own_number else set()
    for s, _e, number, _w, has_prefix in cands:
        # "Số: 310/KH-UBND" starts its line: only a short way back is read, never a whole (huge) line
        lo = max(0, s - _WINDOW)
        nl = text.rfind("\n", lo, s)
        line_start = nl + 1 if nl >= 0 else 0 if lo == 0 else None
        if not has_prefix and line_start is not None and OWN_LINE.match(text[line_start:s]):
            own.add(number)
        elif has_prefix and line_start is not None and s < _HEADER and _alone_on_line(text, line_start, s, _e):
            own.add(number)
    out: list[ReferenceMention] = []
    last_end = -1
    for s, e, number, word, _has_prefix in cands:
        if number in own or s < last_end or in_excluded(zones, s):
            continue
        last_end = e
        after = DATE_AFTER.match(text, e)
        ref_date = _iso(after) if after else None
        tail = after.end() if after else e
        if ref_date is None:
            before = DATE_BEFORE.search(text, max(0, s - 160), s)
            ref_date = _iso(before) if before else None
        issuer = _issuer_after(text, tail) or _issuer_before(text, s) or _code_issuer(number, ctx)
        out.append(ReferenceMention(start=s, end=e, text=text[s:e],
                                    normalized=ReferenceValue(number=number, doc_type=_doc_type(word, number),
                                                              date=ref_date, issuer=issuer)))
    return _resolve_bare(out)


def _resolve_bare(refs: list[ReferenceMention]) -> list[ReferenceMention]:
    """A bare number ("Quyết định 210") cited elsewhere in full ("210/2006/QĐ-TTg") is that document."""
    full: dict[tuple[str, str | None], ReferenceValue] = {}
    for r in refs:
        v = r.normalized
        if not v.number.isdigit():
            lead = re.match(r"\d+", v.number)
            if lead:
                full.setdefault((lead.group(0), v.doc_type), v)
                full.setdefault((lead.group(0), None), v)
    for r in refs:
        v = r.normalized
        if v.number.isdigit():
            same = full.get((v.number, v.doc_type)) or full.get((v.number, None))
            if same and (same.doc_type in (None, v.doc_type) or v.doc_type is None):
                r.normalized = same.model_copy()
    return refs
