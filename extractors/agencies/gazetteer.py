"""The agency gazetteer compiled into one regex, and the canonical name of each match.

A match is ``[sub-body] (department prefix + department name | body) [locality]``: "Văn phòng UBND tỉnh",
"Sở Lao động - Thương binh và Xã hội", "Công an huyện A Lưới", "Ban Chỉ đạo 138 tỉnh".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from extractors.agencies.data import GAZETTEER, PROVINCES

UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_SP = r"[ \t]+"


def surface_regex(surface: str) -> str:
    """Plain text → regex: spaces match runs of blanks, "-", "&", "," may carry blanks around them."""
    out: list[str] = []
    for ch in surface:
        if ch == " ":
            out.append(_SP)
        elif ch in "-&/":
            out.append(r"[ \t]*" + re.escape(ch) + r"[ \t]*")
        elif ch == ",":
            out.append(r"[ \t]*,")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _key(s: str) -> str:
    return _case_key(s).casefold()


def _case_key(s: str) -> str:
    return re.sub(r"[\s\-&,/]+", "", s)


def _alternation(surfaces: list[str]) -> str:
    uniq = sorted(set(surfaces), key=len, reverse=True)
    return "|".join(surface_regex(s) for s in uniq)


@dataclass(frozen=True)
class Entry:
    canonical: str
    level: str
    locality: str
    province_default: bool
    suffix: str | None
    standalone: bool
    dept_key: str | None = None
    allowed_in: tuple[str, ...] = ()
    unit: str | None = None
    renamed: tuple[tuple[str, str], ...] = ()   # (ISO date, canonical in force from that date), oldest first
    home: str | None = None    # the one province a body of this name belongs to ("Báo Sài Gòn Giải Phóng")
    lower_with_locality: bool = False   # written lower-case, it is this body when a locality word follows
    exact: frozenset[str] = frozenset()  # exact_case: the surfaces' case-sensitive keys; empty: any case


def _entry(d: dict) -> Entry:
    return Entry(canonical=d["canonical"], level=d.get("level", "province"), locality=d.get("locality", "optional"),
                 province_default=bool(d.get("province_default", False)), suffix=d.get("suffix"),
                 standalone=d.get("standalone", True), dept_key=d.get("dept_key"),
                 allowed_in=tuple(d.get("in", ())), unit=d.get("unit"),
                 renamed=tuple(sorted((str(r["from"]), r["canonical"]) for r in d.get("renamed", ()))),
                 home=d.get("home"), lower_with_locality=bool(d.get("lower_with_locality", False)),
                 exact=frozenset(_case_key(s) for s in d["surface"]) if d.get("exact_case") else frozenset())


def _index(items: list[dict]) -> tuple[dict[str, Entry], list[str]]:
    table: dict[str, Entry] = {}
    surfaces: list[str] = []
    for d in items:
        e = _entry(d)
        for s in d["surface"]:
            table[_key(s)] = e
            surfaces.append(s)
        for s in d.get("own", ()):
            table[_key(s)] = replace(e, canonical=s)  # a distinct wording, kept as written
            surfaces.append(s)
    return table, surfaces


SUBS, _sub_s = _index(GAZETTEER["sub_bodies"])
BODIES, _body_s = _index(GAZETTEER["bodies"])
PREFIXES, _pre_s = _index(GAZETTEER["departments"]["prefixes"])
DEPTS, _dept_s = _index(GAZETTEER["departments"]["names"])
LEVELS: dict[str, tuple[str, str]] = {}
FUSED: dict[str, str] = {}  # a locality word fused with its name ("TP.HCM"): key -> the place
for _lv in GAZETTEER["levels"]:
    for _w in _lv["words"]:
        LEVELS[_key(_w)] = (_lv["canonical"], _lv["level"])
        if _lv.get("place"):
            FUSED[_key(_w)] = _lv["place"]
CENTRAL = {_key(c) for c in GAZETTEER["central_cities"]}
PROVINCE_BY_KEY: dict[str, str] = {}
for _p in PROVINCES:
    PROVINCE_BY_KEY.setdefault(_key(_p), _p)
GENERIC = {w.casefold() for w in GAZETTEER["generic_followers"]}
BLOCKED_BEFORE = {w.casefold() for w in GAZETTEER["blocked_before"]}
STANDING_SUBS = frozenset(GAZETTEER["title_subs"]["subs"])
TITLE_BEFORE = re.compile(
    "(?:" + "|".join(re.escape(t).replace(r"\ ", _SP) for t in GAZETTEER["title_subs"]["after"]) + r")[ \t]+$")

_W = rf"[{UPPER}{LOWER}0-9_]"
_CAPWORD = rf"[{UPPER}][{LOWER}]*(?:['’][{UPPER}][{LOWER}]*)?"  # "Nâm N'Jang"
_PROV = _alternation(PROVINCES)
# a unit's number may carry a letter: "Quận 12", "Đội Quản lý thị trường 12B" / "12 B" / "số 5"
_NAME = rf"(?:(?i:{_PROV})(?!{_W})|{_CAPWORD}(?:[ ]{_CAPWORD}){{0,3}}(?![ ]?-[ ]?[{UPPER}])|(?:số[ ])?\d{{1,2}}(?:[ ]?[A-Z])?(?!{_W}))"
_LEVEL_WORDS = sorted({w for lv in GAZETTEER["levels"] for w in lv["words"]}, key=len, reverse=True)
_LEVEL = "|".join(re.escape(w).replace(r"\ ", _SP) for w in _LEVEL_WORDS)
_FUSED = "|".join(re.escape(w).replace(r"\ ", _SP) for lv in GAZETTEER["levels"] if lv.get("place")
                  for w in sorted(lv["words"], key=len, reverse=True))
_BREAKS = "|".join(re.escape(w) for w in GAZETTEER["steering_breaks"])
_TOPICS = "|".join(re.escape(w).replace(r"\ ", _SP)
                   for w in sorted(GAZETTEER["steering_topics"], key=len, reverse=True))

# a unit's code in brackets after its name: "Phòng Cảnh sát điều tra tội phạm về ma túy (PC04)"
UNIT_CODE = re.compile(rf"[ \t]*\((?:{GAZETTEER['unit_code']})\)")
MAIN = re.compile(
    rf"(?<!{_W})(?:(?P<sub>(?i:{_alternation(_sub_s)})){_SP})?"
    rf"(?:(?P<pre>(?i:{_alternation(_pre_s)})){_SP}(?P<dept>(?i:{_alternation(_dept_s)}))"
    rf"|(?P<body>(?i:{_alternation(_body_s)})))(?!{_W})"
)
_UPWORD = rf"[{UPPER}]+(?:['’][{UPPER}]+)?"
_UPNAME = rf"(?:(?i:{_PROV})(?!{_W})|{_UPWORD}(?:[ ]{_UPWORD}){{0,3}}(?!{_W})|\d{{1,2}}(?!{_W}))"
# a heading's locality, in capitals: "UỶ BAN NHÂN DÂN TỈNH NGHỆ AN", "UBND HUYỆN ĐẮK SONG"
LOCALITY_UP = re.compile(rf"{_SP}(?P<lvl>(?i:{_LEVEL}))(?:{_SP}(?P<name>{_UPNAME}))?(?!{_W})")
# the header's two lines: "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN"
LOCALITY_NEXT_LINE = re.compile(rf"[ \t]*\n[ \t]*(?P<lvl>(?i:{_LEVEL}))(?:{_SP}(?P<name>{_UPNAME}))?[ \t]*(?=\n|$)")
LOCALITY = re.compile(rf"{_SP}(?:(?P<fused>(?i:{_FUSED}))|(?P<lvl>(?i:{_LEVEL}))(?:(?:{_SP}|(?<=\.))(?P<name>{_NAME}))?)"
                      rf"(?!{_W})")
DIRECT_NAME = re.compile(rf"{_SP}(?:(?P<fused>(?i:{_FUSED}))(?!{_W})|(?P<name>{_NAME}))")
PROVINCE_DIRECT = re.compile(rf"{_SP}(?P<name>(?i:{_PROV}))(?!{_W})")
STEERING = re.compile(rf"(?:{_SP}(?P<code>\d{{2,4}}|[{UPPER}]{{2,8}}(?!{_W})))?"
                      rf"(?P<desc>(?:{_SP}(?:(?:{_TOPICS})(?!{_W})|(?!(?:{_BREAKS})(?!{_W}))[{LOWER}][{LOWER},\-]*)){{0,20}}?)"
                      rf"(?={_SP}(?i:{_LEVEL})(?!{_W}))")
STEERING_TOPIC = re.compile(rf"{_SP}(?:{_TOPICS})(?!{_W})")
_COMPANY_PREFIX = _alternation(GAZETTEER["companies"]["prefixes"])
_COMPANY_END = _alternation(GAZETTEER["companies"]["endings"])
COMPANY = re.compile(
    rf"(?<!{_W})(?i:{_COMPANY_PREFIX})"
    rf"(?:(?:{_SP}[{UPPER}{LOWER}]+){{0,5}}?{_SP}(?P<place>(?i:{_PROV}|{_COMPANY_END}))"
    rf"|(?:{_SP}{_CAPWORD}){{1,4}})(?!{_W})"
)
COMPANY_ENTRY = Entry(canonical="", level="province", locality="none", province_default=False, suffix=None,
                      standalone=True)
_INST = GAZETTEER["institutions"]
_INST_PREFIX = re.compile(rf"(?i:{_alternation(_INST['prefixes'])})")
_INST_BREAKS = {w.casefold() for w in _INST["breaks"]}
_INST_CAP = rf"(?:{_SP}|[ \t]*-[ \t]*){_CAPWORD}(?!{_W})"
_INST_LOW = rf"{_SP}(?!(?:{_alternation(_INST['breaks'])})(?!{_W}))[{LOWER}]+(?!{_W})"
# a kind word, then capitalized words; lower-case syllables between them, or a tail closing the last word
INSTITUTION = re.compile(
    rf"(?<!{_W})(?i:{_alternation(_INST['prefixes'])})(?={_SP}[{UPPER}])"
    rf"(?:{_SP}{_CAPWORD}(?!{_W})(?:(?:{_INST_LOW}){{0,3}}(?:{_INST_CAP})|{_SP}\d{{1,3}}(?!{_W}))*"
    rf"(?:{_SP}(?:{_alternation(_INST['tails'])})(?!{_W}))?)"
)
INST_PART = re.compile(rf"{_SP}(?P<w>[{UPPER}{LOWER}0-9]+)|[ \t]*-[ \t]*(?P<h>[{UPPER}][{LOWER}]*)")
# "các Sở: Tài chính, Kế hoạch và Đầu tư" / "các Bộ Công an, Quốc phòng": one department prefix for a list of names
LIST_HEAD = re.compile(rf"(?<!{_W})(?i:các){_SP}(?P<pre>(?i:{_alternation(_pre_s)}))[ \t]*:?[ \t]*(?=[{UPPER}])")
LIST_DEPT = re.compile(rf"(?P<dept>(?i:{_alternation(_dept_s)}))(?!{_W})")
LIST_SEP = re.compile(rf"[ \t]*(?:,[ \t]*và|,|;|và)[ \t]*(?=[{UPPER}])")
_WORD = re.compile(r"\w+")
_HAS_UPPER = re.compile(rf"[{UPPER}]")
_FIRST_WORDS = frozenset(_WORD.match(x).group().casefold() for x in _sub_s + _body_s + _pre_s)
# first words of the bodies that may be written lower-case before a locality word ("công an phường")
_LOWER_FIRST = frozenset(_WORD.match(s).group().casefold() for d in GAZETTEER["bodies"]
                         if d.get("lower_with_locality") for s in d["surface"])
GENERIC_UNITS = re.compile(rf"{_SP}các{_SP}(?:(?i:{_LEVEL})(?:[ \t]*,[ \t]*|{_SP}và{_SP}))*")
NAMED_UNIT = re.compile(rf"(?P<lvl>(?i:{_LEVEL})){_SP}(?P<name>{_NAME})(?!{_W})")
UNIT_SEP = re.compile(rf"[ \t]*,[ \t]*|{_SP}và{_SP}")
NEXT_WORD = re.compile(rf"{_SP}(?P<w>[^\s]+)")
PREV_WORD = re.compile(rf"(?P<w>[{UPPER}{LOWER}]+){_SP}$")


@dataclass
class RawAgency:
    start: int
    end: int
    base: str                 # canonical name without locality
    level: str
    level_word: str | None    # canonical locality word ("tỉnh", "huyện") when written
    place: str | None         # the place named after it, properly capitalized
    entry: Entry
    later: tuple[tuple[str, str], ...] = ()   # (ISO date, base from that date): a short name that changed meaning

    def on(self, day: str | None) -> RawAgency:
        """The agency as named on ``day`` (ISO date): "Sở Nông nghiệp" is another department after the 2025 merger."""
        base = self.base
        for since, later in self.later:
            if day and day >= since:
                base = later
        return self if base == self.base else replace(self, base=base, later=())


@lru_cache(maxsize=8)
def _line_info(text: str) -> tuple[tuple[int, ...], tuple[bool, ...]]:
    starts = [0]
    lowered: list[bool] = []
    for m in re.finditer(r"\n", text):
        starts.append(m.end())
    for i, s in enumerate(starts):
        e = starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
        line = text[s:e]
        first = next((k for k, c in enumerate(line) if c.isalpha()), None)
        lowered.append(first is not None and not _HAS_UPPER.search(line, first + 1))
    return tuple(starts), tuple(lowered)


def line_lowered(text: str, pos: int) -> bool:
    starts, lowered = _line_info(text)
    return lowered[bisect.bisect_right(starts, pos) - 1]


def _place_name(raw: str) -> str:
    prov = PROVINCE_BY_KEY.get(_key(raw))
    if prov:
        return prov
    if raw[:1].isdigit() or raw.startswith("số "):  # a unit's number: "12 B", "số 5"
        return re.sub(r"\s+", " ", raw)
    if raw[:1].islower():
        return " ".join(w[:1].upper() + w[1:] for w in raw.split())
    if raw.isupper() and len(raw) > 2:  # a heading's "ĐẮK SONG"
        return " ".join(w[:1] + w[1:].lower() for w in raw.split())
    return re.sub(r"\s+", " ", raw)


def find(text: str, pos: int = 0, endpos: int | None = None, anchored: bool = False) -> list[RawAgency]:
    """Every gazetteer match in ``text[pos:endpos]`` (only one at ``pos`` when anchored)."""
    endpos = len(text) if endpos is None else endpos
    out: list[RawAgency] = []
    it = [MAIN.match(text, pos, endpos)] if anchored else _candidates(text, pos, endpos)
    for m in it:
        if m is None:
            continue
        if out and m.start() < out[-1].end:
            continue  # inside the previous name: "Ủy ban MTTQ Việt Nam (MTTQ) tỉnh"
        raw = _build(text, m)
        if raw is None:
            raw = _shared_locality(text, m)
        if raw is not None:
            out.append(raw)
        else:
            out.extend(_named_after_generic(text, m))
    if not anchored:
        listed = [r for r in _listed_departments(text, pos, endpos)
                  if not any(o.start < r.end and r.start < o.end for o in out)]
        if listed:
            out = sorted(out + listed, key=lambda r: r.start)
        institutions = _institutions(text, pos, endpos)
        if institutions:
            # a proper name that holds a shorter gazetteer match with no place: "Trường Chính trị Trần Phú"
            out = [r for r in out if not any(i.start == r.start and i.end > r.end and r.place is None
                                                 and not r.level_word for i in institutions)]
            out = sorted(out + [c for c in institutions if not any(r.start < c.end and c.start < r.end for r in out)],
                         key=lambda r: r.start)
        companies = _companies(text, pos, endpos)
        if companies:
            out = sorted(out + [c for c in companies if not any(r.start < c.end and c.start < r.end for r in out)],
                         key=lambda r: r.start)
    return out


def _listed_departments(text: str, pos: int, endpos: int) -> list[RawAgency]:
    """ "các Sở: Tài chính, Kế hoạch và Đầu tư": every name of the list is a department of that prefix."""
    out: list[RawAgency] = []
    for h in LIST_HEAD.finditer(text, pos, endpos):
        pre = PREFIXES[_key(h.group("pre"))]
        at = h.end()
        while (d := LIST_DEPT.match(text, at, endpos)) and text[d.start()].isupper():
            dept = DEPTS[_key(d.group("dept"))]
            if pre.dept_key not in dept.allowed_in:
                break
            later = tuple((since, f"{pre.canonical} {name}") for since, name in dept.renamed)
            out.append(RawAgency(start=d.start(), end=d.end(), base=f"{pre.canonical} {dept.canonical}",
                                 level=pre.level, level_word=None, place=None, entry=pre, later=later))
            sep = LIST_SEP.match(text, d.end(), endpos)
            if not sep:
                break
            at = sep.end()
    return out


def _companies(text: str, pos: int, endpos: int) -> list[RawAgency]:
    """Enterprises named in full: "Tập đoàn Điện lực Việt Nam", "Công ty cổ phần cao su Lai Châu"."""
    out: list[RawAgency] = []
    for m in COMPANY.finditer(text, pos, endpos):
        if not text[m.start()].isupper():
            continue
        name = re.sub(r"[ \t]+", " ", m.group(0))
        if m.group("place"):
            name = name[: len(name) - len(m.group("place"))] + _place_name(m.group("place"))
        national = bool(m.group("place")) and _key(m.group("place")) not in PROVINCE_BY_KEY
        out.append(RawAgency(start=m.start(), end=m.end(), base=name, level="national" if national else "province",
                             level_word=None,
                             place=None, entry=COMPANY_ENTRY))
    return out


def _institutions(text: str, pos: int, endpos: int) -> list[RawAgency]:
    """Schools, academies, hospitals named by a proper name: "Trường Đại học Vinh", "Bệnh viện Bạch Mai"."""
    out: list[RawAgency] = []
    for m in INSTITUTION.finditer(text, pos, endpos):
        if not text[m.start()].isupper():
            continue
        end = m.end()
        at = _INST_PREFIX.match(text, m.start()).end()
        last = None
        while at < end and (p := INST_PART.match(text, at, end)):
            w = p.group("w") or p.group("h")
            w_at = p.start("w") if p.group("w") else p.start("h")
            if w[0].islower() and w.casefold() in _INST_BREAKS:
                break
            if last is not None and w[0].isupper() and (o := MAIN.match(text, w_at)) and _build(text, o) is not None:
                break  # another agency's name: "Bệnh viện Bạch Mai, Sở Y tế"
            at = p.end()
            if not w[0].islower() or at == m.end():
                last = at
        if last is None:
            continue
        name = re.sub(r"[ \t]+", " ", text[m.start():last])
        place = next((p for p in PROVINCE_BY_KEY.values() if name.endswith(" " + p)), None)
        out.append(RawAgency(start=m.start(), end=last, base=name, level="province" if place else "national",
                             level_word=None, place=None, entry=COMPANY_ENTRY))
    return out


def _candidates(text: str, pos: int, endpos: int):
    """MAIN's matches, tried only where a word that can open a name starts (much faster than scanning)."""
    after = pos
    for w in _WORD.finditer(text, pos, endpos):
        if w.start() < after or w.group().casefold() not in _FIRST_WORDS:
            continue
        if not w.group()[0].isupper() and w.group().casefold() not in _LOWER_FIRST \
                and not line_lowered(text, w.start()):
            continue  # a name opens with a capital ("báo cáo", "cơ sở" are words, not bodies)
        m = MAIN.match(text, w.start(), endpos)
        if m:
            after = m.end()
            yield m


