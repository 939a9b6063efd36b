"""Dates and periods (ANNOTATION.md §2): one mention per expression, an inclusive ISO interval and a grain.

All language knowledge is in lexicon.yaml; grammar.py compiles it to one regex; reading.py resolves what matched
against the document's own date (``ctx.doc_date``). Spans already claimed (cited documents) are skipped.
"""

from __future__ import annotations

from datetime import date, timedelta

from corpus.model import DateMention, DateValue
from extractors.context import Context
from extractors.dates.calendar import span_units, unit_bounds
from extractors.dates.grammar import DEADLINE, END_OF, OPEN, RANGE_A, RANGE_B, SINGLE, grammar
from extractors.dates.lexicon import key, lexicon
from extractors.dates.reading import (
    Atom,
    bare_ok,
    explicit_year,
    lowercase_follows,
    read_atom,
    resolve,
    year_after_lead,
    year_range_from,
)
from extractors.locations.match import body_end
from extractors.quantities.lexicon import counted_after

Value = tuple[date | None, date | None, str]
# _value returns a Value, None (the place names no date) or False (this reading is wrong, try the next one)
_DAYLIKE = ("dmy", "ymd", "dmty", "dmt", "dm", "dmb")


def extract(text: str, ctx: Context) -> list[DateMention]:
    out: list[DateMention] = []
    ref = ctx.doc_date
    g = grammar()
    pos = 0
    limit = body_end(text)  # the "related news" of a web page belong to other articles
    while (m := g.master.search(text, pos, limit)) is not None:
        pos = m.end() if m.end() > m.start() else m.start() + 1
        name = m.lastgroup
        if name == "stop":
            continue
        value = _value(m, name, text, ref)
        if value is False:  # another reading of the same place: "ngày 02-12/2013" is no range
            value = None
            for alt in g.alone[g.names.index(name) + 1:]:
                m2 = alt.match(text, m.start())
                if m2 is not None and (v := _value(m2, m2.lastgroup, text, ref)):
                    m, name, value = m2, m2.lastgroup, v
                    pos = m.end()
                    break
        if not value:
            continue
        s, e = m.span(name)
        if ctx.is_taken(s, e):
            continue
        start, end, grain = value
        out.append(DateMention(start=s, end=e, text=text[s:e], normalized=DateValue(
            start=start.isoformat() if start else None, end=end.isoformat() if end else None, grain=grain)))
        if name == "sg" and grain == "year":
            pos = max(pos, _listed_years(text, e, ctx, out))
        elif name == "sg" and m.group("s_sy") is not None:
            pos = max(pos, _listed_school_years(text, e, ctx, out))
    return out


def _value(m, name: str, text: str, ref: date | None) -> Value | None | bool:  # noqa: C901 - one branch per alternative
    # only the groups that took part (a handful of the grammar's hundreds): each atom read then scans just these
    gd = {n: v for n, v in m.groupdict().items() if v is not None}
    if name == "range":
        return _range(m, gd, text, ref)
    if name == "open":
        a = read_atom(gd, m.span, "o_", OPEN)
        v = resolve(a, ref) if a else None
        return (v[1] if gd.get("op_se") else v[0], None, "period") if v else None
    if name == "dnow":
        return (None, ref, "deadline") if ref else None
    if name == "dl":
        a = read_atom(gd, m.span, "e_", DEADLINE)
        if a is None or not (bare_ok(a, text) or year_after_lead(a, text)) or (a.kind == "unit" and not gd.get("dl_eo")):
            return None
        v = resolve(a, ref)
        return (None, v[1], "deadline") if v else None
    if name == "eo":
        a = read_atom(gd, m.span, "c_", END_OF)
        v = resolve(a, ref) if a else None
        return (None, v[1], "deadline") if v else None
    if name == "moy":
        return _months_of_year(gd, ref)
    if name == "ns":
        return _n_units(gd, ref)
    if name == "dp":
        a = read_atom(gd, m.span, "p_", ("dmy", "ymd", "dmty", "dmt", "dm", "dmb", "relday", "podrel", "hol", "wd",
                                         "fo"))
        if a is None:
            return None
        prefixed = gd.get("dp_clock") or gd.get("dp_pod") or gd.get("dp_suf")
        if not prefixed and not bare_ok(a, text):
            return None
        if a.kind == "wd" and not prefixed and not _weekday_alone(a, text, m.start(name)):
            return None
        return resolve(a, ref)
    if name == "sg":
        a = read_atom(gd, m.span, "s_", SINGLE)
        return resolve(a, ref, year_hint=_listed_year(a, text, ref)) if a else None
    return None


def _listed_years(text: str, pos: int, ctx: Context, out: list[DateMention]) -> int:
    """"năm 2024 và 2025", "các năm 2021, 2022": the bare years listed after a year are years too (not before a
    counted noun: "năm 2023, 2024 hộ"). Returns where the list ends."""
    g = grammar()
    while (m := g.more_year.match(text, pos)) is not None and not counted_after(text, m.end()) \
            and not ctx.is_taken(m.start("y"), m.end()):
        y = int(m.group("y"))
        out.append(DateMention(start=m.start("y"), end=m.end(), text=m.group("y"), normalized=DateValue(
            start=date(y, 1, 1).isoformat(), end=date(y, 12, 31).isoformat(), grain="year")))
        pos = m.end()
    return pos


