"""From a regex match to dates: read the atoms a top-level alternative matched, then resolve them to intervals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from extractors.dates.calendar import month_end, quarter_bounds, unit_bounds
from extractors.dates.grammar import grammar
from extractors.dates.lexicon import key, lexicon
from extractors.quantities.lexicon import counted_after, money_after

Interval = tuple[date, date, str]
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_LOWER_NEXT = re.compile(r"\s*(?:[^\W\d_A-ZÀ-ỸĐ]|%)")


@dataclass
class Atom:
    kind: str
    start: int
    end: int
    g: dict  # the match's groups of this atom, prefix stripped

    def get(self, name: str) -> str | None:
        return self.g.get(name)


def read_atom(gd: dict, spans, p: str, kinds: tuple[str, ...]) -> Atom | None:
    for k in kinds:
        if gd.get(p + k) is not None:
            q = f"{p}{k}_"
            sub = {n[len(q):]: v for n, v in gd.items() if n.startswith(q) and v is not None}
            if "m2" in sub:  # mixed separators "02-12/2013"
                sub["m"], sub["y"] = sub.pop("m2"), sub.pop("y2")
            s, e = spans(p + k)
            return Atom(k, s, e, sub)
    return None


def lowercase_follows(text: str, end: int) -> bool:
    """A bare number followed by a lower-case word (a counted noun: "27/27 xã"), % or a measure word of the
    quantities' units ("đến 2000 đồng", "2025 Người") is no date."""
    return (_LOWER_NEXT.match(text, end) is not None and not text[end:end + 1].isupper()) or counted_after(text, end)


def _int(v: str | None) -> int | None:
    return int(v) if v is not None else None


def _month(a: Atom) -> int | None:
    if a.get("m") is not None:
        return int(a.get("m"))
    if a.get("mw") is not None:
        return lexicon()["month_words"].get(key(a.get("mw")))
    return None


def _year(a: Atom, ref: date | None, hint: int | None) -> int | None:
    y = a.get("y")
    if y is not None:
        v = int(y)
        if len(y) == 2:
            v += 1900 if v >= 50 else 2000
        return v
    if a.get("yr") is not None:
        return ref.year + lexicon()["relative"]["offsets"][key(a.get("yr"))] if ref else None
    if hint is not None:
        return hint
    return ref.year if ref else None


def explicit_year(a: Atom, ref: date | None) -> int | None:
    if a.get("y") is None and a.get("yr") is None:
        return None
    return _year(a, ref, None)


def _day(y: int | None, m: int | None, d: int | None) -> Interval | None:
    if y is None or m is None or d is None:
        return None
    try:
        x = date(y, m, d)
    except ValueError:
        return None
    return x, x, "day"


def _weekday(a: Atom, ref: date | None) -> Interval | None:
    lx = lexicon()
    rel = lx["relative"]
    n = lx["weekdays"][key(a.get("n"))]
    if a.get("date") is not None:
        inner = read_atom(a.g, lambda _n: (a.start, a.end), "x", _WD_KINDS)
        return resolve(inner, ref) if inner else None
    if ref is None:
        return None
    if a.get("wk") is not None:
        start = unit_bounds("week", ref, rel["weeks"][key(a.get("wk"))])[0]
        d = start + timedelta(days=n)
    elif a.get("mod") is not None:
        mod = key(a.get("mod"))
        if mod in {key(w) for w in rel["weekday_next"]}:
            d = ref + timedelta(days=(n - ref.weekday() - 1) % 7 + 1)
        elif mod in {key(w) for w in rel["weekday_last"]}:
            d = ref - timedelta(days=(ref.weekday() - n - 1) % 7 + 1)
        else:
            d = unit_bounds("week", ref)[0] + timedelta(days=n)
    else:
        d = ref + timedelta(days=(n - ref.weekday()) % 7)
    return d, d, "day"


_WD_KINDS = ("dmy", "dmty", "dmt", "dm", "dmb")


def resolve(a: Atom, ref: date | None, year_hint: int | None = None,  # noqa: C901 - one branch per kind
            month_hint: int | None = None) -> Interval | None:
    """The interval an atom names, or None when it is impossible or needs a document date that is missing."""
    lx = lexicon()
    rel = lx["relative"]
    k = a.kind
    if k in ("dmy", "ymd", "dmty", "dmt", "dm", "dmb", "d"):
        m = _month(a) if k != "d" else month_hint
        return _day(_year(a, ref, year_hint), m, _int(a.get("d")))
    if k in ("mon", "my"):
        m = _month(a)
        if m is None or not 1 <= m <= 12:
            return None
        if a.get("fut") is not None and ref is not None and explicit_year(a, ref) is None:
            y = ref.year if m > ref.month else ref.year + 1
        else:
            y = _year(a, ref, year_hint)
        if y is None:
            return None
        return date(y, m, 1), month_end(y, m), "month"
    if k == "qtr":
        raw = key(a.get("q"))
        qn = int(raw) if raw.isdigit() else ROMAN.get(raw) or lx["quarter_words"].get(raw) or {
            key(w): v for w, v in lx["quarter_words"].items()}.get(raw)
        y = _year(a, ref, year_hint)
        if qn is None or not 1 <= qn <= 4 or y is None:
            return None
        s, e = quarter_bounds(y, qn)
        return s, e, "quarter"
    if k == "sy":
        return _school_year(a)
    if k == "sem":
        return _semester(a)
    if k in ("yr", "yb"):
        y = int(a.get("y"))
        return date(y, 1, 1), date(y, 12, 31), "year"
    if k == "wd":
        return _weekday(a, ref)
    if k == "fo":
        inner = read_atom(a.g, lambda _n: (a.start, a.end), "x", ("mon",))
        return None if inner is None else _first_of(a, inner, ref)
    if k == "season":
        return _season(a, ref)
    if ref is None:
        return None
    if k == "rel":
        unit = rel["units"][key(a.get("u"))]
        s, e = unit_bounds(unit, ref, rel["offsets"][key(a.get("o"))])
        return s, e, unit
    if k == "wk":
        s, e = unit_bounds("week", ref, rel["weeks"][key(a.get("w"))])
        return s, e, "week"
    if k == "relday":
        d = ref + timedelta(days=rel["days"][key(a.get("r"))])
        return d, d, "day"
    if k == "podrel":
        d = ref + timedelta(days=rel["after_part_of_day"][key(a.get("r"))])
        return d, d, "day"
    if k == "hol":
        m, d = lx["holidays"][key(a.get("h"))]
        return _day(ref.year, m, d)
    if k == "now":
        return ref, ref, "day"
    if k == "unit":
        unit = {"năm": "year", "tháng": "month"}.get(key(a.get("u")), "quarter")
        s, e = unit_bounds(unit, ref)
        return s, e, unit
    return None


