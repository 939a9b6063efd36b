"""The quantities extractor's language data (cues.yaml, units.yaml), compiled once into regexes and lookups."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from extractors import numbers as num

_HERE = Path(__file__).resolve().parent


def _alt(items) -> str:
    return "|".join(re.escape(w) for w in sorted(set(items), key=len, reverse=True))


@dataclass(frozen=True)
class Unit:
    unit: str
    money: bool = False
    cents: bool = False
    time: bool = False
    not_before: tuple[str, ...] = ()


@dataclass
class Lexicon:
    cues: dict
    units: dict[str, Unit]            # form (lower-case unless case-sensitive) → unit
    unit_ci: re.Pattern               # unit forms, case-insensitive, anchored at a position
    unit_cs: re.Pattern               # case-sensitive unit forms
    prefix_money: re.Pattern          # currency written before the number: $10, USD1,23, EUR 20, VN$1000
    number: re.Pattern                # a digit run or a phrase of number words
    before_kind: dict[str, tuple[str, str]]
    cue_words: int                    # the most words a cue has
    scale_tail: re.Pattern
    spoken_decimal: re.Pattern
    range_conn: re.Pattern
    range_start_alone: dict[str, str]  # từ 21%, từ đủ 18 tuổi: the bound a range start with no end gives
    level_conn: re.Pattern
    between_conn: re.Pattern
    suffix_cmp: re.Pattern
    suffix_cmp_kind: dict[str, str]
    date_after: re.Pattern
    block_after: re.Pattern
    money_context: re.Pattern
    per_unit: re.Pattern
    distributor: re.Pattern
    shared_cmp: re.Pattern
    time_after: re.Pattern
    plan_before: re.Pattern
    restatement: re.Pattern
    year_before: re.Pattern           # "đến 2030 hộ nghèo": the bare year after it is a year
    multiple_before: re.Pattern       # "gấp 3 so với": the number after it is a multiple, in ``multiple_unit``
    multiple_word: re.Pattern         # "gấp đôi", "gấp rưỡi": a multiple whose number is in the word
    multiple_unit: str
    multiple_lead: re.Pattern         # a lead of ``multiple_word`` anywhere: a text without one is not scanned for it
    multiple_values: dict[str, float]
    change_fraction: re.Pattern       # "giảm một nửa": a change word and a fraction in words (``fraction_values``)
    fraction_unit: str
    fraction_word: re.Pattern         # a word of ``change_fraction`` anywhere: likewise
    fraction_values: dict[str, float]
    ambiguous: frozenset[str]
    lone_units: frozenset[str]


def _before_cues(cues: dict) -> dict[str, tuple[str, str]]:
    """Every cue that may stand right before a number, with what it means: (role, value)."""
    kind: dict[str, tuple[str, str]] = {}
    for w in cues["block_before"]:
        kind[w] = ("block", "")
    for w in cues["ordinal_before"]:
        kind[w] = ("block", "")
    for w in cues["phone_cues"]:
        kind[w] = ("block", "")
    for w in cues["soft_block_before"]:
        kind[w] = ("soft", "")
    for w in cues["vague_before"]:
        kind[w] = ("vague", "")
    for w in cues["range_starts"]:
        kind[w] = ("range", "")
    for c, words in cues["comparators"].items():
        for w in words:
            kind[w] = ("cmp", c)
    for c, words in cues["changes"].items():
        for w in words:
            kind[w] = ("change", c)
    for w in cues["not_cues"]:
        kind[w] = ("none", "")
    return {" ".join(k.lower().split()): v for k, v in kind.items()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    cues = yaml.safe_load((_HERE / "cues.yaml").read_text(encoding="utf-8"))
    data = yaml.safe_load((_HERE / "units.yaml").read_text(encoding="utf-8"))
    units: dict[str, Unit] = {}
    ci: list[str] = []
    cs: list[str] = []
    money_forms: list[str] = []
    for entry in data["units"]:
        u = Unit(entry["unit"], entry.get("money", False), entry.get("cents", False), entry.get("time", False),
                 tuple(entry.get("not_before", ())))
        for form in entry["forms"]:
            if entry.get("case_sensitive"):
                cs.append(form)
                units[form] = u
            else:
                ci.append(form)
                units.setdefault(form.lower(), u)
            if u.money and not form[0].islower():
                money_forms.append(form)
    end = r"(?![^\W\d_])"  # a unit ends where no letter follows (digits may: m2, km2)

    def unit_pat(forms: list[str], flags: int) -> re.Pattern:
        words = [f for f in forms if f[-1].isalnum()]
        signs = [f for f in forms if not f[-1].isalnum()]
        parts = []
        if words:
            parts.append(r"(?:" + _alt(words) + r")" + end)
        if signs:
            parts.append(r"(?:" + _alt(signs) + r")")
        return re.compile(r"[ \t]?(" + "|".join(parts) + r")", flags)

    before_kind = _before_cues(cues)
    sign_forms = [f for f in money_forms if f not in ("đ",)]
    scale = num.SCALE_WORD
    digits = num.DIGIT_RUN
    word = num.NUMBER_WORD
    return Lexicon(
        cues=cues,
        units=units,
        unit_ci=unit_pat(ci, re.IGNORECASE),
        unit_cs=unit_pat(cs, 0),
        prefix_money=re.compile(r"(" + _alt(sign_forms) + r")[ \t]?$"),
        number=re.compile(
            r"(?:(?<![^\W_])(?:" + _alt(code for code in money_forms if code[0].isupper()) + r")[ \t]?(?=\d|,\d)"
            r"|(?<![\d_]))(?P<d>" + digits + r")"
            r"|(?P<w>(?<![^\W\d_])" + word + r"(?:[ \t]+" + word + r")*)", re.IGNORECASE),
        before_kind=before_kind,
        cue_words=max(len(k.split()) for k in before_kind),
        scale_tail=re.compile(r"(?:[ \t]*" + scale + r")+", re.IGNORECASE),
        spoken_decimal=re.compile(r"[ \t]+(?:" + _alt(num.DECIMAL_POINTS) + r")[ \t]+(?:(\d+)|(" + word + r"))",
                                  re.IGNORECASE),
        range_conn=re.compile(r"[ \t]*(?:(?:" + _alt(w for w in cues["range_connectors"] if w[0].isalpha())
                              + r")[ \t]+(?:(?:" + _alt(cues["range_top_bounds"]) + r")[ \t]+)?|[" + "".join(re.escape(w) for w in cues["range_connectors"]
                                                     if not w[0].isalpha()) + r"][ \t]*)", re.IGNORECASE),
        range_start_alone={" ".join(k.lower().split()): v for k, v in cues["range_start_alone"].items()},
        level_conn=re.compile(r"[ \t]+(?:" + _alt(cues["level_connectors"]) + r")[ \t]+", re.IGNORECASE),
        between_conn=re.compile(r"[ \t]+(?:" + _alt(cues["between_connectors"]) + r")[ \t]+", re.IGNORECASE),
        suffix_cmp=re.compile(r"[ \t]+(" + _alt(w for ws in cues["suffix_comparators"].values() for w in ws)
                              + r")(?!\w)", re.IGNORECASE),
        suffix_cmp_kind={w: c for c, ws in cues["suffix_comparators"].items() for w in ws},
        date_after=re.compile(r"[ \t]*(?:" + _alt(cues["date_after"]) + r")(?!\w)", re.IGNORECASE),
        block_after=re.compile(r"[ \t]*(?:" + _alt(cues["block_after"]) + r")(?!\w)", re.IGNORECASE),
        money_context=re.compile(r"(?<!\w)(?:" + _alt(cues["money_context"]) + r")(?!\w)", re.IGNORECASE),
        per_unit=re.compile(r"[ \t]*/[ \t]*(?P<base>\d[\d.]*[ \t]*)?(?:(?:" + _alt(cues["per_unit_scales"])
                            + r")[ \t]+)?(?P<word>[^\W\d_]+)", re.IGNORECASE),
        distributor=re.compile(r"[ \t]*(?:,|và)[ \t]*$", re.IGNORECASE),
        shared_cmp=re.compile(r"[ \t]+(?:" + _alt(w for w in cues["distributors"] if w[0].isalpha()) + r")[ \t]+",
                              re.IGNORECASE),
        time_after=re.compile(r"[ \t]+(?:" + _alt(cues["time_after"]) + r")(?!\w)|[ \t]+\d"),
        plan_before=re.compile(r"(?<!\w)(?:" + _alt(cues["plan_names"]) + r")(?!\w)[^.;:\n\d]{0,60}$", re.IGNORECASE),
        restatement=re.compile(r"(?:\([ \t]*|(?:" + _alt(cues["restatement_cues"]) + r")[ \t]*:?[ \t]*)$",
                               re.IGNORECASE),
        year_before=re.compile(r"(?<!\w)(?:" + _alt(cues["year_before"]) + r")[ \t]+$", re.IGNORECASE),
        multiple_before=re.compile(r"(?<!\w)(?:" + _alt(cues["multiples"]["leads"]) + r")[ \t]+$", re.IGNORECASE),
        multiple_word=re.compile(r"(?<!\w)(?:" + _alt(cues["multiples"]["leads"]) + r")[ \t]+(?P<w>"
                                 + _alt(cues["multiples"]["words"]) + r")(?!\w)", re.IGNORECASE),
        multiple_unit=cues["multiples"]["unit"],
        multiple_lead=re.compile(_alt(cues["multiples"]["leads"]), re.IGNORECASE),
        multiple_values={k.lower(): v for k, v in cues["multiples"]["words"].items()},
        change_fraction=re.compile(r"(?<!\w)(?P<c>" + _alt(w for ws in cues["changes"].values() for w in ws)
                                   + r")[ \t]+(?P<w>" + _alt(cues["change_fractions"]["words"]) + r")(?!\w)",
                                   re.IGNORECASE),
        fraction_unit=cues["change_fractions"]["unit"],
        fraction_word=re.compile(_alt(cues["change_fractions"]["words"]), re.IGNORECASE),
        fraction_values={" ".join(k.lower().split()): v for k, v in cues["change_fractions"]["words"].items()},
        ambiguous=frozenset(cues["ambiguous_words"]),
        lone_units=frozenset(cues["lone_word_units"]),
    )


_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")


def _scale_or_unit_after(text: str, pos: int, accept: Callable[[Unit], bool]) -> bool:
    """Whether a scale word, or a unit of units.yaml that ``accept`` takes (and not before one of its
    ``not_before`` words), follows ``pos``."""
    lx = lexicon()
    sc = lx.scale_tail.match(text, pos)
    if sc is not None and sc.end() > pos:
        return True
    for pat in (lx.unit_cs, lx.unit_ci):
        m = pat.match(text, pos)
        if m is None:
            continue
        u = lx.units.get(m.group(1)) or lx.units.get(m.group(1).lower())
        if u is None or not accept(u):
            continue
        nxt = _NEXT_WORD.match(text, m.end())
        if nxt is None or nxt.group(1).lower() not in u.not_before:
            return True
    return False


def counted_after(text: str, pos: int) -> bool:
    """Whether a scale word or a measure word / counted noun of units.yaml (other than a duration) follows ``pos``:
    the number ending there is a quantity ("đến 2000 đồng", "2025 người", "15 triệu", "2020 %"), never a year."""
    return _scale_or_unit_after(text, pos, lambda u: not u.time)


def money_after(text: str, pos: int) -> bool:
    """Whether a scale word or a currency follows ``pos``: "đến 2000 đồng", "đến 2100 triệu" are amounts even where
    a bare year would be read after the same word ("đến 2030 hộ nghèo giảm": cues.yaml year_before)."""
    return _scale_or_unit_after(text, pos, lambda u: u.money)