def _listed_school_years(text: str, pos: int, ctx: Context, out: list[DateMention]) -> int:
    """"các năm học 2021-2022, 2022-2023": the pairs of years listed after a school year are school years too."""
    while (m := grammar().more_school_year.match(text, pos)) is not None and not ctx.is_taken(m.start("sy"), m.end()):
        v = resolve(Atom("sy", m.start("sy"), m.end(), {"y": m.group("y"), "y2": m.group("y2")}), None)
        if v is None:
            break
        out.append(DateMention(start=m.start("sy"), end=m.end(), text=m.group("sy"), normalized=DateValue(
            start=v[0].isoformat(), end=v[1].isoformat(), grain=v[2])))
        pos = m.end()
    return pos


def _listed_year(a: Atom, text: str, ref: date | None) -> int | None:
    """"quý I và quý II năm 2024", "tháng 6, 7/2024": the first month or quarter has the year of the list's end."""
    if a.kind not in ("mon", "qtr") or a.get("fut") is not None or explicit_year(a, ref) is not None:
        return None
    m = grammar().listed_year.match(text, a.end)
    return int(m.group("y")) if m else None


def _weekday_alone(a: Atom, text: str, start: int) -> bool:
    """"thứ hai" alone is an ordinal ("Thứ hai, ..." = secondly); it is a day with a modifier, a date or a lead."""
    if a.get("wk") or a.get("mod") or a.get("date"):
        return True
    lx = lexicon()
    if key(a.get("n")) in {key(w) for w in lx["weekdays_alone"]}:
        return True
    before = text[max(0, start - 12):start].split()
    return bool(before) and key(before[-1]) in {key(w) for w in lx["weekday_leads"]}


def _range(m, gd: dict, text: str, ref: date | None) -> Value | None | bool:  # noqa: C901
    a = read_atom(gd, m.span, "a_", RANGE_A)
    b = read_atom(gd, m.span, "b_", RANGE_B)
    if a is None or b is None:
        return False
    led = bool(gd.get("rg_lead")) or a.kind in ("yr", "sy")   # "năm 2006 - 2010 theo ..." is no count
    if a.kind == "yb" and b.kind not in ("yb", "yr"):
        return False
    if b.kind == "yb" and a.kind not in ("yb", "yr"):
        return False
    if a.kind == "d" and b.kind not in _DAYLIKE:
        return False
    if b.kind == "my" and a.kind != "mon":
        return False
    if not led and b.kind in ("dmb", "yb") and lowercase_follows(text, b.end) \
            and not (gd.get("rg_from") and year_range_from(a, b, text)):
        return False
    if b.kind == "now":
        va = resolve(a, ref)
        return (va[1] if gd.get("rg_se") else va[0], ref, "period") if va else None
    if b.kind == "unit":
        va = resolve(a, ref)
        if va is None or not gd.get("rg_eo"):
            return False
        unit = {"năm": "year", "tháng": "month"}.get(key(b.get("u")), "quarter")
        return va[0], unit_bounds(unit, va[0])[1], "period"
    yb = explicit_year(b, ref)
    month_hint = None
    if a.kind == "d":
        vb0 = resolve(b, ref)
        if vb0 is None:
            return None
        month_hint = vb0[0].month
        yb = yb or vb0[0].year
    va = resolve(a, ref, year_hint=yb, month_hint=month_hint)
    if va is None:
        return None
    vb = resolve(b, ref, year_hint=explicit_year(a, ref) or va[0].year)
    if vb is None:
        return None
    if a.kind == "yb" and b.kind == "yb" and vb[0].year - va[0].year > 100:
        return None
    if not (va[0] <= vb[0] and va[1] <= vb[1] and va[0] < vb[1]):
        return None
    return (va[1] if gd.get("rg_se") else va[0]), vb[1], "period"


def _months_of_year(gd: dict, ref: date | None) -> Value | None:
    lx = lexicon()
    raw = key(gd["moy_n"])
    n = int(raw) if raw.isdigit() else lx["number_words"].get(raw)
    fl = key(gd["moy_fl"]) if gd.get("moy_fl") else None
    if gd.get("moy_y"):
        y = int(gd["moy_y"])
    elif gd.get("moy_yr") and ref:
        y = ref.year + lx["relative"]["offsets"][key(gd["moy_yr"])]
    elif fl and ref:
        y = ref.year
    else:
        return None
    if n is None or not 1 <= n <= 12:
        return None
    if fl in {key(w) for w in lx["months_of_year"]["last"]}:
        return unit_bounds("month", date(y, 13 - n, 1))[0], date(y, 12, 31), "period"
    return date(y, 1, 1), unit_bounds("month", date(y, n, 1))[1], "period"


def _n_units(gd: dict, ref: date | None) -> Value | None:
    if ref is None:
        return None
    lx = lexicon()
    raw = key(gd["ns_n"])
    n = int(raw) if raw.isdigit() else lx["number_words"].get(raw)
    if not n:
        return None
    u = key(gd["ns_u"])
    ld = lx["leads"]
    future = key(gd["ns_d"]) in {key(w) for w in lx["relative"]["span_future"]}
    if gd.get("ns_sub"):
        days = -(-n * lx["relative"]["subday_units"][u] // 86400)
        return (ref, ref + timedelta(days=days - 1), "period") if future else (
            ref - timedelta(days=days - 1), ref, "period")
    unit = ("day" if u in {key(w) for w in ld["day"]} else "week" if u in {key(w) for w in ld["week"]}
            else "month" if u in {key(w) for w in ld["month"]} else "quarter" if u in {key(w) for w in ld["quarter"]}
            else "year")
    s, e = span_units(unit, ref, n, future)
    return s, e, "period"
