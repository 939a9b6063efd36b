"""Agencies (ANNOTATION.md §4): named public bodies, their canonical names and their role in the sentence.

The gazetteer (gazetteer.yaml) is compiled into one regex; canonical names expand abbreviations and add the
document's province where the text leaves it implicit; roles come from trigger words (roles.yaml).
"""

from __future__ import annotations

import re
from collections import defaultdict

from corpus.model import AgencyMention, AgencyValue
from extractors.agencies.data import GAZETTEER
from extractors.agencies.gazetteer import (
    CENTRAL,
    LEVELS,
    NAMED_UNIT,
    PROVINCE_BY_KEY,
    RawAgency,
    _key,
    _place_name,
    find,
)
from extractors.agencies.roles import assign_roles
from extractors.agencies.scope import Scope, home_unit, infer_province
from extractors.agencies.text_zones import excluded_spans, in_excluded
from extractors.context import Context

__all__ = ["extract", "canonical_name", "find"]

_PROVINCE_PREFIX = re.compile(r"^(?:tỉnh|thành phố|tp\.?)\s+", re.IGNORECASE)
_HEADER_LINES = 8
_LOCAL_WORDS = frozenset({"huyện", "quận", "thị xã", "xã", "phường", "thị trấn"})


def _province(ctx: Context, text: str, raws: list[RawAgency]) -> tuple[str | None, bool]:
    name = _PROVINCE_PREFIX.sub("", ctx.province.strip()) if ctx.province else infer_province(text, raws)
    if not name:
        return None, False
    name = PROVINCE_BY_KEY.get(_key(name), name)
    return name, _key(name) in CENTRAL


def canonical_name(raw: RawAgency, province: str | None, central: bool,
                   fuller: dict[tuple[str, str], set[str]] | None = None, scope: Scope | None = None) -> str:
    """The canonical name: abbreviations expanded, the place made explicit."""
    if raw.place:
        return f"{raw.base} {raw.level_word} {raw.place}" if raw.level_word else f"{raw.base} {raw.place}"
    home_word, home_place = (scope.home_word, scope.home_place) if scope else (None, None)
    if raw.level_word:
        lw = raw.level_word
        place = None
        if lw == "tỉnh" and province and not central:
            place = province
        elif lw == "thành phố" and province and central:
            place = province
        elif lw == home_word and home_place:
            place = home_place
        elif fuller:
            names = fuller.get((raw.base, lw)) or set()
            if len(names) != 1 and lw in _LOCAL_WORDS:
                names = fuller.get(("", lw)) or set()
            if len(names) == 1:
                place = next(iter(names))
        return f"{raw.base} {lw} {place}" if place else f"{raw.base} {lw}"
    if raw.entry.locality == "required":  # written under a sub-body: "Thường trực Hội đồng nhân dân"
        if home_word:
            return f"{raw.base} {home_word} {home_place}" if home_place else f"{raw.base} {home_word}"
        if province:
            return f"{raw.base} {'thành phố' if central else 'tỉnh'} {province}"
        return raw.base
    unit = raw.entry.unit
    if unit:
        if unit == "thành phố" and central and province:
            return f"{raw.base} {province}"
        if unit == home_word and home_place:
            return f"{raw.base} {home_place}"
        return raw.base
    if raw.entry.province_default and home_word:
        return f"{raw.base} {home_word} {home_place}" if home_place else f"{raw.base} {home_word}"
    if raw.entry.province_default and province:
        if raw.entry.suffix is not None:
            return f"{raw.base}{raw.entry.suffix or ' '}{province}"
        return f"{raw.base} {'thành phố' if central else 'tỉnh'} {province}"
    return raw.base


def _level(raw: RawAgency, scope: Scope) -> str:
    if raw.entry.province_default and not raw.place and not raw.level_word and scope.home_word:
        return "district"
    return raw.level if raw.level in ("national", "province", "district", "commune") else "province"


