"""Agencies (ANNOTATION.md §4): named public bodies, their canonical names and their role in the sentence.

The gazetteer (gazetteer.yaml) is compiled into one regex; canonical names expand abbreviations and add the
document's province where the text leaves it implicit; roles come from trigger words (roles.yaml).
"""

from __future__ import annotations

import re
from collections import defaultdict

from corpus.model import AgencyMention, AgencyValue
from extractors.agencies.gazetteer import CENTRAL, PROVINCE_BY_KEY, RawAgency, _key, find
from extractors.agencies.roles import chains, role_of
from extractors.agencies.text_zones import excluded_spans, in_excluded
from extractors.context import Context

__all__ = ["extract", "canonical_name", "find"]

_PROVINCE_PREFIX = re.compile(r"^(?:tỉnh|thành phố|tp\.?)\s+", re.IGNORECASE)
_HEADER_LINES = 8
_LOCAL_WORDS = frozenset({"huyện", "quận", "thị xã", "xã", "phường", "thị trấn"})


def _province(ctx: Context) -> tuple[str | None, bool]:
    if not ctx.province:
        return None, False
    name = _PROVINCE_PREFIX.sub("", ctx.province.strip())
    name = PROVINCE_BY_KEY.get(_key(name), name)
    return name, _key(name) in CENTRAL


def canonical_name(raw: RawAgency, province: str | None, central: bool,
                   fuller: dict[tuple[str, str], set[str]] | None = None) -> str:
    """The canonical name: abbreviations expanded, the place made explicit."""
    if raw.place:
        return f"{raw.base} {raw.level_word} {raw.place}" if raw.level_word else f"{raw.base} {raw.place}"
    if raw.level_word:
        lw = raw.level_word
        place = None
        if lw == "tỉnh" and province and not central:
            place = province
        elif lw == "thành phố" and province and central:
            place = province
        elif fuller:
            names = fuller.get((raw.base, lw)) or set()
            if len(names) != 1 and lw in ("xã", "phường", "thị trấn", "huyện", "quận", "thị xã"):
                names = fuller.get(("", lw)) or set()
            if len(names) == 1:
                place = next(iter(names))
        return f"{raw.base} {lw} {place}" if place else f"{raw.base} {lw}"
    if raw.entry.province_default and province:
        if raw.entry.suffix is not None:
            return f"{raw.base}{raw.entry.suffix or ' '}{province}"
        return f"{raw.base} {'thành phố' if central else 'tỉnh'} {province}"
    return raw.base


def _level(raw: RawAgency, canonical: str) -> str:
    return raw.level if raw.level in ("national", "province", "district", "commune") else "province"


def extract(text: str, ctx: Context) -> list[AgencyMention]:
    if not text:
        return []
    zones = excluded_spans(text)
    raws = [r for r in find(text)
            if not in_excluded(zones, r.start) and not ctx.is_taken(r.start, r.end)
            and text[r.start - 1: r.start] not in ("-", "/")]
    if not raws:
        return []
    province, central = _province(ctx)
    fuller: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in raws:
        if r.place and r.level_word:
            fuller[(r.base, r.level_word)].add(r.place)
            fuller[("", r.level_word)].add(r.place)
    issuers: set[str] = set()
    if ctx.issuer:
        issuers = {canonical_name(r, province, central) for r in find(ctx.issuer)}
    spans = [(r.start, r.end) for r in raws]
    roles: list[str] = ["mentioned"] * len(raws)
    for group in chains(spans, text):
        role = role_of(text, spans[group[0]][0], spans[group[-1]][1])
        for i in group:
            roles[i] = role
    header_end = _nth_line_end(text, _HEADER_LINES)
    out: list[AgencyMention] = []
    for r, role in zip(raws, roles, strict=True):
        canon = canonical_name(r, province, central, fuller)
        if r.level_word in _LOCAL_WORDS and not r.place and canon.endswith(f" {r.level_word}"):
            continue  # "Công an xã" with no commune named: every commune's, not one agency
        if role == "mentioned" and (canon in issuers or _alone_in_header(text, r, header_end)):
            role = "issuer"
        name = text[r.start:r.end]
        out.append(AgencyMention(start=r.start, end=r.end, text=name,
                                 normalized=AgencyValue(name=name, canonical=canon, role=role,
                                                        level=_level(r, canon))))
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
    ls = text.rfind("\n", 0, raw.start) + 1
    le = text.find("\n", raw.end)
    le = len(text) if le < 0 else le
    return not text[ls:raw.start].strip() and not text[raw.end:le].strip()