SHARED_SEP = re.compile(rf"[ \t]*(?:,|-|&|{_SP}và)[ \t]*(?=[{UPPER}])")


def _shared_locality(text: str, m: re.Match, depth: int = 0) -> RawAgency | None:
    """ "HĐND - UBND huyện Thường Tín", "UBND và UB MTTQ Thành phố", "Thường trực Đảng ủy, HĐND, UBND, Ủy ban MTTQ
    phường X": a body that needs a locality shares the one written after the next body of its list."""
    body = m.group("body")
    if not body or depth > 4 or not text[m.start()].isupper():
        return None
    entry = BODIES[_key(body)]
    if entry.locality != "required" or m.group("sub") and depth == 0:
        return None
    sep = SHARED_SEP.match(text, m.end())
    nxt = MAIN.match(text, sep.end()) if sep else None
    if nxt is None:
        return None
    other = _build(text, nxt) or _shared_locality(text, nxt, depth + 1)
    if other is None or not other.level_word or other.entry.locality not in ("required", "optional") \
            or other.entry.dept_key:
        return None
    base = entry.canonical
    return RawAgency(start=m.start(), end=m.end(), base=base, level=other.level, level_word=other.level_word,
                     place=other.place, entry=entry)


def _named_after_generic(text: str, m: re.Match) -> list[RawAgency]:
    """ "Ủy ban nhân dân các huyện, thành phố Mỹ Tho, thị xã Gò Công": the units named after a generic plural."""
    body = m.group("body")
    if not body or not text[m.start()].isupper():
        return []
    entry = BODIES[_key(body)]
    if entry.locality not in ("required", "optional") or m.group("sub"):
        return []
    g = GENERIC_UNITS.match(text, m.end())
    if not g:
        return []
    out: list[RawAgency] = []
    pos = g.end()
    while True:
        u = NAMED_UNIT.match(text, pos)
        if not u:
            break
        word, lvl = LEVELS[_key(u.group("lvl"))]
        place = _place_name(u.group("name"))
        level = "province" if _key(place) in PROVINCE_BY_KEY else ("district" if lvl == "city" else lvl)
        out.append(RawAgency(start=m.start(), end=u.end(), base=entry.canonical, level=level, level_word=word,
                             place=place, entry=entry))
        sep = UNIT_SEP.match(text, u.end())
        if not sep:
            break
        pos = sep.end()
    return out