def _named_units(raws: list[RawAgency]) -> tuple[dict[tuple[str, str], set[str]], dict[str, set[str]]]:
    fuller: dict[tuple[str, str], set[str]] = defaultdict(set)
    named: dict[str, set[str]] = defaultdict(set)
    for r in raws:
        word = r.level_word or (r.entry.unit if r.place else None)
        if r.place and word:
            fuller[(r.base, word)].add(r.place)
            fuller[("", word)].add(r.place)
            named[word].add(r.place)
    return fuller, named


def _lead_units(text: str) -> dict[str, set[str]]:
    """The local units the document's opening names ("Khu Nhất Thanh (phường Kỳ Bá, ...)"), by locality word: the
    place a news item or report is about is said there; a unit named further on is an example, not its scope."""
    out: dict[str, set[str]] = defaultdict(set)
    for m in NAMED_UNIT.finditer(text, 0, GAZETTEER["lead_chars"]):
        word = LEVELS[_key(m.group("lvl"))][0]
        if word in _LOCAL_WORDS:
            out[word].add(_place_name(m.group("name")))
    return out


def _generic(raw: RawAgency, canon: str, scope: Scope) -> bool:
    """An implicit local body ("Công an xã", "Phòng Y tế") in a document above that level: every unit's, not one."""
    if raw.place:
        return False
    if raw.level_word in _LOCAL_WORDS:
        return raw.level_word != scope.home_word and canon.endswith(f" {raw.level_word}")
    return raw.entry.dept_key == "office" and not raw.level_word and scope.home_word is None


def extract(text: str, ctx: Context) -> list[AgencyMention]:
    if not text:
        return []
    zones = excluded_spans(text)
    day = ctx.doc_date.isoformat() if ctx.doc_date else None
    raws = [r.on(day) for r in find(text)
            if not in_excluded(zones, r.start) and not ctx.is_taken(r.start, r.end)
            and text[r.start - 1: r.start] not in ("-", "/")]
    if not raws:
        return []
    province, central = _province(ctx, text, raws)
    fuller, named = _named_units(raws)
    # an implicit "công an phường" is the one phường the document's opening names, when no agency names a phường
    for word, places in _lead_units(text).items():
        fuller.setdefault(("", word), places)
    issuer_raws = [r.on(day) for r in find(ctx.issuer)] if ctx.issuer else []
    home_word, home_place = home_unit(issuer_raws + raws, named)
    scope = Scope(province, central, home_word, home_place)
    issuers = {canonical_name(r, province, central, fuller, scope) for r in issuer_raws}
    spans = [(r.start, r.end) for r in raws]
    roles = assign_roles(text, spans)
    header_end = _nth_line_end(text, _HEADER_LINES)
    out: list[AgencyMention] = []
    for r, role in zip(raws, roles, strict=True):
        canon = canonical_name(r, province, central, fuller, scope)
        if _generic(r, canon, scope):
            continue
        if role == "mentioned" and (canon in issuers or _alone_in_header(text, r, header_end)):
            role = "issuer"
        name = text[r.start:r.end]
        out.append(AgencyMention(start=r.start, end=r.end, text=name,
                                 normalized=AgencyValue(name=name, canonical=canon, role=role,
                                                        level=_level(r, scope))))
    return out


def _nth_line_end(text: str, n: int) -> int:
    pos = 0
    for _ in range(n):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        pos = nxt + 1
    return pos


def _alone_in_header(text: str, raw: RawAgency, header_end: int) -> bool:
    if raw.start >= header_end:
        return False
    # only blanks between the line's ends and the name: walked over, never the whole line (one huge line is cheap)
    i = raw.start
    while i > 0 and text[i - 1] != "\n" and text[i - 1].isspace():
        i -= 1
    j = raw.end
    while j < len(text) and text[j] != "\n" and text[j].isspace():
        j += 1
    return (i == 0 or text[i - 1] == "\n") and (j == len(text) or text[j] == "\n")
