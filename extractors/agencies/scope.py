"""The document's own administrative unit, which implicit agency names refer to.

"Công an tỉnh" in a Nghệ An plan is "Công an tỉnh Nghệ An"; "Hội Nông dân" in a report of huyện Thường Tín is that
district's. The province comes from the metadata, else from the provinces the text names (preferring the kind of unit
its implicit names speak of: "UBND tỉnh" → a province, "UBND thành phố" → a centrally-run city), or, when it names
none, from a body only one province has (gazetteer `home`: "Đài Tiếng nói Nhân dân thành phố" is Ho Chi Minh City's).
The home unit is a district when the first implicit people's committee, council or party committee is a district's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extractors.agencies.gazetteer import (
    _FUSED,
    _PROV,
    _SP,
    _W,
    CENTRAL,
    FUSED,
    PROVINCE_BY_KEY,
    RawAgency,
    _key,
)

_NAMED_PROVINCE = re.compile(rf"(?<!{_W})(?:(?i:tỉnh|thành{_SP}phố|tp\.?){_SP}(?P<name>(?i:{_PROV}))"
                             rf"|(?P<fused>(?i:{_FUSED})))(?!{_W})")
_DISTRICT_WORDS = frozenset({"huyện", "quận", "thị xã"})
_HOME_BASES = frozenset({"Ủy ban nhân dân", "Hội đồng nhân dân"})


@dataclass(frozen=True)
class Scope:
    province: str | None
    central: bool
    home_word: str | None = None    # "huyện", "quận", "thị xã" when the document is a district's
    home_place: str | None = None   # that district's name, when the text gives it


def infer_province(text: str, raws: list[RawAgency]) -> str | None:
    """The province the text is about when the metadata does not say: the one it names most often."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in _NAMED_PROVINCE.finditer(text):
        name = FUSED[_key(m.group("fused"))] if m.group("fused") else PROVINCE_BY_KEY.get(_key(m.group("name")))
        if name:
            counts[name] += 1
            first.setdefault(name, m.start())
    homes = Counter(r.entry.home for r in raws if r.entry.home)
    if not counts and not homes:
        return None
    implicit = Counter(r.level_word for r in raws if r.level_word and not r.place)
    if not implicit and not any(r.entry.dept_key == "department" and not r.place for r in raws):
        return None  # no "UBND tỉnh", "Sở Y tế" left implicit: a national or foreign text, not a local one
    want_central = None
    if implicit["tỉnh"] != implicit["thành phố"]:
        want_central = implicit["thành phố"] > implicit["tỉnh"]
    if not counts:
        # no province named: a body only one province has ("Báo Sài Gòn Giải Phóng") says whose text it is
        pool = [n for n in homes if want_central is None or (_key(n) in CENTRAL) == want_central]
        return max(pool, key=lambda n: homes[n]) if pool else None
    pool = [n for n in counts if want_central is None or (_key(n) in CENTRAL) == want_central] or list(counts)
    return max(pool, key=lambda n: (counts[n], -first[n]))


def _unique(names: set[str]) -> str | None:
    return next(iter(names)) if len(names) == 1 else None


def home_unit(raws: list[RawAgency], named: dict[str, set[str]]) -> tuple[str | None, str | None]:
    """(locality word, name) of the district the document belongs to, or (None, None) for a province's."""
    for r in raws:
        if r.place:
            continue
        if r.base in _HOME_BASES and r.level_word:
            word = r.level_word
        elif r.entry.unit:
            word = r.entry.unit
        else:
            continue
        if word not in _DISTRICT_WORDS:
            return None, None
        return word, _unique(named.get(word, set()))
    return None, None
