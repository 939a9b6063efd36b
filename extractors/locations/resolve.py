"""Choosing the unit a candidate names: the units in force on the document's date, in the province the
address chain ("xã Phúc Sơn, huyện Anh Sơn") or the document points to."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date

from extractors.context import Context
from extractors.locations.gazetteer import Unit, abbreviations, key_of, province_of
from extractors.locations.match import Candidate, prefixes

_CHAIN_GAP = re.compile(r"\s{0,3}[,–-]?\s{0,3}")


def _in_force(units: list[Unit], on: date | None) -> list[Unit]:
    """The units in force on the date; else the former ones (a name the text still uses), never units created
    after the date ("thị trấn Cai Lậy" in 2010 is not the ward of Đồng Tháp created in 2025)."""
    now = [u for u in units if u.in_force(on)]
    if now:
        return now
    day = on or date(2024, 12, 31)
    return [u for u in units if u.valid_from is None or u.valid_from <= day]


def _doc_province(cands: list[Candidate], ctx: Context) -> str | None:
    if ctx.province:
        return key_of(province_of(ctx.province) or ctx.province)
    counts = Counter(key_of((_in_force(c.units, ctx.doc_date) or c.units)[0].province)
                     for c in cands if c.level == "province" and c.units)
    return counts.most_common(1)[0][0] if counts else None


def _value(name: str, level: str, unit: Unit | None, province: str | None) -> dict:
    return {"name": name, "level": level, "province": unit.province if unit else province,
            "code": unit.code if unit else None,
            "current_name": unit.current_name if unit else None,
            "current_code": unit.current_code if unit else None}


def _pick(units: list[Unit], parent: tuple[str, str] | None, doc_prov: str | None) -> tuple[Unit | None, str | None]:
    """The unit meant, or (None, its province) when only the province is certain."""
    if parent:
        plevel, pkey = parent
        narrowed = [u for u in units if (plevel == "district" and u.district and key_of(u.district) == pkey)
                    or (plevel == "province" and key_of(u.province) == pkey)]
        units = narrowed or units
    if doc_prov and len(units) > 1:
        units = [u for u in units if key_of(u.province) == doc_prov] or units
    codes = {u.code for u in units}
    if len(codes) == 1:
        return units[0], units[0].province
    provinces = {u.province for u in units}
    return None, provinces.pop() if len(provinces) == 1 else None


def resolve(cands: list[Candidate], text: str, ctx: Context) -> Iterator[tuple[Candidate, dict]]:
    doc_prov = _doc_province(cands, ctx)
    doc_prov_name = None
    resolved: list[tuple[Candidate, dict] | None] = [None] * len(cands)
    # right to left: in "xã X, huyện Y, tỉnh Z" the parent comes after its child
    for n in range(len(cands) - 1, -1, -1):
        c = cands[n]
        parent = None
        if n + 1 < len(cands) and resolved[n + 1] is not None:
            nxt = cands[n + 1]
            nxt_start = nxt.prefix_start if nxt.prefix_start is not None else nxt.start
            if _CHAIN_GAP.fullmatch(text[c.end:nxt_start]) and nxt.prefix_start is not None:
                pv = resolved[n + 1][1]
                if pv["level"] in ("district", "province"):
                    parent = (pv["level"], key_of(pv["name"]), pv["province"])
        written = " ".join(text[c.start:c.end].split())
        if c.level == "country":
            resolved[n] = (c, {"name": written, "level": "country", "province": None, "code": c.code,
                               "current_name": None, "current_code": None})
            continue
        if c.level == "village":
            prov = parent[2] if parent else (doc_prov_name or _doc_province_name(cands, ctx, doc_prov))
            resolved[n] = (c, _value(c.name or written, "village", None, prov))
            continue
        if c.level == "bare":
            units = [u for u in _in_force(c.units, ctx.doc_date) if doc_prov and key_of(u.province) == doc_prov]
            if not units:
                continue
            level = "district" if any(u.level == "district" for u in units) else "commune"
            units = [u for u in units if u.level == level]
            unit, prov = _pick(units, None, doc_prov)
            resolved[n] = (c, _value(written, level, unit, prov))
            continue
        level = _level_by_type(c, text, ctx)
        same_level = [u for u in c.units if u.level == level]
        units = _in_force(same_level, ctx.doc_date) or (same_level if level == "province" else [])
        if level == "province":
            unit = units[0] if units else None
            name = unit.name if unit and key_of(written) in abbreviations() else written  # "TP.HCM"
            resolved[n] = (c, _value(name, "province", unit, None))
            continue
        name = c.name or written
        if not units:
            prov = parent[2] if parent else _doc_province_name(cands, ctx, doc_prov)
            resolved[n] = (c, _value(name, level, None, prov))
            continue
        typed = _typed(units, c, text)
        unit, prov = _pick(typed or units, parent[:2] if parent else None, doc_prov)
        resolved[n] = (c, _value(name, level, unit, prov))
    for item in resolved:
        if item is not None:
            yield item


_ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10}


def _number(word: str) -> int | None:
    """ "12" → 12, "IV" → 4: a village's number, however written."""
    if word.isdecimal():
        return int(word)
    low = word.casefold()
    if not low or any(ch not in _ROMAN_DIGITS for ch in low):
        return None
    vals = [_ROMAN_DIGITS[ch] for ch in low]
    return sum(-v if i + 1 < len(vals) and v < vals[i + 1] else v for i, v in enumerate(vals))