def _build(text: str, m: re.Match) -> RawAgency | None:
    first = text[m.start()]
    lower = not first.isupper() and not line_lowered(text, m.start())
    if lower and (m.group("sub") or not m.group("body") or not BODIES[_key(m.group("body"))].lower_with_locality):
        return None  # lower-case, only a body such as "công an" before its locality word ("công an phường")
    if m.group("body") and (exact := BODIES[_key(m.group("body"))].exact) \
            and _case_key(m.group("body")) not in exact:
        return None  # "Cảnh sát Kinh tế" as written: "cảnh sát kinh tế" is the force in general
    sub = SUBS.get(_key(m.group("sub"))) if m.group("sub") else None
    start = m.start()
    if sub is not None and sub.canonical in STANDING_SUBS and TITLE_BEFORE.search(text, max(0, start - 30), start):
        sub = None  # "Phó Thủ tướng Thường trực Chính phủ": part of a title, not a body
        start = m.start("pre") if m.group("pre") else m.start("body")
    if m.group("pre"):
        pre = PREFIXES[_key(m.group("pre"))]
        dept = DEPTS[_key(m.group("dept"))]
        if pre.dept_key not in dept.allowed_in:
            return None
        entry = pre
        base = f"{pre.canonical} {dept.canonical}"
        later = tuple((since, f"{pre.canonical} {name}") for since, name in dept.renamed)
    else:
        entry = BODIES[_key(m.group("body"))]
        base = entry.canonical
        later = ()
        if not entry.standalone and sub is None and not _after_cua(text, m.start()):
            return None
    if sub is not None:
        base = f"{sub.canonical} {base}"
        later = tuple((since, f"{sub.canonical} {name}") for since, name in later)
    end = m.end()
    if code := UNIT_CODE.match(text, end):
        end = code.end()
    nxt = NEXT_WORD.match(text, end)
    if nxt and nxt.group("w").casefold().rstrip(",.;:") in GENERIC and nxt.group("w").casefold() in GENERIC \
            and not (entry.locality == "steering" and STEERING_TOPIC.match(text, end)) \
            and not (entry.locality == "name_required" and nxt.group("w").isdigit()):
        return None
    prev = PREV_WORD.search(text, max(0, m.start() - 12), m.start())
    if prev and prev.group("w").casefold() in BLOCKED_BEFORE:
        return None
    level_word = place = None
    level = entry.level
    if entry.locality == "steering":
        st = STEERING.match(text, end)
        code = st.group("code") if st else None
        if code:
            base = f"{base} {code}"
            end = st.end("code")
        desc = _OF_END.sub("", st.group("desc")) if st else ""
        loc_at = st.end() if desc else end
        loc = LOCALITY.match(text, loc_at)
        if loc:
            if desc:
                base = base + re.sub(r"[ \t]+", " ", desc)
            end = loc.end()
            level_word, level, place = _locality(loc)
        elif not code:
            return None
    elif entry.locality in ("optional", "required"):
        loc = LOCALITY.match(text, end)
        if loc is None and _shouting(text[start:end]):
            loc = LOCALITY_NEXT_LINE.match(text, end)
            if loc and not loc.group("lvl").isupper():
                loc = None
        if loc:
            lw = loc.group("lvl") or loc.groupdict().get("fused")
            if loc.re is LOCALITY and loc.group("lvl") and sum(c.isalpha() for c in lw) > 2 and lw.isupper():
                loc = LOCALITY_UP.match(text, end)  # a heading in capitals: its name is in capitals too
            # a capitalized "Huyện" with no name opens the next name ("UBND Huyện ủy"); "UBND Quận 12",
            # "Ủy ban nhân dân Huyện Đắk Song" are the unit's
            elif lw[0].isupper() and LEVELS[_key(lw)][0] != "thành phố" and not line_lowered(text, end) \
                    and not _named(loc.group("name")):
                loc = None
        if loc:
            end = loc.end()
            level_word, level, place = _locality(loc)
        elif lower:
            return None
        else:
            direct = PROVINCE_DIRECT.match(text, end)
            if direct:
                end = direct.end()
                place = _place_name(direct.group("name"))
                level_word = "thành phố" if _key(place) in CENTRAL else "tỉnh"
            elif entry.locality == "required" and sub is None:
                return None
    elif entry.locality == "titled":
        titled = _titled(text, end)
        if titled is None:
            return None
        desc_end, loc = titled
        desc = re.sub(r"[ \t]+", " ", text[end:desc_end].strip())
        base = f"{base} {desc}"
        end = loc.end()
        level_word, level, place = _locality(loc)
    elif entry.locality in ("name", "name_required", "province_name"):
        direct = (PROVINCE_DIRECT if entry.locality == "province_name" else DIRECT_NAME).match(text, end)
        if direct and direct.end() < len(text) and text[direct.end()].isalnum():
            direct = None  # "BÁO CÁO": a capital that opens a longer word is no name
        if direct:
            end = direct.end()
            place = FUSED[_key(direct.group("fused"))] if direct.groupdict().get("fused") \
                else _place_name(direct.group("name"))
        elif entry.locality != "name":
            return None  # "Đồn Biên phòng" needs a name after it, "Báo" a province's
    return RawAgency(start=start, end=end, base=base, level=level, level_word=level_word, place=place,
                     entry=entry, later=later)


