"""Province names: the 63 provinces before the 2025 reorganization and the 34 after, from vietnamadminunits' data.

``canonical_province("nghe an") == "Nghệ An"``; a unit that kept its code keeps one name (``Thừa Thiên Huế`` → ``Huế``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files

from search_api.textutil import fold

_PREFIXES = ("thanh pho ", "tinh ", "tp. ", "tp ")


def _key(name: str) -> str:
    k = " ".join(fold(name).replace(".", ". ").split())
    for p in _PREFIXES:
        if k.startswith(p):
            k = k[len(p):]
            break
    return k.replace(" ", "")


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    data = files("vietnamadminunits") / "data"
    new = json.loads((data / "parser_from_2025.json").read_text("utf-8"))["DICT_PROVINCE"]
    old = json.loads((data / "parser_legacy.json").read_text("utf-8"))["DICT_PROVINCE"]
    by_code_new = {v["provinceCode"]: v["provinceShort"] for v in new.values()}
    table: dict[str, str] = {}
    for src in (old, new):
        for v in src.values():
            name = by_code_new.get(v["provinceCode"], v["provinceShort"])
            for k in [*v["provinceKeywords"], _key(v["provinceShort"]), _key(v["province"])]:
                if len(k) > 2:  # 'hn', 'hcm' style abbreviations are too ambiguous
                    table.setdefault(k, name)
            table[_key(v["provinceShort"])] = name
    table.update({_key(v["provinceShort"]): v["provinceShort"] for v in new.values()})
    by_code_old = {v["provinceCode"]: v["provinceShort"] for v in old.values()}
    aliases = json.loads((files("search_api") / "province_aliases.json").read_text("utf-8"))
    for alias, code in aliases.items():
        if not alias.startswith("_") and (code in by_code_new or code in by_code_old):
            table[_key(alias)] = by_code_new.get(code) or by_code_old[code]
    return table


def canonical_province(name: str | None) -> str | None:
    """The canonical short name of a province named in any common way; None when it is not a province."""
    if not name:
        return None
    return _table().get(_key(name))


def all_provinces() -> list[str]:
    return sorted(set(_table().values()))
