"""Gazetteer of Vietnam's administrative units, before and after the 2025 reorganization.

Source package: ``vietnamadminunits`` (PyPI). It was chosen over ``vietnam-provinces`` because it holds BOTH
the 63-province, three-level units in force until mid-2025 (table ``admin_units_legacy``: province, district,
ward/commune, with GSO codes) AND the 34-province, two-level units in force since 1 July 2025 (table
``admin_units``), plus the official old→new conversion (``converter_2025.json``). ``vietnam-provinces``
2025.10.1 only ships the new 34-province units. The unit lists are never written by hand: they are read from the
package's own data at first use and kept in memory. Only what the package lacks is data here
(``renames.yaml``: names older than the package's legacy snapshot, e.g. Thừa Thiên Huế before it became a city).
"""

from __future__ import annotations

import functools
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import vietnamadminunits
import yaml

_HERE = Path(__file__).parent
_DB = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"

_PROVINCE_PREFIX = r"(?:tỉnh|thành\s+phố|tp\.?)"


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@dataclass(frozen=True)
class Province:
    name: str            # short common name, as the gold files write it ("Nghệ An", "Hồ Chí Minh")
    code: str
    aliases: tuple[str, ...] = ()


def _query(sql: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{_DB}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@functools.cache
def renames() -> dict:
    with open(_HERE / "renames.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


@functools.cache
def legacy_provinces() -> tuple[Province, ...]:
    """The 63 provinces in force before 1 July 2025, with their older names from renames.yaml."""
    rows = _query("SELECT DISTINCT provinceShort, provinceCode FROM admin_units_legacy ORDER BY provinceCode")
    older = {r["code"]: r for r in renames().get("provinces", [])}
    out = []
    for short, code in rows:
        short = nfc(short)
        if code in older:
            entry = older[code]
            out.append(Province(nfc(entry["name"]), code, tuple(nfc(a) for a in entry.get("aliases", [])) + (short,)))
        else:
            out.append(Province(short, code))
    return tuple(out)


@functools.cache
def _province_regexes() -> tuple[re.Pattern, re.Pattern, dict[str, str]]:
    by_key: dict[str, str] = {}
    for p in legacy_provinces():
        for n in (p.name, *p.aliases):
            by_key[n.casefold()] = p.name
    names = sorted(by_key, key=len, reverse=True)
    alt = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    prefixed = re.compile(rf"(?<!\w){_PROVINCE_PREFIX}\s+({alt})(?!\w)", re.IGNORECASE)
    bare = re.compile(rf"(?<!\w)({alt})(?!\w)", re.IGNORECASE)
    return prefixed, bare, by_key


@functools.cache
def _ambiguous() -> frozenset[str]:
    with open(_HERE / "ambiguous.yaml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return frozenset(nfc(w).casefold() for w in data.get("names", []))


def _key(s: str) -> str:
    return re.sub(r"\s+", " ", s).casefold()


def province_of(text: str) -> str | None:
    """The province named in ``text`` (``"UBND tỉnh Nghệ An"`` → ``"Nghệ An"``), in its pre-2025 short name.

    A name after ``tỉnh``/``thành phố`` wins; else the first bare province name, where names that are also
    common words (``hòa bình``) count only when capitalized.
    """
    if not text:
        return None
    text = nfc(text)
    prefixed, bare, by_key = _province_regexes()
    m = prefixed.search(text)
    if m:
        return by_key[_key(m.group(1))]
    for m in bare.finditer(text):
        k = _key(m.group(1))
        if k in _ambiguous() and not m.group(1)[0].isupper():
            continue
        return by_key[k]
    return None