def _school_year(a: Atom) -> Interval | None:
    """"năm học 2023-2024": from the school year's opening in the first year to its close in the last (lexicon);
    "năm học 2023": the school year that opens (single_year: first) or closes in that year."""
    sy = lexicon()["school_year"]
    y1, raw = int(a.get("y")), a.get("y2")
    if raw is None:
        if key(a.get("syl") or "") not in {key(w) for w in sy["single_year_leads"]}:
            return None
        y1, y2 = (y1, y1 + 1) if sy["single_year"] == "first" else (y1 - 1, y1)
    else:
        y2 = int(raw) if len(raw) == 4 else y1 // 100 * 100 + int(raw)
    if not 0 < y2 - y1 <= sy["max_years"]:
        return None
    (m1, d1), (m2, d2) = sy["start"], sy["end"]
    return date(y1, m1, d1), date(y2, m2, d2), "period"


def _semester(a: Atom) -> Interval | None:
    """"học kỳ I năm học 2023-2024": the term's part of a one-year school year (lexicon school_year semesters)."""
    inner = read_atom(a.g, lambda _n: (a.start, a.end), "x", ("sy",))
    year = _school_year(inner) if inner is not None else None
    sm = lexicon()["school_year"]["semesters"]
    n = {key(k): v for k, v in sm["semester_numbers"].items()}.get(key(a.get("n")))
    if year is None or year[1].year - year[0].year != 1 or str(n) not in sm["bounds"]:
        return year
    (m1, d1), (m2, d2) = sm["bounds"][str(n)]
    s = date(year[0].year if (m1, d1) >= (year[0].month, year[0].day) else year[1].year, m1, d1)
    e = date(year[0].year if (m2, d2) >= (year[0].month, year[0].day) else year[1].year, m2, d2)
    return max(s, year[0]), min(e, year[1]), "period"


def _season(a: Atom, ref: date | None) -> Interval | None:
    (m1, d1), (m2, d2) = lexicon()["seasons"][key(a.get("s"))]
    y = explicit_year(a, ref)
    wraps = (m1, d1) > (m2, d2)
    if y is None:
        return None
    if ref and wraps and a.get("y") is None and a.get("yr") is not None and key(a.get("yr")) in ("này", "nay") \
            and (ref.month, ref.day) <= (m2, d2):
        y -= 1  # "mùa đông này" in February: the winter that began last December
    return date(y, m1, d1), date(y + 1 if wraps else y, m2, d2), "period"


def _first_of(a: Atom, inner: Atom, ref: date | None) -> Interval | None:
    month = resolve(inner, ref)
    if month is None:
        return None
    s, e, _ = month
    last = key(a.get("w")) in {key(w) for w in lexicon()["leads"]["last_of"]}
    if key(a.get("u")) in {key(w) for w in lexicon()["leads"]["week"]}:
        if last:
            end = e - timedelta(days=(e.weekday() + 1) % 7)
            return end - timedelta(days=6), end, "week"
        start = s + timedelta(days=(7 - s.weekday()) % 7)
        return start, start + timedelta(days=6), "week"
    d = e if last else s
    return d, d, "day"


def bare_ok(a: Atom, text: str) -> bool:
    """Bare numbers (no lead word) are dates only when not followed by a counted noun."""
    if a.kind in ("dmb", "yb", "dmy") and not a.get("lead"):
        return not lowercase_follows(text, a.end)
    return True


def year_after_lead(a: Atom, text: str) -> bool:
    """A bare year right after a deadline word is a year even before a lower-case word ("Đến 2025 có 90% xã",
    "đến 2030 hộ nghèo giảm"), unless an amount of money follows ("hỗ trợ đến 2000 đồng", "đến 2100 triệu"); so is
    a whole day with its year ("Tính đến 31/12/2023 có 1.250 người")."""
    return a.kind in ("yb", "dmy") and not money_after(text, a.end)


def year_range_from(a: Atom, b: Atom, text: str) -> bool:
    """"Từ 2021 đến 2025 có thêm 50 xã": two bare years after "từ" are a period when nothing counted follows."""
    return a.kind == "yb" and b.kind == "yb" and not counted_after(text, b.end)


__all__ = ["Atom", "read_atom", "resolve", "bare_ok", "year_after_lead", "year_range_from", "explicit_year", "grammar"]