_OF_END = re.compile(r"[ \t]+của$")
_TITLED = GAZETTEER["titled"]
_TITLED_WORD = re.compile(rf"(?:[ \t]+|[ \t]*[,\-][ \t]*)(?P<w>[{UPPER}{LOWER}/]+)(?!{_W})")
_TITLED_BREAKS = {w.casefold() for w in _TITLED["breaks"]}
_TITLED_NOT_FIRST = {w.casefold() for w in _TITLED["not_first"]}
_TITLED_NOT_LEVEL = re.compile(rf"{_SP}(?i:{_alternation(_TITLED['not_levels'])})(?!{_W})")


def _titled(text: str, end: int) -> tuple[int, re.Match] | None:
    """ "Trung tâm Xúc tiến Thương mại và Hỗ trợ doanh nghiệp tỉnh": a body named by its task, a capitalized word
    first, then words up to its locality word (which must be written)."""
    pos, words = end, 0
    while words <= _TITLED["max_words"]:
        if words:
            loc = LOCALITY.match(text, pos)
            if loc and not _TITLED_NOT_LEVEL.match(text, pos):
                return pos, loc
        w = _TITLED_WORD.match(text, pos)
        if w is None:
            return None
        word = w.group("w")
        if words == 0 and (not word[0].isupper() or word.casefold() in _TITLED_NOT_FIRST):
            return None
        if word.casefold() in _TITLED_BREAKS:
            return None
        words += 1
        pos = w.end()
    return None


