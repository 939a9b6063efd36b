"""The one compiled regex of the dates extractor, built from lexicon.yaml.

An *atom* is a single date-like unit (a day, a month, a quarter, a year, a relative unit). Atoms are written with a
prefix so that the same atom can appear in several top-level alternatives (single, start and end of a range, after
a deadline lead) with distinct group names. The top-level alternatives are tried in order at each position, longest
constructions first; a match that fails validation yields nothing (``32/13/2023`` is no date, not ``2/13/20``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.dates.lexicon import lexicon, words

NB = r"(?<![\w/.,])"          # a number does not continue a word, a fraction, a decimal or a document number
NA = r"(?![\w/]|[.,]\d)"      # ... and is not continued
WB = r"(?<!\w)"
WE = r"(?!\w)"
Y4 = r"(?:1[89]|2[01])\d\d"

# which atoms each role may use
SINGLE = ("sem", "sy", "mon", "qtr", "yr", "rel", "wk", "fo", "season")
DAYS = ("dmy", "ymd", "dmty", "dmt", "dm", "dmb", "relday", "podrel", "hol", "wd", "fo")
RANGE_A = ("sy", "dmy", "ymd", "dmty", "dmt", "dm", "dmb", "d", "mon", "qtr", "yr", "yb", "rel")
RANGE_B = ("sy", "dmy", "ymd", "dmty", "dmt", "dm", "dmb", "mon", "my", "qtr", "yr", "yb", "rel", "now", "unit")
OPEN = ("sem", "sy", "dmy", "ymd", "dmty", "dmt", "dm", "mon", "qtr", "yr", "rel")
DEADLINE = ("sem", "sy", "dmy", "ymd", "dmty", "dmt", "dm", "dmb", "mon", "qtr", "yr", "yb", "rel", "unit")
END_OF = ("sem", "sy", "mon", "qtr", "yr", "rel", "unit")
WD_DATE = ("dmy", "dmty", "dmt", "dm", "dmb")


class Grammar:
    def __init__(self) -> None:
        lx = lexicon()
        ld = lx["leads"]
        rel = lx["relative"]
        self.lx = lx
        self.day = words(ld["day"])
        self.month = words(ld["month"])
        self.quarter = words(ld["quarter"])
        self.year = words(ld["year"])
        self.month_words = words(lx["month_words"])
        self.quarter_words = words(lx["quarter_words"])
        self.number_words = words(lx["number_words"])
        self.offsets = words(rel["offsets"])
        self.units = words(rel["units"])
        self.of = words(ld["of"])
        self.pod = rf"(?:{words(ld['part_of_day_buoi'])}\s+)?{words(ld['part_of_day'])}"
        units = words(ld["clock_units"])
        minutes = words(ld["clock_minutes"])
        self.clock = (
            rf"(?:{words(ld['clock_lead'])}\s+)?{NB}(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?"
            rf"|\d{{1,2}}\s*{units}(?:\s*\d{{1,2}}(?:\s*{minutes})?{WE}|\s*{words(ld['clock_half'])}{WE}"
            rf"|\s+{words(ld['clock_to'])}\s+\d{{1,2}}{WE}|{WE}))(?:\s+{self.pod})?{WE}"
        )
        blockers = "".join(rf"(?<!{re.escape(b)} )" for b in rel["blockers_before"])
        self.rel_prefix = rf"{WB}(?<!\d )(?<!\d){blockers}"
        joiner = words(ld["list_joiners"])
        item = rf"(?:(?:{self.month}|{self.quarter})\s+)?(?:\d{{1,2}}|[ivx]+)(?!\w)"
        # the rest of a list after a month or quarter with no year, up to the year it ends with
        self.listed_year = re.compile(rf"(?:\s*{joiner}\s*{item})+(?:\s*[/-]\s*|\s+{self.year}\s+)(?P<y>{Y4})(?!\d)",
                                      re.IGNORECASE)
        # one more year of a list after a year: "năm 2024 và 2025", "các năm 2021, 2022"
        self.more_year = re.compile(rf"\s*{joiner}\s*(?P<y>{Y4})(?![\d/\-–]|[.,]\d)", re.IGNORECASE)
        # one more school year of a list after a school year: "các năm học 2021-2022, 2022-2023"
        self.more_school_year = re.compile(rf"\s*{joiner}\s*(?P<sy>(?P<y>{Y4})\s*[-–—/]\s*(?P<y2>{Y4}|\d\d)){NA}",
                                           re.IGNORECASE)
        alts = self._alternatives()
        # every alternative begins a word: the guard in front makes positions inside a word fail at once, and the
        # lookahead on the possible first words makes other word starts fail before any alternative is tried
        self.master = re.compile(rf"(?<!\w)(?=\w)(?={first_words(lx)})(?:" + "|".join(alts) + ")", re.IGNORECASE)
        # each alternative alone, to read a span another way when the first reading is structurally wrong
        self.alone = [re.compile(a, re.IGNORECASE) for a in alts]
        self.names = [min(r.groupindex, key=r.groupindex.get) for r in self.alone]

    # ------------------------------------------------------------------ atoms
    def yearspec(self, p: str) -> str:
        return (rf"(?:\s*[/-]\s*(?=\d)|\s+(?:{self.of}\s+)?{self.year}\s+)"
                rf"(?:(?P<{p}y>{Y4})(?!\d)|(?P<{p}yr>{self.offsets}){WE})")

    def mw(self, p: str) -> str:
        return rf"(?:(?P<{p}m>\d{{1,2}})(?!\d)|(?P<{p}mw>{self.month_words}){WE})"

    def kind(self, p: str, k: str) -> str:  # noqa: C901 - one branch per atom kind
        q = f"{p}{k}_"
        lx, ld, rel = self.lx, self.lx["leads"], self.lx["relative"]
        daylead = rf"{WB}(?P<{q}lead>{self.day}(?:\s+{self.day})?)\s+"
        if k == "dmy":
            body = (rf"(?:{daylead})?{NB}(?P<{q}d>\d{{1,2}})(?:(?P<{q}s>[/.-])(?P<{q}m>\d{{1,2}})(?P={q}s)"
                    rf"(?P<{q}y>{Y4}|\d\d)|[/-](?P<{q}m2>\d{{1,2}})[/-](?P<{q}y2>{Y4})){NA}")
        elif k == "ymd":
            body = rf"{NB}(?P<{q}y>{Y4})-(?P<{q}m>\d\d)-(?P<{q}d>\d\d){NA}"
        elif k == "dmty":
            body = rf"{NB}(?P<{q}d>\d{{1,2}})\s+{self.month}\s+{self.mw(q)}\s*,?{self.yearspec(q)}{NA}"
        elif k == "dmt":
            body = rf"{daylead}(?P<{q}d>\d{{1,2}})\s+{self.month}\s+{self.mw(q)}(?:\s*,?{self.yearspec(q)})?{NA}"
        elif k == "dm":
            body = rf"{daylead}{NB}(?P<{q}d>\d{{1,2}})/(?P<{q}m>\d{{1,2}}){NA}"
        elif k == "dmb":
            body = rf"{NB}(?P<{q}d>\d{{1,2}})/(?P<{q}m>\d{{1,2}}){NA}"
        elif k == "d":
            body = rf"{daylead}{NB}(?P<{q}d>\d{{1,2}}){NA}"
        elif k == "mon":
            body = (rf"{WB}{self.month}\s+{self.mw(q)}(?:{self.yearspec(q)}|(?P<{q}fut>\s+tới{WE}))?"
                    rf"(?![\w/]|[.,]\d)")
        elif k == "my":
            body = rf"{NB}(?P<{q}m>\d{{1,2}})/(?P<{q}y>{Y4}){NA}"
        elif k == "qtr":
            body = (rf"{WB}{self.quarter}\s+(?P<{q}q>\d{{1,2}}|[ivx]+|{self.quarter_words}){WE}"
                    rf"(?:{self.yearspec(q)})?(?![\w/]|[.,]\d)")
        elif k == "yr":
            body = rf"{WB}{self.year}\s+(?P<{q}y>{Y4}){NA}"
        elif k == "sy":  # a school year: "năm học 2023-2024", "niên khóa 2020 - 2024"; "năm học 2023" (one year)
            body = (rf"{WB}(?P<{q}syl>{words(lx['school_year']['leads'])})\s+(?P<{q}y>{Y4})"
                    rf"(?:\s*[-–—/]\s*(?P<{q}y2>{Y4}|\d\d)|(?!\s*[-–—/]\s*\d)){NA}")
        elif k == "sem":  # a semester of a school year: "học kỳ I năm học 2023-2024"
            sm = lx["school_year"]["semesters"]
            body = (rf"{WB}{words(sm['leads'])}\s+(?P<{q}n>{words(sm['semester_numbers'])}){WE}\s*,?\s*"
                    rf"(?:{self.of}\s+)?{self.kind(q + 'x', 'sy')}")
        elif k == "yb":
            body = rf"{NB}(?P<{q}y>(?:19|20)\d\d){NA}"
        elif k == "rel":
            body = rf"{self.rel_prefix}(?P<{q}u>{self.units})\s+(?P<{q}o>{self.offsets}){WE}"
        elif k == "wk":
            body = rf"{WB}(?P<{q}w>{words(rel['weeks'])}){WE}"
        elif k == "relday":
            body = rf"{WB}(?P<{q}r>{words(rel['days'])}){WE}"
        elif k == "podrel":
            body = rf"{WB}{self.pod}\s+(?P<{q}r>{words(rel['after_part_of_day'])}){WE}"
        elif k == "hol":
            body = rf"{WB}(?P<{q}h>{words(lx['holidays'])}){WE}"
        elif k == "now":
            body = rf"{WB}{words(ld['now'])}{WE}"
        elif k == "unit":
            body = (rf"{WB}(?P<{q}u>{self.year}|{self.month}|{self.quarter}){WE}"
                    rf"(?!\s*\d|\s+(?:{self.offsets}|{self.month_words}|{self.quarter_words}){WE})")
        elif k == "wd":
            mods = rf"{words(rel['weekday_next'])}|{words(rel['weekday_last'])}|{words(rel['weekday_this'])}"
            date = self.atom(q + "x", WD_DATE)
            body = (rf"{WB}(?P<{q}n>{words(lx['weekdays'])}){WE}"
                    rf"(?:\s+(?:{self.of}\s+)?(?P<{q}wk>{words(rel['weeks'])}){WE}"
                    rf"|\s+(?P<{q}mod>{mods}){WE}|\s*,?\s+(?P<{q}date>{date}))?")
        elif k == "season":
            body = (rf"{WB}(?P<{q}s>{words(lx['seasons'])})\s+(?:{self.year}\s+)?"
                    rf"(?:(?P<{q}y>{Y4})(?!\d)|(?P<{q}yr>{self.offsets}){WE})")
        elif k == "fo":
            body = (rf"{WB}(?P<{q}u>{self.day}|{words(ld['week'])})\s+"
                    rf"(?P<{q}w>{words(ld['first_of'])}|{words(ld['last_of'])})\s+(?:{self.of}\s+)?"
                    rf"(?P<{q}mon>{self.kind(q + 'x', 'mon')})")
        else:  # pragma: no cover
            raise ValueError(k)
        return rf"(?P<{p}{k}>{body})"

    def atom(self, p: str, kinds: tuple[str, ...]) -> str:
        return "(?:" + "|".join(self.kind(p, k) for k in kinds) + ")"

    # ------------------------------------------------------------------ top level
    def _alternatives(self) -> list[str]:
        lx, ld, rel = self.lx, self.lx["leads"], self.lx["relative"]
        cont = rf"(?P<{{p}}cont>\s+{words(ld['continuation'])}{WE})?"
        start_of = rf"(?:(?P<{{p}}so>{words(ld['range_start_of'])})|(?P<{{p}}se>{words(ld['range_from_end_of'])}))"
        end_of = words(ld["range_end_of"])
        conn = "|".join(re.escape(c) if not c[0].isalpha() else rf"{WB}{words([c])}{WE}"
                        for c in sorted(ld["range_connectors"], key=len, reverse=True))
        alts = [
            rf"(?P<stop>{WB}(?:{'|'.join(lx['not_dates'])}){WE})",
            (rf"(?P<range>(?:{WB}(?P<rg_lead>{words(ld['period'])})\s+)?(?:{WB}(?P<rg_from>{words(ld['range_open'])})"
             rf"\s+)?(?:{start_of.format(p='rg_')}\s+)?{self.atom('a_', RANGE_A)}\s*(?P<rg_conn>{conn})\s*"
             rf"(?:(?P<rg_eo>{end_of})\s+)?{self.atom('b_', RANGE_B)}{cont.format(p='rg_')})"),
            (rf"(?P<open>{WB}{words(ld['range_open'])}\s+(?:{start_of.format(p='op_')}\s+)?{self.atom('o_', OPEN)}"
             rf"{cont.format(p='op_')})"),
            rf"(?P<dnow>{WB}{words(ld['deadline_now'])}\s+{words(ld['now'])}{WE})",
            (rf"(?P<dl>{WB}(?P<dl_lead>{words(ld['deadline'])})\s+(?:(?P<dl_eo>{end_of})\s+)?"
             rf"{self.atom('e_', DEADLINE)}{cont.format(p='dl_')})"),
            rf"(?P<eo>{WB}{words(ld['end_of'])}\s+{self.atom('c_', END_OF)})",
            (rf"(?P<moy>{NB}(?P<moy_n>0?[1-9]|1[0-2]|{self.number_words})\s+{self.month}\s+"
             rf"(?:(?P<moy_fl>{words(lx['months_of_year']['first'])}|{words(lx['months_of_year']['last'])})\s+)?"
             rf"{self.year}(?:\s+(?:(?P<moy_y>{Y4})|(?P<moy_yr>{self.offsets}){WE}))?{NA})"),
            (rf"(?P<ns>{NB}(?P<ns_n>\d{{1,2}}|{self.number_words})\s+(?P<ns_u>{self.day}|{words(ld['week'])}"
             rf"|{self.month}|{self.quarter}|{self.year}|(?P<ns_sub>{words(rel['subday_units'])}))\s+(?P<ns_d>{words(rel['span_future'])}"
             rf"|{words(rel['span_past'])}){WE})"),
            (rf"(?P<dp>(?:(?P<dp_clock>{self.clock})\s*,?\s+)?(?:(?P<dp_pod>{WB}{self.pod}){WE}\s*,?\s+)?"
             rf"{self.atom('p_', DAYS)}(?P<dp_suf>\s*,?\s+(?:vào\s+)?lúc\s+{self.clock})?)"),
            rf"(?P<sg>{self.atom('s_', SINGLE)})",
        ]
        return alts


# lexicon lists whose words never open an expression: they follow a lead or a number, or are looked up around a
# match (blockers before a unit, the word before a weekday) rather than matched at its start
_NEVER_FIRST = frozenset({"blockers_before", "continuation", "of", "clock_units", "clock_minutes", "clock_half",
                          "clock_to", "first_of", "last_of", "range_connectors", "range_end_of", "months_of_year",
                          "span_future", "span_past", "weekday_next", "weekday_last", "weekday_this", "offsets",
                          "after_part_of_day", "subday_units", "month_words", "quarter_words", "weekday_leads",
                          "weekdays_alone", "now", "list_joiners", "semester_numbers", "single_year"})


def first_words(lx: dict) -> str:
    """A pattern for how any expression can begin: a digit, or the first word of a lexicon phrase that can open
    one (every alternative opens with a number or such a phrase); for the not-dates patterns, their opening
    words."""
    found: set[str] = set()

    def walk(value, name: str = "") -> None:
        if name in _NEVER_FIRST:
            return
        if isinstance(value, dict):
            for k, v in value.items():
                if str(k) in _NEVER_FIRST:
                    continue
                walk(str(k), name)       # a phrase with its value, or a section's name (a harmless extra word)
                walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v, name)
        elif isinstance(value, str):
            tokens = value.split()
            if tokens and re.fullmatch(r"[^\W\d_]+", tokens[0]):
                found.add(tokens[0].lower())

    for name, value in lx.items():
        if name == "not_dates":
            for pattern in value:
                opening = re.split(r"\\s", pattern, maxsplit=1)[0]
                found.update(w.lower() for w in re.findall(r"[^\W\d_]+", opening))
        else:
            walk(value, name)
    return rf"\d|{trie(found)}(?!\w)"


def trie(items: set[str]) -> str:
    """An alternation of words as a trie (one character tried per branch): fails fast where a flat alternation
    tries every word. Matching case-insensitively, the words are lower-cased."""
    root: dict = {}
    for w in items:
        node = root
        for ch in w.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return "(?:" + build(root) + ")"


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    return Grammar()
