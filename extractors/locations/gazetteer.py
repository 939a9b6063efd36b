"""Gazetteer of Vietnam's administrative units, before and after the 2025 reorganization.

Source package: ``vietnamadminunits`` (PyPI). It was chosen over ``vietnam-provinces`` because it holds BOTH
the 63-province, three-level units in force until 30 June 2025 (table ``admin_units_legacy``: province,
district, ward/commune, with GSO codes) AND the 34-province, two-level units in force since 1 July 2025 (table
``admin_units``), plus the official old→new conversion (``converter_2025.json``). ``vietnam-provinces``
2025.10.1 only ships the new 34-province units. The unit lists are never written by hand: they are read from the
package's own data at first use and kept in memory. Only what the package lacks is data here
(``renames.yaml``: names older than the package's legacy snapshot, e.g. Thừa Thiên Huế before it became a city).
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import vietnamadminunits
import yaml

_HERE = Path(__file__).parent
_PKG_DATA = Path(vietnamadminunits.__file__).parent / "data"
REFORM_2025 = date(2025, 7, 1)
TOKEN = re.compile(r"[^\W_]+")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def key_of(name: str) -> str:
    """Lookup key of a name: its syllables, case-folded, joined by one space (``Bà Rịa - Vũng Tàu`` → 4)."""
    return " ".join(TOKEN.findall(nfc(name).casefold()))


@dataclass(frozen=True)
class Unit:
    name: str                     # short name as used in text ("Nghệ An", "Kỳ Sơn", "Phường 12")
    level: str                    # province | district | commune
    type: str                     # Tỉnh, Thành phố, Huyện, Quận, Thị xã, Xã, Phường, Thị trấn, Đặc khu
    code: str | None
    province: str                 # short name of its province, in the same era
    province_code: str
    district: str | None = None
    district_code: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    current_name: str | None = None
    current_code: str | None = None

    def in_force(self, on: date | None) -> bool:
        if on is None:
            on = date(2024, 12, 31)   # undated texts: the three-level units most documents were written under
        return (self.valid_from is None or on >= self.valid_from) and (self.valid_until is None or on < self.valid_until)


@dataclass(frozen=True)
class Province:
    name: str
    code: str
    aliases: tuple[str, ...] = ()


def _query(sql: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{_PKG_DATA / 'dataset.db'}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def load_yaml(name: str) -> dict:
    with open(_HERE / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


@functools.cache
def renames() -> dict:
    return load_yaml("renames.yaml")


def _short(full: str, typ: str | None) -> str:
    """``Thị trấn Yên Viên`` → ``Yên Viên``; numbered units keep their type (``Phường 12``, ``Quận 1``)."""
    full = nfc(full)
    if typ and full.startswith(typ + " "):
        rest = full[len(typ) + 1:]
        return full if rest[:1].isdigit() else rest
    return full


def _type_of(full: str, types: tuple[str, ...]) -> str:
    for t in types:
        if full.startswith(t + " "):
            return t
    return ""


_PROVINCE_TYPES = ("Thành phố", "Tỉnh")


@functools.cache
def units() -> tuple[Unit, ...]:
    """Every unit: the legacy three levels (until 2025-07-01), the 2025 two levels, and older renamed units."""
    conv = json.loads((_PKG_DATA / "converter_2025.json").read_text(encoding="utf-8"))
    new_rows = _query("SELECT province, provinceShort, provinceCode, provinceKey, ward, wardType, wardCode, wardKey "
                      "FROM admin_units")
    new_prov: dict[str, tuple[str, str]] = {}
    new_ward: dict[tuple[str, str], tuple[str, str]] = {}
    out: list[Unit] = []
    for prov, pshort, pcode, pkey, ward, wtype, wcode, wkey in new_rows:
        if pkey not in new_prov:
            new_prov[pkey] = (nfc(pshort), pcode)
            out.append(Unit(nfc(pshort), "province", _type_of(nfc(prov), _PROVINCE_TYPES), pcode, nfc(pshort), pcode,
                            valid_from=REFORM_2025, current_name=nfc(pshort), current_code=pcode))
        if ward:
            short = _short(ward, wtype)
            new_ward[(pkey, wkey)] = (short, wcode)
            out.append(Unit(short, "commune", nfc(wtype or ""), wcode, nfc(pshort), pcode, valid_from=REFORM_2025,
                            current_name=short, current_code=wcode))
    old_to_new_prov = {old: new for new, olds in conv["DICT_PROVINCE"].items() for old in olds}
    old_to_new_ward: dict[str, tuple[str, str]] = {}
    for newp, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for neww, olds in wards.items():
            for old in olds:
                old_to_new_ward[old] = (newp, neww)
    for newp, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, options in olds.items():
            default = next((o["newWardKey"] for o in options if o.get("isDefaultNewWard")), None)
            if default:
                old_to_new_ward.setdefault(old, (newp, default))

    older_prov = {r["code"]: r for r in renames().get("provinces", [])}
    older_dist = {r["code"]: r for r in renames().get("districts", [])}
    rows = _query("SELECT province, provinceShort, provinceCode, provinceKey, district, districtType, districtCode, "
                  "districtKey, ward, wardType, wardCode, wardKey FROM admin_units_legacy")
    seen_p: set[str] = set()
    seen_d: set[str] = set()
    for prov, pshort, pcode, pkey, dist, dtype, dcode, dkey, ward, wtype, wcode, wkey in rows:
        pshort = nfc(pshort)
        cur_p = new_prov.get(old_to_new_prov.get(pkey, ""), (None, None))
        old = older_prov.get(pcode)
        pname = pshort
        if pcode not in seen_p:
            seen_p.add(pcode)
            ptype = _type_of(nfc(prov), _PROVINCE_TYPES)
            if old:
                until = date.fromisoformat(old["until"])
                out.append(Unit(nfc(old["name"]), "province", old.get("type", "Tỉnh"), pcode, nfc(old["name"]), pcode,
                                valid_until=until, current_name=cur_p[0], current_code=cur_p[1]))
                out.append(Unit(pshort, "province", ptype, pcode, pshort, pcode, valid_from=until,
                                valid_until=REFORM_2025, current_name=cur_p[0], current_code=cur_p[1]))
            else:
                out.append(Unit(pshort, "province", ptype, pcode, pshort, pcode, valid_until=REFORM_2025,
                                current_name=cur_p[0], current_code=cur_p[1]))
        if old:   # the legacy snapshot is newer than the rename: districts and communes carry the older name
            pname = nfc(old["name"])
        dshort = _short(dist, dtype)
        if dcode not in seen_d:
            seen_d.add(dcode)
            out.append(Unit(dshort, "district", nfc(dtype), dcode, pname, pcode, valid_until=REFORM_2025,
                            current_name=cur_p[0], current_code=cur_p[1]))
            if dcode in older_dist:
                od = older_dist[dcode]
                out.append(Unit(nfc(od["name"]), "district", od["type"], dcode, pname, pcode,
                                valid_until=date.fromisoformat(od["until"]),
                                current_name=cur_p[0], current_code=cur_p[1]))
        if ward:
            cur_w = old_to_new_ward.get(f"{pkey}_{dkey}_{wkey}")
            cur = new_ward.get(cur_w, (None, None)) if cur_w else (None, None)
            out.append(Unit(_short(ward, wtype), "commune", nfc(wtype or ""), wcode, pname, pcode, dshort, dcode,
                            valid_until=REFORM_2025, current_name=cur[0], current_code=cur[1]))
    return tuple(out)


@functools.cache
def index() -> dict[str, list[Unit]]:
    """Units by the lookup key of their name (``key_of``)."""
    idx: dict[str, list[Unit]] = defaultdict(list)
    for u in units():
        idx[key_of(u.name)].append(u)
        for alias in _aliases(u):
            idx[key_of(alias)].append(u)
    return dict(idx)


@functools.cache
def abbreviations() -> frozenset[str]:
    """Keys of the abbreviated province names ("hcm"): a mention of one is named by its unit's full name."""
    return frozenset(key_of(n) for r in renames().get("abbreviations", []) for n in r["names"])