def _shouting(written: str) -> bool:
    """A name written in capitals, not an abbreviation: "ỦY BAN NHÂN DÂN", "CÔNG AN" (not "UBND")."""
    return written.isupper() and " " in written.strip()


def _named(name: str | None) -> bool:
    """A unit's name after a capitalized locality word: a number, or words that open no agency's name."""
    if not name:
        return False
    return name.isdigit() or name.split()[0].casefold() not in _FIRST_WORDS


def _locality(loc: re.Match) -> tuple[str, str, str | None]:
    """(locality word, level, place) of a LOCALITY match: "thành phố Thủ Đức" is a district, "TP.HCM" a province."""
    lw_key = _key(loc.group("lvl") or loc.groupdict().get("fused"))
    level_word, lvl_level = LEVELS[lw_key]
    place = FUSED.get(lw_key) or (_place_name(loc.group("name")) if loc.group("name") else None)
    if lvl_level == "city":  # only a centrally-run city is a province: "thành phố Lào Cai" is a district's peer
        lvl_level = "district" if place and _key(place) not in CENTRAL else "province"
    return level_word, lvl_level, place


def _after_cua(text: str, start: int) -> bool:
    before = text[max(0, start - 40):start]
    return bool(re.search(r"(?:\bcủa|\bvà|,)[ \t]*$", before, re.IGNORECASE)) and bool(
        re.search(r"\bcủa\b", before, re.IGNORECASE))