def _spelling_key(value: dict) -> tuple | None:
    """What makes two mentions the same place: a unit's code; a numbered village's kind word and number."""
    if value.get("code"):
        return ("code", value["level"], value["code"])
    if value["level"] == "village":
        *kind, last = value["name"].split()
        n = _number(last)
        if kind and n is not None:
            return ("village", " ".join(kind).casefold(), n, value.get("province"))
    return None


def one_spelling(items: list[tuple[Candidate, dict]]) -> list[tuple[Candidate, dict]]:
    """A document names one place one way: a later spelling of the same place ("Khu 1" after "khu I", "Đắk
    N’Drung" after "Đắk N'Drung") takes the name first written."""
    first: dict[tuple, str] = {}
    for _, value in sorted(items, key=lambda it: it[0].start):
        key = _spelling_key(value)
        if key is None:
            continue
        name = first.setdefault(key, value["name"])
        if name.casefold() != value["name"].casefold():  # a casing slip stays as written ("huyện Thường tín")
            value["name"] = name
    return items


def _level_by_type(c: Candidate, text: str, ctx: Context) -> str:
    """A kind word that fits several levels ("thành phố") names the unit of that type in force: "thành phố Lào Cai"
    is the city (a district) of Lào Cai province, "thành phố Hà Nội" the province."""
    levels = {u.level for u in c.units}
    if c.prefix_start is None or len(levels) < 2:
        return c.level
    typed = _typed(_in_force(c.units, ctx.doc_date), c, text)
    return typed[0].level if len({u.level for u in typed}) == 1 else c.level


def _typed(units: list[Unit], c: Candidate, text: str) -> list[Unit]:
    """The units whose type is the kind word written before the name ("huyện Cai Lậy", not "thị xã Cai Lậy")."""
    if c.prefix_start is None:
        return []
    written = key_of(text[c.prefix_start:c.start].strip(" .\t"))
    pre = prefixes().get(written)
    kind = key_of(pre.type) if pre and pre.type else _KIND_ALIASES.get(written, written)
    return [u for u in units if u.type and key_of(u.type) == kind]


_KIND_ALIASES = {"tp": "thành phố", "tp.": "thành phố"}


def _doc_province_name(cands: list[Candidate], ctx: Context, doc_prov: str | None) -> str | None:
    if doc_prov is None:
        return None
    for c in cands:
        for u in c.units:
            if u.level == "province" and key_of(u.province) == doc_prov:
                provs = [x for x in c.units if x.level == "province"]
                return (_in_force(provs, ctx.doc_date) or provs)[0].province
    return province_of(ctx.province) if ctx.province else None