def _aliases(u: Unit) -> tuple[str, ...]:
    if u.level != "province":
        return ()
    out: list[str] = []
    for r in renames().get("provinces", []):
        if r["code"] == u.province_code and nfc(r["name"]) == u.name:
            out.extend(r.get("aliases", []))
    for r in renames().get("abbreviations", []):
        if r["code"] == u.province_code:
            out.extend(r["names"])
    return tuple(out)


@functools.cache
def legacy_provinces() -> tuple[Province, ...]:
    """The 63 provinces in force before 1 July 2025, under their pre-2025 names (aliases: later names)."""
    provs: dict[str, Province] = {}
    for u in units():
        if u.level != "province" or u.valid_from is not None:
            continue
        later = tuple(x.name for x in units() if x.level == "province" and x.code == u.code and x.name != u.name
                      and x.valid_from is not None and x.valid_from < REFORM_2025)
        provs[u.code] = Province(u.name, u.code, tuple(_aliases(u)) + later)
    return tuple(sorted(provs.values(), key=lambda p: p.code))


@functools.cache
def _province_regexes() -> tuple[re.Pattern, re.Pattern, dict[str, str]]:
    by_key: dict[str, str] = {}
    for p in legacy_provinces():
        for n in (p.name, *p.aliases):
            by_key[key_of(n)] = p.name
    names = sorted(by_key, key=len, reverse=True)
    alt = "|".join(r"\W+".join(re.escape(t) for t in n.split(" ")) for n in names)
    prefix = r"(?:tỉnh|thành\s+phố|tp\.?)"
    prefixed = re.compile(rf"(?<!\w){prefix}\s+({alt})(?!\w)", re.IGNORECASE)
    bare = re.compile(rf"(?<!\w)({alt})(?!\w)", re.IGNORECASE)
    return prefixed, bare, by_key


@functools.cache
def ambiguous() -> frozenset[str]:
    return frozenset(key_of(w) for w in load_yaml("ambiguous.yaml").get("names", []))


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
        return by_key[key_of(m.group(1))]
    for m in bare.finditer(text):
        k = key_of(m.group(1))
        if k in ambiguous() and not m.group(1)[0].isupper():
            continue
        return by_key[k]
    return None
