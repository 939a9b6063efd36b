"""Link mentions into indicators (ANNOTATION.md §6): for each quantity, what it measures (subject), when
(period), where (location), who (agencies) and whether it is a target, a reported figure or a baseline; plus
the goals that have a deadline and an outcome but no number.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import yaml

from corpus.model import (
    AgencyMention,
    DateMention,
    Document,
    Indicator,
    IndicatorAgency,
    IndicatorPlace,
    LocationMention,
    Period,
    QuantityMention,
    Section,
)
from extractors.dates.calendar import add_months, month_end, unit_bounds
from extractors.indicators.sentences import Spans, clause_bounds, sentence_spans
from extractors.indicators.tables import table_indicators
from extractors.indicators.wordlists import PERIOD_GRAINS, WORD, alternation

CUES_PATH = Path(__file__).with_name("cues.yaml")


@lru_cache
def cues() -> dict:
    return yaml.safe_load(CUES_PATH.read_text(encoding="utf-8"))



def _unit_words(c: dict) -> str:
    """The alternation of the kind words written before a place's name (cues.yaml place_unit_words), longest first."""
    return "|".join(re.escape(w) for w in sorted(c.get("place_unit_words", []), key=len, reverse=True)) or "(?!)"


@lru_cache
def patterns() -> dict[str, re.Pattern[str]]:
    c = cues()
    return {
        "target": alternation(c["target"]),
        "reported": alternation(c["reported"]),
        "target_heading": alternation(c["target_headings"]),
        "reported_heading": alternation(c["reported_headings"]),
        "task_heading": alternation(c["task_headings"]),
        "cue_exception": re.compile("|".join(f"(?:{x})" for x in c.get("cue_exceptions", [])) or r"(?!)",
                                    re.IGNORECASE),
        "baseline_before": re.compile("|".join(c.get("baseline_patterns", [])) or r"(?!)", re.IGNORECASE),
        "change_result": alternation(c.get("change_result_words", [])),
        "null_outcome": alternation(c["null_target_outcomes"]),
        "recurring": alternation(c.get("recurring_words", [])),
        "qualifier_head": re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(re.escape(w) for w in c.get("qualifier_heads", []))
                                     + r")\s*$", re.IGNORECASE) if c.get("qualifier_heads") else re.compile(r"(?!)"),
        "means_heading": alternation(c.get("means_headings", [])),
        "page_end": re.compile(r"^[ \t]*(?:" + "|".join(re.escape(w) for w in c.get("page_end_markers", []))
                               + r")[ \t]*:?[ \t]*$", re.IGNORECASE | re.MULTILINE)
        if c.get("page_end_markers") else re.compile(r"(?!)"),
        "null_goal": alternation(c["null_target_goal_words"]),
        "deadline_lead": re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(re.escape(w) for w in c.get("deadline_leads", []))
                                    + r")\s+$", re.IGNORECASE) if c.get("deadline_leads") else re.compile(r"(?!)"),
        **{f"list_{k}": alternation(c.get("list_headings", {}).get(k, []),
                                    frame=r"^\W*(?:(?:một số|những|các)\s+)?(?:{})(?![\wÀ-ỹ])")
           for k in ("target", "reported")},
        "place_break": re.compile("|".join(re.escape(w) for w in c.get("place_scope_breaks", [])) or r"(?!)"),
        "place_after_lead": re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(re.escape(w) for w in c.get("place_after_leads", []))
                                       + rf")\s+(?:các\s+)?(?:(?:{_unit_words(c)})\s+)?$", re.IGNORECASE)
        if c.get("place_after_leads") else re.compile(r"(?!)"),
        # between two places of a chain written together ("phường 6, thành phố Mỹ Tho") or listed ("xã A và xã B")
        "place_chain_gap": re.compile(rf"[\s,]*(?:(?:{_unit_words(c)})\s+)?", re.IGNORECASE),
        "place_list_gap": re.compile(rf"[\s,]*(?:(?:và|hoặc)\s+)?(?:(?:{_unit_words(c)})\s+)?", re.IGNORECASE),
        "subject_stop": alternation(c["subject_stops"]),
        "subject_joiner": alternation(c.get("subject_joiners", [])),
        "comparison_lead": re.compile(r"(?:" + "|".join(re.escape(w) for w in c.get("comparison_leads", []))
                                      + r")\s*$", re.IGNORECASE) if c.get("comparison_leads") else re.compile(r"(?!)"),
        "shared_deadline_lead": re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(
            re.escape(w) for w in sorted(c.get("shared_deadline_leads", []), key=len, reverse=True))
            + r")\s+(?:hết\s+|cuối\s+)?năm\b", re.IGNORECASE) if c.get("shared_deadline_leads") else re.compile(r"(?!)"),
        "per_time": alternation(c.get("per_time_units", []), r"\s*/\s*(?:{})(?![\wÀ-ỹ])"),
        "lead_drop": re.compile(r"^(?:(?:" + "|".join(re.escape(w) for w in c.get("subject_lead_drop", []))
                                + r")\s+)+", re.IGNORECASE),
    }


# ------------------------------------------------------------------------------------------------ context
class LinkContext:
    """Everything about a document the linker looks up, indexed once."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.text = doc.text
        self.sentences: Spans = sentence_spans(doc.text)
        self.dates: list[DateMention] = [m for m in doc.mentions if isinstance(m, DateMention)]
        self.places: list[LocationMention] = [m for m in doc.mentions if isinstance(m, LocationMention)]
        self.agencies: list[AgencyMention] = [m for m in doc.mentions if isinstance(m, AgencyMention)]
        self.quantities: list[QuantityMention] = [m for m in doc.mentions if isinstance(m, QuantityMention)]
        self._date_starts = [m.start for m in self.dates]
        self._place_starts = [m.start for m in self.places]
        self._agency_starts = [m.start for m in self.agencies]
        self._quantity_ends = sorted(m.end for m in self.quantities)
        self._quantity_starts = [m.start for m in self.quantities]
        self.headings = _flatten(doc.sections)
        dt = (doc.metadata.doc_type or "").casefold()
        self.target_doc = dt in {t.casefold() for t in cues()["target_doc_types"]}
        self.doc_date = doc.metadata.issued_date or doc.metadata.published_date
        self.doc_period = self._own_period()
        self.document_agencies = _document_agencies(self)
        self.doc_place = _doc_place(self)
        end = patterns()["page_end"].search(self.text)
        self.body_end = end.start() if end else len(self.text)

        self.list_heads = _list_heads(self)
        self.listed: dict[tuple[int, int], str | None] = {}  # list_kind of each figure, once read

    def _own_period(self) -> DateMention | None:
        """The document's own period: a year, period or deadline named in its title ("Kế hoạch … năm 2024")."""
        title = self.doc.metadata.title
        at = self.text.find(title[:80]) if title else -1
        if at < 0:
            return None
        inside = [d for d in self.dates if at <= d.start and d.end <= at + len(title)]
        periods = [d for d in inside if d.normalized.grain in PERIOD_GRAINS]
        # a monthly plan or report ("kế hoạch công tác tháng 03 năm 2010") is governed by its month
        months = [d for d in inside if d.normalized.grain == "month"]
        return periods[-1] if periods else (months[-1] if months else None)

    def within(self, items: list, starts: list[int], lo: int, hi: int) -> list:
        i = bisect.bisect_left(starts, lo)
        j = bisect.bisect_left(starts, hi)
        return [m for m in items[i:j] if m.end <= hi]

    def attached_before(self, d: DateMention) -> bool:
        """Whether a quantity ends right before the date, with only glue words between."""
        i = bisect.bisect_left(self._quantity_ends, d.start + 1) - 1
        if i < 0:
            return False
        return self.belongs(self._quantity_ends[i], d)

    def belongs(self, figure_end: int, d: DateMention) -> bool:
        """Whether the date is written right after the figure ending at ``figure_end``, with only glue words
        between, or alone in a parenthesis after it ("831 tỷ đồng (tính đến tháng 9-2015)")."""
        if _glued(self.text, figure_end, d.start):
            return True
        # past an aside in parentheses after the figure ("7.800 hộ (chiếm 3,1%) năm 2023")
        aside = _ASIDE_AFTER.match(self.text, figure_end, d.start)
        if aside and _glued(self.text, aside.end(), d.start):
            return True
        return (_glued(self.text, figure_end, d.start, attached=True)
                and self.text[d.end:d.end + 2].lstrip().startswith(")"))

    def sections_at(self, pos: int) -> list[Section]:
        return [s for s in self.headings if s.start <= pos < s.end]


_LINE = re.compile(r"^[ \t]*(?P<mark>[-*+•]|\(?[a-zđ]{1,2}[.)]|[IVXLC]{1,6}[.)]|\d{1,2}(?:\.\d{1,2})*[.)])?[ \t]*"
                   r"(?P<title>[^\n]*?)[ \t]*$", re.MULTILINE)
_HEAD_LINE_MAX = 100
_TOP = re.compile(r"^[ \t]*(?:[IVXLC]{1,6}|(?i:[ivxlc]{2,6}))[ \t]?[.)][ \t]", re.MULTILINE)


_ALPHA = re.compile(r"\(?[a-zđ]{1,2}[.)]", re.IGNORECASE)


def _caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


@lru_cache(maxsize=1)
def _weak_cues() -> frozenset[str]:
    return frozenset(w.casefold() for w in cues().get("weak_cues", []))


def _list_kind(title: str) -> str | None:
    """"target" or "reported" when a title opens a list of plans or of results (cues.yaml list_headings); of two
    ("Kết quả thực hiện mục tiêu"), the one the title begins with."""
    p = patterns()
    for kind in ("target", "reported"):
        if p[f"list_{kind}"].search(title.strip()):
            return kind
    return None


def _head_line(m: re.Match) -> bool:
    """A short line that reads as a heading: it ends with a colon, is in capitals, or is numbered (1., 2.1., II.)."""
    title, mark = m.group("title"), m.group("mark") or ""
    return (title.endswith(":") or _caps(title)
            or (mark[:1].isalnum() and not _ALPHA.fullmatch(mark) and not title.endswith((".", ";"))))


def _list_heads(ctx: LinkContext) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each list of plans or results: a section whose title opens one, or a short line of its
    own ("Mục tiêu cụ thể đến năm 2025:", "2. Mục tiêu cụ thể") reaching to the next line that reads as a heading
    (one of a list of plans or results, or a short line ending with a colon, in capitals or numbered), within its
    section."""
    # a first-rank heading (I., II., or a line in capitals) closes any list, even one the section reader runs on
    # past it (a lower-case "Ii." is no section heading)
    tops = sorted({m.start() for m in _TOP.finditer(ctx.text)}
                  | {m.start() for m in _LINE.finditer(ctx.text) if len(m.group(0)) <= _HEAD_LINE_MAX
                     and _caps(m.group(0))})
    out = []
    for sec in ctx.headings:
        if (kind := _list_kind(sec.title)) is not None:
            after = [t for t in tops if t > ctx.text.find("\n", sec.start) >= 0]
            out.append((sec.start, min([sec.end] + after[:1]), kind))
    starts = {s.start for s in ctx.headings}
    lines = [m for m in _LINE.finditer(ctx.text) if m.group("title") and len(m.group(0)) <= _HEAD_LINE_MAX]
    heads = [(m, _list_kind(m.group("title"))) for m in lines]
    heads = [(m, k) for m, k in heads if k and len(m.group("title")) <= 60 or _head_line(m)]
    for i, (m, kind) in enumerate(heads):
        if kind is None or m.start() in starts:
            continue
        end = heads[i + 1][0].start() if i + 1 < len(heads) else len(ctx.text)
        inner = [s for s in ctx.headings if s.start <= m.start() < s.end]
        if inner:
            end = min(end, inner[-1].end)
        end = min([end] + [s.start for s in ctx.headings if m.end() < s.start < end and not _ALPHA.fullmatch(s.label)])
        out.append((m.start(), end, kind))
    return out


def list_kind(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int]) -> str | None:
    """The kind of the innermost list of plans or results holding the figure, when its sentence has before it no
    cue of the other kind but weak ones ("có", "đạt", "bảo đảm"): a strong word ("đã", "tính đến") is not
    overruled."""
    # asked by the rules and again when the model's kinds are weighed: read once per figure
    key = (q.start, q.end)
    if key not in ctx.listed:
        ctx.listed[key] = _list_kind_of(ctx, q, sent)
    return ctx.listed[key]


def _list_kind_of(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int]) -> str | None:
    around = [(s, e, k) for s, e, k in ctx.list_heads if s <= q.start < e]
    if not around:
        return None
    kind = max(around)[2]
    other = "reported" if kind == "target" else "target"
    p = patterns()
    left = ctx.text[max(sent[0], q.start - 90):q.start] + re.match(r"\D*", q.text).group(0)
    left = p["cue_exception"].sub(lambda m: " " * len(m.group(0)), left)
    if any(m.group(0).casefold() not in _weak_cues() for m in p[other].finditer(left)):
        return None
    return kind


def _flatten(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    stack = list(sections)
    while stack:
        s = stack.pop()
        out.append(s)
        stack.extend(s.children)
    out.sort(key=lambda s: s.start)
    return out


# ------------------------------------------------------------------------------------------------ kind
def rule_kind(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int]) -> str:
    """The rule baseline: the change pattern, then the nearest cue before the figure in its sentence,
    then the governing date against the document's date, then the section heading, then the document type."""
    p = patterns()
    # the words of the mention before its number ("giảm từ 8,5%", "ít nhất 500 người", "tối thiểu 80%")
    lead = re.match(r"\D*", q.text).group(0)
    if _change_baseline(ctx, q, sent):
        return "baseline"
    # the words of the mention before its number are the nearest cue
    if lead.strip() and p["target"].search(lead):
        return "target"
    listed = list_kind(ctx, q, sent)
    if listed is not None:
        return listed
    cue = nearest_cue(ctx, q, sent)
    if cue is not None:
        return cue[0]
    for sec in reversed(ctx.sections_at(q.start)):
        if p["target_heading"].search(sec.title):
            return "target"
        if p["reported_heading"].search(sec.title):
            return "reported"
    return "target" if ctx.target_doc else "reported"


def _change_baseline(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int]) -> bool:
    """Whether the figure is the earlier one of a change ("giảm từ 36 xuống còn 28 người")."""
    p = patterns()
    text = ctx.text
    before = text[max(sent[0], q.start - 12):q.start] + re.match(r"\D*", q.text).group(0)
    # the date of the earlier figure may stand between it and the result ("từ 8,5% năm 2021 xuống còn 4,2%")
    rest = q.end
    # and an aside in parentheses ("giảm từ 12.500 hộ (chiếm 5,2%) năm 2021 xuống còn 7.800 hộ")
    if aside := _ASIDE_AFTER.match(text, rest, sent[1]):
        rest = aside.end()
    for d in ctx.within(ctx.dates, ctx._date_starts, q.end, min(sent[1], q.end + 60)):
        if not text[rest:d.start].strip(" ,"):
            rest = d.end
    after = text[rest:min(sent[1], rest + 14)]
    return bool(p["baseline_before"].search(before) and p["change_result"].match(after.lstrip(" ,")))


def nearest_cue(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int]) -> tuple[str, str] | None:
    """(kind, words) of the cue nearest before the figure in its sentence (within 90 characters); of two ending
    together the longer ("đã hỗ trợ" over "hỗ trợ"). A cue word inside an exception ("giao thông", "đạt 104% kế
    hoạch") is no cue."""
    p = patterns()
    left = ctx.text[max(sent[0], q.start - 90):q.start]
    left = p["cue_exception"].sub(lambda m: " " * len(m.group(0)), left)
    best: tuple[int, int, str, str] | None = None
    for kind in ("target", "reported"):
        for m in p[kind].finditer(left):
            if best is None or (m.end(), -m.start()) > best[:2]:
                best = (m.end(), -m.start(), kind, m.group(0))
    return (best[2], best[3]) if best is not None else None


def decisive_target(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int]) -> bool:
    """Whether the nearest cue is a goal word that leaves no doubt ("phấn đấu", "chỉ tiêu", "ít nhất"): the figure
    is a target whatever the kind model says (cues.yaml decisive_target_cues)."""
    words = {w.casefold() for w in cues().get("decisive_target_cues", [])}
    lead = re.match(r"\D*", q.text).group(0).strip().casefold()
    if lead and any(w in lead for w in words):
        return True
    cue = nearest_cue(ctx, q, sent)
    return cue is not None and cue[0] == "target" and cue[1].casefold() in words


# ------------------------------------------------------------------------------------------------ period


def _comparison_base(ctx: LinkContext, d: DateMention) -> bool:
    """Whether the date is the base of a comparison ("so với năm 2010"): it governs nothing."""
    return patterns()["comparison_lead"].search(ctx.text, max(0, d.start - 20), d.start) is not None


def governing_date(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int], kind: str) -> DateMention | None:
    """Same clause, then sentence, then the enclosing headings, then the document's own period. A date that is the
    base of a comparison ("so với năm 2010") governs nothing; a target is governed by a year, period or deadline,
    never by a single day (in a plan's sentence that is the date of a cited document or of the meeting)."""
    clause = clause_bounds(ctx.text, q.start, q.end, sent)
    # a date written right after the figure, or after its aside ("7.800 hộ (chiếm 3,1%) năm 2023"), is its own
    own = [d for d in ctx.within(ctx.dates, ctx._date_starts, q.end, sent[1])
           if ctx.belongs(q.end, d) and not _comparison_base(ctx, d)
           and (kind != "target" or d.normalized.grain in PERIOD_GRAINS)]
    if own:
        return own[0]
    for lo, hi in (clause, sent):
        found = [d for d in ctx.within(ctx.dates, ctx._date_starts, lo, hi) if not _comparison_base(ctx, d)]
        if kind == "target":
            found = [d for d in found if d.normalized.grain in PERIOD_GRAINS]
        own = [d for d in found if d.start >= q.end and ctx.belongs(q.end, d)]
        if own:
            return own[0]
        # a date written right after another figure is that figure's ("từ 7 triệu năm 2005 lên 14 triệu"), unless
        # it is a deadline that closes every goal before it ("30 bác sĩ/vạn dân và 32 giường bệnh vào năm 2025")
        found = [d for d in found if not ctx.attached_before(d)
                 or (_shared_deadline(ctx, d) and (kind == "target" or _future(ctx, d)))]
        if found:
            return min(found, key=lambda d: (q.start - d.end if d.end <= q.start else d.start - q.end)
                       + (0 if d.start < q.start else 1))
    p = patterns()
    if p["recurring"].search(ctx.text, clause[0], clause[1]):
        return None
    led = _scope_date(ctx, sent, kind)
    if led is not None:
        return led
    for sec in reversed(ctx.sections_at(q.start)):
        head_end = sec.start + len(sec.label) + len(sec.title) + 2
        found = ctx.within(ctx.dates, ctx._date_starts, sec.start, head_end)
        if kind == "target":
            found = [d for d in found if d.normalized.grain in PERIOD_GRAINS]
        if found:
            return found[-1]
        if p["means_heading"].search(sec.title) and not p["target_heading"].search(sec.title):
            # under tasks, solutions and policies only a one-year (or one-month) plan's own period still governs:
            # the zones and support rates of a program "đến năm 2015" have no deadline
            own = ctx.doc_period
            single = own is not None and own.normalized.grain in ("year", "month", "quarter", "halfyear")
            return own if kind == "target" and single else None
    part = _part_date(ctx, q.start, kind)
    if part is not None:
        return part
    if kind == "target":
        return ctx.doc_period
    return None


@lru_cache
def _part_label() -> re.Pattern[str]:
    labels = "|".join(f"(?:{x})" for x in cues().get("part_heading_labels", [])) or r"(?!)"
    return re.compile(rf"^[ \t]*(?:{labels})[ \t]*\n?[ \t]*(?P<title>[^\n]{{3,{_HEAD_LINE_MAX}}})$", re.MULTILINE)


def _part_date(ctx: LinkContext, pos: int, kind: str) -> DateMention | None:
    """The date in the title of the part above the figure's sections ("A. Thực hiện nhiệm vụ công tác tháng 02 năm
    2010", "PHẦN II. NHIỆM VỤ 6 THÁNG CUỐI NĂM 2023"; labels: cues.yaml part_heading_labels): the last part
    heading before the figure's outermost section (or the figure) that names a year, a period or a month."""
    secs = ctx.sections_at(pos)
    hi = secs[0].start if secs else pos
    last = None
    for m in _part_label().finditer(ctx.text, 0, hi):
        last = m
    if last is None:
        return None
    grains = PERIOD_GRAINS if kind == "target" else (*PERIOD_GRAINS, "month")
    found = [d for d in ctx.within(ctx.dates, ctx._date_starts, last.start("title"), last.end("title"))
             if d.normalized.grain in grains]
    return found[-1] if found else None


LEAD_LINES_BACK = 40


def _scope_date(ctx: LinkContext, sent: tuple[int, int], kind: str) -> DateMention | None:
    """A date that opens the figure's scope without being in its sentence: the last one of the earlier sentences
    of its paragraph ("Trong 9 tháng đầu năm 2019, đơn vị đã bắt 13 vụ. Trong đó, … 4 vụ"), else the one of the
    lead line ending in ':' that introduces the lines it stands in ("Kết quả … (đến hết năm 2015):"), looking
    back at most LEAD_LINES_BACK lines and never past a section heading. A target takes only a year, a period or a
    deadline; a result may take a month too. A comparison base or a date written after another figure is skipped."""
    text = ctx.text
    grains = PERIOD_GRAINS if kind == "target" else (*PERIOD_GRAINS, "month")

    def last_date(lo: int, hi: int) -> DateMention | None:
        found = [d for d in ctx.within(ctx.dates, ctx._date_starts, lo, hi)
                 if d.normalized.grain in grains and not ctx.attached_before(d) and not _comparison_base(ctx, d)]
        return found[-1] if found else None

    para = text.rfind("\n", 0, sent[0]) + 1
    if para < sent[0] and (d := last_date(para, sent[0])) is not None:
        return d
    heading_starts = {h.start for h in ctx.headings}
    end = para - 1
    for _ in range(LEAD_LINES_BACK):
        if end <= 0:
            break
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].rstrip()
        if start in heading_starts:
            break
        if line.endswith(":"):
            return last_date(start, end)
        end = start - 1
    return None


_GLUE = re.compile(r"[\s,/]*(?:(?:vào|trong|đến|đến hết|tới|cho|của|tại|năm|tính đến)\s+)*", re.IGNORECASE)
_GLUE_PAREN = re.compile(r"[\s,/]*\(?\s*(?:(?:vào|trong|đến|đến hết|tới|cho|của|tại|năm|tính đến)\s+)*",
                         re.IGNORECASE)


_ASIDE_AFTER = re.compile(r"\s*\([^()\n]{1,40}\)")


def _glued(text: str, lo: int, hi: int, attached: bool = False) -> bool:
    """Only glue words ("vào", "trong", "đến") between a figure and the date after it: the date is the figure's.
    ``attached``: also across an opening parenthesis ("831 tỷ đồng (tính đến tháng 9-2015)"), to tell that a
    date belongs to the figure before it and not to a later one."""
    gap = text[lo:hi]
    return len(gap) <= 16 and (_GLUE_PAREN if attached else _GLUE).fullmatch(gap) is not None


def _shared_deadline(ctx: LinkContext, d: DateMention) -> bool:
    """Whether the date is a year or a deadline led by a word that makes it close the goals before it
    (cues.yaml shared_deadline_leads: "vào năm 2025", "đến năm 2025")."""
    if d.normalized.grain not in ("year", "deadline"):
        return False
    return patterns()["shared_deadline_lead"].search(ctx.text, max(0, d.start - 14), d.start + 8) is not None


def _future(ctx: LinkContext, d: DateMention | None) -> bool:
    """Whether the date lies wholly after the year of the document's own date."""
    if d is None or not ctx.doc_date:
        return False
    first = d.normalized.start or (d.normalized.end if d.normalized.grain != "deadline" else None)
    if d.normalized.grain == "deadline" and d.normalized.end:
        return d.normalized.end[:4] > ctx.doc_date[:4]
    return bool(first) and first[:4] > ctx.doc_date[:4]


def _period(d: DateMention | None) -> Period | None:
    if d is None:
        return None
    return Period(start=d.normalized.start, end=d.normalized.end, grain=d.normalized.grain, text=d.text)


def figure_period(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int], kind: str,
                  d: DateMention | None) -> Period | None:
    """The period of a figure governed by the date ``d``: the earlier figure of a change in a span ("Tính từ năm
    2022 đến nay, … giảm từ 36 xuống còn 28 người") is of the span's start; an undated result counted from a start an
    earlier sentence dates ("Ngay sau khi ban hành, …", "sau 01 năm thực hiện") is of that start (cues.yaml
    launch_leads, elapsed_pattern)."""
    if d is None:
        return _since_launch(ctx, q, sent) if kind != "target" else None
    if kind == "baseline" and (start := _span_start(d)) is not None:
        return start
    return _period(d)


_SPAN_START = re.compile(r"^(?:tính\s+)?(?:kể\s+)?từ\s+(?:đầu\s+|cuối\s+)?(?P<word>năm|tháng|quý|ngày)?", re.IGNORECASE)
_SPAN_UNITS = {"năm": "year", "quý": "quarter", "tháng": "month"}


def _span_start(d: DateMention) -> Period | None:
    """The first year, quarter, month or day of a span written "từ … đến …" (by the word that opens it)."""
    n = d.normalized
    m = _SPAN_START.match(d.text)
    if n.grain != "period" or not n.start or m is None:
        return None
    grain = _SPAN_UNITS.get((m.group("word") or "ngày").casefold(), "day")
    first = dt.date.fromisoformat(n.start)
    end = first if grain == "day" else unit_bounds(grain, first)[1]
    return Period(start=n.start, end=end.isoformat(), grain=grain, text=d.text)


@lru_cache
def _launch_lead() -> re.Pattern[str]:
    return alternation(cues().get("launch_leads", []), r"[\s\-–+•*]*(?:{})(?![\wÀ-ỹ])")


@lru_cache
def _elapsed() -> re.Pattern[str]:
    return re.compile(cues().get("elapsed_pattern") or r"(?!)", re.IGNORECASE)


def _since_launch(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int]) -> Period | None:
    """The start an undated result is counted from: the last date of the earlier sentences of its paragraph (else
    of the sentence right before it, not past a heading) when its sentence opens on a launch lead ("Ngay sau khi
    ban hành", "Kết quả"), or names the time elapsed since it before the figure ("sau 01 năm thực hiện": the
    period then ends that long after the start)."""
    text = ctx.text
    elapsed = next((m for m in _elapsed().finditer(text, sent[0], sent[1]) if m.start() <= q.start), None)
    if elapsed is None and not _launch_lead().match(text, sent[0], sent[1]):
        return None
    para = text.rfind("\n", 0, sent[0]) + 1
    lo = para
    if not text[para:sent[0]].strip():
        # the sentence opens its paragraph: the sentence before it, when no heading stands between
        spans = ctx.sentences.spans[:ctx.sentences.index_at(sent[0])]
        lo = next((s[0] for s in reversed(spans) if s[1] <= para and text[s[0]:s[1]].strip()), para)
        if any(lo <= h.start < para for h in ctx.headings):
            return None
    found = [d for d in ctx.within(ctx.dates, ctx._date_starts, lo, sent[0])
             if not _comparison_base(ctx, d) and not ctx.attached_before(d) and d.normalized.end]
    if not found:
        return None
    d = found[-1]
    if elapsed is None:
        return _period(d)
    n, unit = int(elapsed.group("n")), elapsed.group("unit").casefold()
    start = d.normalized.start or d.normalized.end
    first = dt.date.fromisoformat(start)
    month = add_months(first, 12 * n if unit == "năm" else n)  # the same day that many months on, at most the last
    end = month.replace(day=min(first.day, month_end(month.year, month.month).day))
    return Period(start=start, end=end.isoformat(), grain="period", text=elapsed.group(0))


# ------------------------------------------------------------------------------------------------ subject
_DIGIT = re.compile(r"\d")
_BOUNDARY = re.compile(r"[;:.()\[\]\n“”\"]|(?<!\d),\s*(?=(?:[^\s,]+\s+)?\d)|\s[-–]\s")
_BULLET = re.compile(r"^\s*(?:[-–+•*]|[a-zđ][.)]|\d+(?:\.\d+)*[.)]|[IVXLC]+[.)])\s*", re.IGNORECASE)
_TRAILING_NUMBER = re.compile(r"\s+\d+$")
_FIGURE_GLUE = re.compile(r"[\s,;]*(?:(?:và|hoặc|hay)\s*)?")
_WORDS_IN_PARENS = re.compile(r"\([^()\d\n]{1,60}\)")
# lower-case: a name at the end of the phrase ("huyện Đại Từ") is no verb
_TRAILING_VERB = re.compile(r"(?:^|\s+)(?:là|đạt|có|khoảng|với|gồm|còn|tăng|giảm|từ|xuống|lên|bằng|chiếm)(?:\s+\S+)?\s*$")


@lru_cache
def _trailing() -> re.Pattern[str]:
    return alternation(cues().get("subject_trailing_words", []), r"(?:^|\s+)(?:{})\s*$", 0)


def _strip_trailing(head: str) -> str:
    """The phrase without the verbs and fillers that end it before the figure ("… ước đạt", "… ở mức")."""
    while True:
        shorter = _TRAILING_NUMBER.sub("", _trailing().sub("", _TRAILING_VERB.sub("", head)))
        if shorter == head:
            return head
        head = shorter


@lru_cache
def _subject_heads() -> re.Pattern[str]:
    return alternation(cues().get("subject_heads", []), r"(?:^|(?<=\s))(?:{})(?![\wÀ-ỹ])")


@lru_cache
def _bare_heads() -> frozenset[str]:
    return frozenset(w.casefold() for w in cues().get("subject_heads", []))


@lru_cache
def _percent_bases() -> re.Pattern[str]:
    return alternation(cues().get("percent_bases", []), r"^(?:{})(?![\wÀ-ỹ])")


@lru_cache
def _measure_units() -> frozenset[str]:
    return frozenset(u.casefold() for u in cues().get("measure_units", []))


@lru_cache
def _measure_nouns() -> dict[str, str]:
    return {k.casefold(): v for k, v in (cues().get("measure_nouns") or {}).items()}


@lru_cache
def _scope_words() -> re.Pattern[str]:
    return alternation(cues().get("subject_scope_words", []), r"^(?:{})(?![\wÀ-ỹ])")


def _against(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int], before: str) -> int | None:
    """Where the phrase ``before`` starts when it is written right against the figure, else None."""
    at = ctx.text.rfind(before, sent[0], q.start)
    return at if at >= 0 and not ctx.text[at + len(before):q.start].strip() else None


def _count_qualifier(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int], before: str) -> str | None:
    """The phrase before a count, written right against it, when it says which of the counted things it counts: in
    lower case (no name, no sentence start), with no figure, date, agency or place, opening on no preposition or
    pronoun (cues.yaml count_qualifier_blockers); without the words of its scope ("toàn tỉnh")."""
    acts = list(_act_leads().finditer(before))
    if acts and acts[-1].end() < len(before):
        # "Cơ quan chức năng đã khởi tố": the act after the tense word, not its actor
        before = before[acts[-1].end():].lstrip()
    while (scope := _scope_words().search(before)) is not None:
        before = before[scope.end():].lstrip(" ,")
    at = _against(ctx, q, sent, before) if before else None
    if at is None or not before[:1].islower() or _DIGIT.search(before) or _blockers().search(before):
        return None
    if any(ctx.within(items, starts, at, q.start) for items, starts in
           ((ctx.agencies, ctx._agency_starts), (ctx.places, ctx._place_starts), (ctx.dates, ctx._date_starts))):
        return None
    return before or None


@lru_cache
def _act_leads() -> re.Pattern[str]:
    return alternation(cues().get("count_act_leads", []), r"(?<![\wÀ-ỹ])(?:{})\s+")


@lru_cache
def _blockers() -> re.Pattern[str]:
    return alternation(cues().get("count_qualifier_blockers", []), r"^(?:{})(?![\wÀ-ỹ])")


@lru_cache
def _openers() -> re.Pattern[str]:
    return alternation(cues().get("subject_openers", []))


def _after(ctx: LinkContext, q: QuantityMention, start: int, sent: tuple[int, int], skip: int) -> list[str]:
    """The words after ``start`` up to a boundary, a date or a stop word (searched from ``skip`` on)."""
    text = ctx.text
    m = _BOUNDARY.search(text, start, sent[1])
    end = m.start() if m else sent[1]
    dates = ctx.within(ctx.dates, ctx._date_starts, start, end)
    if dates:
        end = dates[0].start
    # another figure after a comma opens its own clause ("456 trường đạt chuẩn quốc gia, đạt tỷ lệ 78,5%")
    # (a figure the boundary cuts through, "3.400 thẻ", is one of them)
    later = [m for m in ctx.within(ctx.quantities, ctx._quantity_starts, start + skip, sent[1])
             if q.start < m.start < end and not _qualifier(ctx, m)]
    if later:
        comma = text.rfind(",", start + skip, later[0].start)
        # however long the clause before the figure, when no joiner or stop word stands in it ("4 vụ, tàng trữ trái
        # phép chất ma túy 8 vụ"); one that does ("109 xã, phường, thị trấn sạch về ma túy và có thêm 69 xã", "21
        # huyện, thành phố, thị xã trên địa bàn tỉnh với 185 xã") cuts there instead
        if comma >= 0 and (len(text[comma + 1:later[0].start].split()) <= 6
                           or not any(patterns()[k].search(text[comma + 1:later[0].start])
                                      for k in ("subject_joiner", "subject_stop"))):
            end = comma
    tail = text[start:end]
    per = patterns()["per_time"].search(tail, skip)
    if per:
        tail = tail[:per.start()]
    stop = patterns()["subject_stop"].search(tail, skip)
    if stop and stop.start() > 0:
        tail = tail[:stop.start()]
    for join in patterns()["subject_joiner"].finditer(tail, skip):
        if join.start() > 0 and _DIGIT.search(tail, join.end()):
            tail = tail[:join.start()]
            break
    closing = _closing().search(tail, skip)
    if closing and closing.start() > skip:
        tail = tail[:closing.start()]
    return tail.split()


@lru_cache
def _closing() -> re.Pattern[str]:
    return alternation(cues().get("subject_closing_words", []), r"[\s,]+(?:{})\s*$")


@lru_cache
def _empty_heads() -> frozenset[str]:
    c = cues()
    return frozenset(w.casefold() for w in c.get("subject_lead_drop", []) + c.get("subject_openers", []))


def _last_piece(head: str) -> str:
    """The last comma-separated piece of the phrase before a figure; a list of short items closing it ("tổng số thu
    BHXH, BHYT, BHTN") stays whole with the piece that opens it."""
    pieces = re.split(r"(?<!\d),\s*|,\s+", head)
    pieces[-1] = _strip_trailing(pieces[-1].strip())
    k = len(pieces) - 1
    while k > 0 and len(pieces[k - 1].split()) <= 2 and len(pieces[k].split()) <= 2:
        k -= 1
    if k < len(pieces) - 1 and k > 0:
        return ", ".join(pieces[k - 1:])
    # the short items of a list before the last one ("tiền vệ sinh, điện nước"), back to a clause of its own
    short = cues().get("list_item_words", 0)
    j = len(pieces) - 1
    while (j > 0 and 0 < len(pieces[j - 1].split()) <= short and not _DIGIT.search(pieces[j - 1])
           and not _clause_opener().match(pieces[j - 1].strip()) and not _clause_opener().match(pieces[j].strip())
           and not _subject_heads().match(pieces[j].strip())
           and sum(len(x.split()) for x in pieces[j - 1:]) <= BEFORE_SYLLABLES):
        j -= 1
    if j < len(pieces) - 1:
        return ", ".join(x.strip() for x in pieces[j:])
    # "tỷ lệ chất thải rắn được thu gom, xử lý": a short last item joins the phrase that opens on a measure word
    if (len(pieces) > 1 and len(pieces[-1].split()) <= 2 and not _DIGIT.search(pieces[-2])
            and _subject_heads().search(pieces[-2])):
        return ", ".join(pieces[-2:])
    return pieces[-1]


@lru_cache
def _clause_opener() -> re.Pattern[str]:
    return alternation(cues().get("clause_openers", []), r"^(?:{})(?![\wÀ-ỹ])")


def _before(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int], at: int | None = None) -> str | None:
    """The phrase before the figure (or before ``at``), back to a boundary; when nothing stands there but a label
    and a colon ("+ Rừng trồng bằng nguồn vốn tự có: 06 triệu đồng/1 ha"), the label; when the figure opens a
    parenthesis ("Công trình khởi công mới (15,86%)"), the phrase before the parenthesis."""
    text = ctx.text
    p = patterns()
    pos = q.start if at is None else at
    inside = [(d.start, d.end) for d in ctx.within(ctx.dates, ctx._date_starts, sent[0], pos)]
    figures = ctx.within(ctx.quantities, ctx._quantity_starts, sent[0], pos)
    inside += [(m.start, m.end) for m in figures]
    # words in parentheses ("Tốc độ tăng trưởng kinh tế (GRDP) bình quân") are part of the phrase
    inside += [(m.start(), m.end()) for m in _WORDS_IN_PARENS.finditer(text, sent[0], pos)]
    # a dash or a dot inside a date ("Giai đoạn 2008 - 2010") or a figure ("200.000 đồng") bounds nothing
    bounds = [b for b in _BOUNDARY.finditer(text, sent[0], pos)
              if not any(lo <= b.start() < hi for lo, hi in inside)]
    lo = bounds[-1].end() if bounds else sent[0]
    if at is None and figures and figures[-1].start >= lo:
        # the result of a change ("giảm từ 8,5% năm 2021 xuống còn 4,2%") measures what its baseline measures
        gap = text[figures[-1].end:pos]
        for d in ctx.within(ctx.dates, ctx._date_starts, figures[-1].end, pos):
            gap = gap.replace(d.text, " ")
        if p["change_result"].fullmatch(gap.strip(" ,")):
            return _before(ctx, figures[-1], sent)
        # a figure right after another one ("đạt 1.250 triệu USD, tăng 12,5%"), or after the base of the share
        # before it ("đạt 92,5% dân số, tăng 1,2%"), has no phrase of its own before it
        if figures[-1].normalized.unit in ("%", "‰") and (base := _percent_bases().match(gap.lstrip())):
            gap = gap.lstrip()[base.end():]
        if _FIGURE_GLUE.fullmatch(gap):
            return None
    head = text[lo:pos]
    dates = ctx.within(ctx.dates, ctx._date_starts, lo, pos)
    if dates:
        # a date before the figure opens its phrase ("năm 2009 trồng mới 2.500 ha") or closes it ("tỷ lệ lao động
        # qua đào tạo năm 2015 đạt 60%"): the words after it when they name something, else those before it
        after = _strip_trailing(text[dates[-1].end:pos].strip(" ,"))
        head = after if len(after.split()) >= 1 and after[:1].isalpha() else text[lo:dates[-1].start]
    head = _last_piece(head)
    head = p["lead_drop"].sub("", _BULLET.sub("", head.strip()))
    head = _strip_trailing(head)
    openers = [o for o in _openers().finditer(head) if o.end() < len(head.rstrip())]
    # the phrase opens on what is measured ("trong đó tỷ lệ lao động có bằng cấp") after an opener, or at its start
    # ("tỷ lệ trường mầm non đạt chuẩn quốc gia"): a verb inside it cuts nothing — unless a figure stands in it
    # ("số người … là 12.450 người với số tiền chi trả")
    headed = next((o for o in openers if _subject_heads().match(head[o.end():].lstrip())), None)
    figure_inside = any(lo <= m.start and not _qualifier(ctx, m) for m in figures)
    if headed is not None:
        head = head[headed.end():].lstrip()
    elif openers and (figure_inside or not _subject_heads().match(head)):
        head = head[openers[-1].end():]
    words = head.split()
    if words and all(w.casefold() in _empty_heads() for w in words):
        words = []
    if not words and at is None and bounds and bounds[-1].group(0) == "(" and not text[lo:pos].strip():
        return _before(ctx, q, sent, bounds[-1].start())
    if not words and bounds and bounds[-1].group(0) == ":":
        # a label line: the text before the colon, back to the boundary before it
        colon = bounds[-1].start()
        stops = [b for b in bounds[:-1] if b.group(0) in ";.\n"]
        lo2 = stops[-1].end() if stops else sent[0]
        label = re.sub(r"\([^()]*\)", " ", text[lo2:colon])
        for d in ctx.within(ctx.dates, ctx._date_starts, lo2, colon):
            label = label.replace(d.text, " ")
        words = _BULLET.sub("", label).split()
        if not words or " ".join(words).casefold() in _empty_heads():
            # a label that names nothing but a year or a total ("- Năm 2009: 1.300.000.000đ", "- Tổng cộng: …"):
            # an item of the list its lead line introduces ("d) Phân kỳ đầu tư:")
            words = _lead_title(ctx, sent[0]).split()
    return _capped(words, BEFORE_SYLLABLES).strip(" ,-+") or None


def _lead_title(ctx: LinkContext, pos: int) -> str:
    """The title of the lead line ending in ':' that introduces the list the line at ``pos`` belongs to (its
    bullet, dates and parentheses dropped), looking back at most LEAD_LINES_BACK lines; "" when there is none."""
    text = ctx.text
    heading_starts = {h.start for h in ctx.headings}
    end = text.rfind("\n", 0, pos)
    for _ in range(LEAD_LINES_BACK):
        if end <= 0:
            break
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].rstrip()
        if line.endswith(":"):
            title = re.sub(r"\([^()]*\)", " ", _BULLET.sub("", line[:-1]))
            for d in ctx.within(ctx.dates, ctx._date_starts, start, end):
                title = title.replace(d.text, " ")
            return "" if _DIGIT.search(title) else " ".join(title.split())
        if start in heading_starts:
            break
        end = start - 1
    return ""


SUBJECT_SYLLABLES = 12
# the phrase before a figure starts where what is measured is named and runs on to the figure: a little longer
BEFORE_SYLLABLES = 14


def _capped(words: list[str], cap: int = SUBJECT_SYLLABLES) -> str:
    """The first ``cap`` syllables of a phrase, ending on a whole word: when the cut would split a compound
    ("hồ sơ", "quản lý"), underthesea's word segmentation moves it to the end of that word."""
    if len(words) > cap:
        from underthesea import word_tokenize

        n = 0
        for token in word_tokenize(" ".join(words[:cap + 3])):
            n += len(token.split())
            if n >= cap:
                break
        words = words[:n]
    return " ".join(words).strip(" ,")


def subject_of(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int]) -> str | None:
    """The short noun phrase measured: the counted noun and what follows it; for a measure (ha, m2, lần), money
    and bare figures, what precedes — for % and bare figures what follows when it is a noun phrase."""
    text = ctx.text
    unit = q.normalized.unit
    if _change_baseline(ctx, q, sent) and (before := _before(ctx, q, sent)):
        # the earlier figure of a change ("số người nghiện đã giảm từ 36 xuống còn 28 người") measures what the
        # phrase before it names, as the result does
        return before
    measure = unit is None or unit.casefold() in _measure_units()
    if not measure:
        # the unit word ends the mention: start the subject at the unit as written
        at = text.casefold().rfind(unit.split()[0].casefold(), q.start, q.end) if unit else -1
        start = at if at >= 0 else q.end
        words = _after(ctx, q, start, sent, len(unit))
        phrase = _capped(words)
        if phrase and phrase.casefold() != unit.casefold():
            return phrase
        # the counted noun alone ("số hộ cận nghèo giảm 2.100 hộ", "tổng đàn lợn đạt 950.000 con"): the phrase
        # before names what is counted when it holds that noun or opens on a measure word ("toàn huyện có 28 xã":
        # the noun alone)
        before = _before(ctx, q, sent)
        if not before and q.normalized.change and phrase.casefold() == unit.casefold():
            # "… là 45 em, tăng 8 em so với năm học trước": the change counts what the figure before counts
            before = _previous_subject(ctx, q, sent)
        if before and (not phrase or _subject_heads().match(before)
                       or re.search(rf"(?<![\wÀ-ỹ]){re.escape(unit)}(?![\wÀ-ỹ])", before, re.IGNORECASE)):
            return before
        which = _count_qualifier(ctx, q, sent, before) if phrase and before else None
        if which:
            # "tàng trữ trái phép chất ma túy 8 vụ", "kiên cố hóa 85 phòng học": the words right before the count
            # say which of the counted things
            return f"{phrase} {which}"
        return phrase or before
    words = _after(ctx, q, q.end, sent, 0)
    follows = _capped(words) if words and words[0][:1].islower() else None
    base = bool(follows) and unit in ("%", "‰") and _percent_bases().match(follows) is not None
    noun = _measure_nouns().get((unit or "").casefold())
    if noun:
        # an area names its land after the unit ("20.000 ha cao su") or its work before it ("trồng mới 2.500 ha")
        named = follows or _before(ctx, q, sent)
        if not named:
            return noun
        if not _subject_heads().match(named):
            if named.split()[0][1:].islower():
                named = named[:1].lower() + named[1:]
            return f"{noun} {named}"
    if unit in (None, "%", "‰") and follows and not base:
        return follows
    if unit in ("%", "‰") and (share := _parenthesised_share(ctx, q, sent)):
        return share
    before = _before(ctx, q, sent)
    if (before and (at := ctx.text.rfind(before, sent[0], q.start)) >= 0
            and not _BOUNDARY.search(ctx.text, at + len(before), q.start) and (funds := _funds_of_act(before, unit))):
        # written right before the figure, not a label ("…: 05 triệu đồng")
        return funds
    if before and before.casefold() in _bare_heads():
        # a bare measure word ("8.450 hộ nghèo (tỷ lệ 4,12%)"): of what the figure before it counts
        prev = _previous_subject(ctx, q, sent)
        if prev:
            if _rate_heads()[0].match(before):
                return _rate_of(prev)
            return prev if prev.casefold().startswith(before.casefold()) else f"{before} {prev}"
    if before:
        return before
    if unit in ("%", "‰") or q.normalized.change:
        # a share of a base ("đạt 104% kế hoạch") or a change ("tăng 12,5% so với cùng kỳ") written right after
        # another figure measures what that figure measures (compared with the base)
        prev = _previous_subject(ctx, q, sent)
        if prev:
            if not base or follows.casefold() in ("so với", "so"):
                return prev
            return f"{prev} {follows}" if follows.casefold().startswith("so ") else f"{prev} so với {follows}"
    return follows


@lru_cache
def _rate_period() -> re.Pattern[str]:
    units = sorted(cues().get("rate_period_units", []), key=len, reverse=True)
    return re.compile(r"/\s*(" + "|".join(re.escape(u) for u in units) + r")(?![\wÀ-ỹ])" if units else r"(?!)",
                      re.IGNORECASE)


def with_rate_period(subject: str | None, q: QuantityMention) -> str | None:
    """The subject of a rate given per a time or a round ("450.000 đ/người/tháng") with that time: "… mỗi tháng"
    (cues.yaml rate_period_units), unless it already says it ("bình quân mỗi năm", "hàng năm")."""
    per = _rate_period().search(q.text)
    if not subject or per is None:
        return subject
    unit = per.group(1).casefold()
    if re.search(rf"(?<![\wÀ-ỹ])(?:mỗi|hàng|hằng|một)\s+{re.escape(unit.split()[0])}", subject, re.IGNORECASE):
        return subject
    return f"{subject} mỗi {unit}"


def _funds_of_act(before: str, unit: str | None) -> str | None:
    """Money an actor spent, raised or gave ("Toàn huyện đã huy động", "tỉnh đã bố trí"): the funds of that act
    ("kinh phí huy động"; cues.yaml money_units, money_noun, count_act_leads); None for any other phrase."""
    c = cues()
    if (unit or "").casefold() not in {u.casefold() for u in c.get("money_units", [])} or not c.get("money_noun"):
        return None
    acts = list(alternation(c.get("money_act_leads", []), r"(?<![\wÀ-ỹ])(?:{})\s+").finditer(before))
    if not acts or acts[-1].start() == 0 or _subject_heads().match(before):
        # "Số tiền đã chi trả": the phrase names what is measured
        return None
    act = _strip_trailing(before[acts[-1].end():].strip())
    while (scope := _scope_words().search(act)) is not None:
        act = act[scope.end():].lstrip(" ,")
    words = act.split()
    if not act or not act[:1].islower() or _DIGIT.search(act) or _subject_heads().match(act) or len(words) > 6:
        return None
    return f"{c['money_noun']} {act}"


def _parenthesised_share(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int]) -> str | None:
    """A share alone in parentheses after a count or a phrase ("còn 1.569 hộ nghèo (2,35%)", "Công trình khởi công
    mới (15,86%)"): the rate of what the count counts or the phrase names ("tỷ lệ hộ nghèo")."""
    text = ctx.text
    left = text[sent[0]:q.start].rstrip()
    if not left.endswith("(") or not text[q.end:sent[1]].lstrip().startswith(")"):
        return None
    paren = sent[0] + len(left) - 1
    counts = [m for m in ctx.within(ctx.quantities, ctx._quantity_starts, sent[0], paren)
              if m.normalized.unit not in ("%", "‰") and not _qualifier(ctx, m) and not _not_a_figure(ctx, m)
              and not _BOUNDARY.search(text, m.end, paren)]
    named = subject_of(ctx, counts[-1], sent) if counts else _before(ctx, q, sent, paren)
    if not named or _DIGIT.search(named):
        return None
    return _rate_of(named)


@lru_cache
def _rate_heads() -> tuple[re.Pattern[str], re.Pattern[str]]:
    c = cues()
    frame = r"^(?:{})(?![\wÀ-ỹ])\s*"
    return alternation(c.get("rate_words", []), frame), alternation(c.get("count_heads", []), frame)


def _rate_of(named: str) -> str:
    """The name of the share of what ``named`` counts or measures: "tỷ lệ hộ nghèo" of "Số hộ nghèo" or "hộ nghèo"
    (cues.yaml rate_words, count_heads); a phrase naming a share already stays."""
    rate, count = _rate_heads()
    if rate.match(named):
        return named
    word = cues().get("rate_words", ["tỷ lệ"])[0]
    rest = count.sub("", named, count=1) or named
    if rest[1:2].islower() or len(rest) == 1:
        rest = rest[:1].lower() + rest[1:]
    return f"{word} {rest}"


def _previous_subject(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int]) -> str | None:
    """What the figure before ``q`` in its sentence measures: the last count or amount before it, else the last
    share ("tỷ lệ … đạt 92,5%, vượt 0,5% chỉ tiêu")."""
    earlier = [m for m in ctx.within(ctx.quantities, ctx._quantity_starts, sent[0], q.start)
               if not _qualifier(ctx, m) and not _not_a_figure(ctx, m)]
    amounts = [m for m in earlier if m.normalized.unit not in ("%", "‰")]
    pick = amounts or earlier
    return subject_of(ctx, pick[-1], sent) if pick else None


# ------------------------------------------------------------------------------------------------ place, agencies
_LEVEL_RANK = {"village": 0, "commune": 1, "district": 2, "province": 3, "region": 4, "country": 5}


def place_of(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int]) -> IndicatorPlace | None:
    """The place named right after the counted thing ("12 xã của huyện Kỳ Sơn"), else the nearest place before the
    figure in its item of the sentence (or in the sentence's lead before its first ':') — the most specific of a
    chain written together ("phường 6, thành phố Mỹ Tho"), or the unit holding the several places a chain lists
    ("các xã A, B, C, huyện D": D) — else the document's own place."""
    after = _place_after(ctx, q, sent)
    if after is not None:
        return after
    lo = _item_start(ctx, q, sent)
    before = [m for m in ctx.within(ctx.places, ctx._place_starts, lo, q.start)
              if m.normalized.level != "country"]
    if not before and lo > sent[0]:
        colon = ctx.text.find(":", sent[0], lo)
        if colon >= 0:
            before = [m for m in ctx.within(ctx.places, ctx._place_starts, sent[0], colon)
                      if m.normalized.level != "country"]
    while before:
        k = _chain_start(ctx, before)
        best = _chain_place(before[k:])
        if best is not None:
            return _as_place(best)
        # several places of one level and none holding them in the chain: the one named before the list holds them
        rank = _LEVEL_RANK.get(before[-1].normalized.level, 9)
        before = [m for m in before[:k] if _LEVEL_RANK.get(m.normalized.level, 9) > rank]
    local = _local_place(ctx, sent)
    return local if local is not None else ctx.doc_place


@lru_cache
def _local_scope() -> re.Pattern[str]:
    c = cues()
    return alternation(c.get("local_scope_words", []),
                       rf"(?<![\wÀ-ỹ])(?:{{}})(?![\wÀ-ỹ])(?!\s+(?:(?:{_unit_words(c)})(?![\wÀ-ỹ])))")


def _local_place(ctx: LinkContext, sent: tuple[int, int]) -> IndicatorPlace | None:
    """The locality a sentence that names no place points back to with a bare "trên địa bàn" (cues.yaml
    local_scope_words, followed by no place): the place last named in the earlier sentences of its paragraph
    ("Trưởng Công an xã Cốc San cho biết: … Tính từ năm 2022 đến nay, số người nghiện ma túy trên địa bàn đã giảm
    …": Cốc San); the most specific of a chain written together."""
    text = ctx.text
    # a name after the words ("trên địa bàn Cốc San") is a place of the sentence's own
    if not any(not text[m.end():m.end() + 2].strip()[:1].isupper()
               for m in _local_scope().finditer(text, sent[0], sent[1])):
        return None
    para = text.rfind("\n", 0, sent[0]) + 1
    earlier = [m for m in ctx.within(ctx.places, ctx._place_starts, para, sent[0]) if m.normalized.level != "country"]
    if not earlier:
        return None
    best = _chain_place(earlier[_chain_start(ctx, earlier):])
    return _as_place(best) if best is not None else None


def _as_place(m: LocationMention) -> IndicatorPlace:
    return IndicatorPlace(name=m.normalized.name, level=m.normalized.level)


def _chain_start(ctx: LinkContext, places: list[LocationMention]) -> int:
    """Where the chain of places written together ("phường 6, thành phố Mỹ Tho") that ends ``places`` starts."""
    k = len(places) - 1
    while k > 0 and patterns()["place_chain_gap"].fullmatch(ctx.text, places[k - 1].end, places[k].start):
        k -= 1
    return k


def _chain_place(chain: list[LocationMention]) -> LocationMention | None:
    """The place of a chain written together: its most specific one, or, when it lists several of that level, the
    most specific of the higher ones that holds them (None when it names none)."""
    ranks = [_LEVEL_RANK.get(m.normalized.level, 9) for m in chain]
    low = min(ranks)
    if len({m.normalized.name for m, r in zip(chain, ranks, strict=True) if r == low}) == 1:
        return next(m for m, r in zip(chain, ranks, strict=True) if r == low)
    higher = [(r, m) for m, r in zip(chain, ranks, strict=True) if r > low]
    return min(higher, key=lambda t: t[0])[1] if higher else None


def _item_start(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int]) -> int:
    """Where the item of the sentence holding the figure starts (after the last place_scope_breaks before it)."""
    found = [m.end() for m in patterns()["place_break"].finditer(ctx.text, sent[0], q.start)]
    return found[-1] if found else sent[0]


_AFTER_GAP_MAX = 60


def _place_after(ctx: LinkContext, q: QuantityMention, sent: tuple[int, int]) -> IndicatorPlace | None:
    """A place led by a place_after_leads word within the figure's noun phrase after it (no punctuation nor other
    figure between)."""
    hi = min(sent[1], q.end + _AFTER_GAP_MAX + 40)
    after = [m for m in ctx.within(ctx.places, ctx._place_starts, q.end, hi) if m.normalized.level != "country"]
    if not after:
        return None
    first = after[0]
    gap = ctx.text[q.end:first.start]
    lead = patterns()["place_after_lead"].search(gap)
    if lead is None or lead.start() > _AFTER_GAP_MAX or re.search(r"[,;:.()\n\d]", gap):
        return None
    chain = [first]
    for m in after[1:]:
        if not patterns()["place_list_gap"].fullmatch(ctx.text, chain[-1].end, m.start):
            break
        chain.append(m)
    best = _chain_place(chain)
    return _as_place(best) if best is not None else None


def _doc_place(ctx: LinkContext) -> IndicatorPlace | None:
    """The place the document is about: a district, commune or village its title names ("Xây dựng nông thôn mới ở
    huyện Thường Tín (Hà Nội)"), else its province."""
    title = ctx.doc.metadata.title
    at = ctx.text.find(title[:80]) if title else -1
    if at >= 0:
        inside = [m for m in ctx.within(ctx.places, ctx._place_starts, at, at + len(title))
                  if m.normalized.level in ("district", "commune", "village")]
        if inside:
            return _as_place(min(inside, key=lambda m: m.start))
    prov = ctx.doc.metadata.province
    return IndicatorPlace(name=prov, level="province") if prov else None


def agencies_of(ctx: LinkContext, sent: tuple[int, int], pos: int | None = None) -> list[IndicatorAgency]:
    """The agencies of the sentence with their roles; when the sentence names none, the agency last named before
    the figure in its section (the actor of the paragraph, within a few lines). Figures of an official document
    also carry its issuer and the agency the document is given to carry out."""
    out: dict[str, IndicatorAgency] = {}
    for m in _acting(ctx, ctx.within(ctx.agencies, ctx._agency_starts, sent[0], sent[1])):
        key = m.normalized.canonical
        if key not in out or out[key].role == "mentioned":
            out[key] = IndicatorAgency(canonical=key, role=m.normalized.role)
    if not out and pos is not None:
        secs = ctx.sections_at(pos)
        lo = max(secs[-1].start if secs else 0, sent[0] - 600)
        before = _acting(ctx, ctx.within(ctx.agencies, ctx._agency_starts, lo, sent[0]))
        if before:
            m = before[-1]
            out[m.normalized.canonical] = IndicatorAgency(canonical=m.normalized.canonical, role=m.normalized.role)
    for key, role in ctx.document_agencies:
        if key not in out:
            out[key] = IndicatorAgency(canonical=key, role=role)
    return list(out.values())


@lru_cache
def _cited_author() -> re.Pattern[str]:
    return alternation(cues().get("cited_document_words", []), r"(?<![\wÀ-ỹ])(?:{})(?![\wÀ-ỹ])[^.;:\n]{{0,50}}?\scủa\s*$")


def _acting(ctx: LinkContext, agencies: list[AgencyMention]) -> list[AgencyMention]:
    """The agencies that are not named as the author of a cited document ("theo Quyết định 210 của Thủ tướng Chính
    phủ": cues.yaml cited_document_words)."""
    return [m for m in agencies if not _cited_author().search(ctx.text, max(0, m.start - 80), m.start)]


def _document_agencies(ctx: LinkContext) -> list[tuple[str, str]]:
    """The issuer of an official document (its metadata issuer, as an agency mention names it) and the agencies
    a sentence gives the whole document to ("Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này")."""
    meta = ctx.doc.metadata
    if not meta.doc_type or not meta.issuer:
        return []
    c = cues()
    issuer = meta.issuer.casefold()
    for short, full in (c.get("agency_abbreviations") or {}).items():
        issuer = re.sub(rf"(?<![\wÀ-ỹ]){re.escape(short)}(?![\wÀ-ỹ])", full, issuer)
    issuer = " ".join(issuer.split())
    out: list[tuple[str, str]] = []
    names = {m.normalized.canonical for m in ctx.agencies}
    match = next((n for n in names if n.casefold() == issuer), None)
    if match is None and meta.province:
        match = next((n for n in names if n.casefold() == f"{issuer} {meta.province.casefold()}"), None)
    if match:
        out.append((match, "issuer"))
    for pattern in c.get("document_assignment_patterns", []):
        for hit in re.finditer(pattern, ctx.text, re.IGNORECASE):
            for m in ctx.within(ctx.agencies, ctx._agency_starts, hit.start(), hit.end()):
                if m.normalized.canonical not in {k for k, _ in out}:
                    out.append((m.normalized.canonical, "assignee"))
    return out


# ------------------------------------------------------------------------------------------------ null-value goals
def null_targets(ctx: LinkContext) -> list[Indicator]:
    """Goals with a deadline and a countable outcome but no number: a goal word, a deadline and an outcome verb
    in one sentence that holds no quantity — the outcome after the deadline ("phấn đấu đến năm 2030 đưa … ra
    khỏi …") or between the goal word and a deadline or year that closes it ("phấn đấu hoàn thành … vào năm
    2015")."""
    p = patterns()
    out: list[Indicator] = []
    q_starts = [m.start for m in ctx.quantities]

    def free_of_figures(lo: int, hi: int) -> bool:
        i = bisect.bisect_left(q_starts, lo)
        return not (i < len(q_starts) and q_starts[i] < hi)

    for d in ctx.dates:
        grain = d.normalized.grain
        if grain not in ("deadline", "year") or d.start >= ctx.body_end:
            continue
        sent = ctx.sentences.at(d.start)
        goal = p["null_goal"].search(ctx.text, sent[0], d.start)
        if not goal:
            continue
        span: tuple[int, int] | None = None
        if grain == "deadline" or p["deadline_lead"].search(ctx.text, max(0, d.start - 12), d.start):
            lo, hi = d.end, sent[1]
            nxt = ctx.within(ctx.dates, ctx._date_starts, d.end, sent[1])
            if nxt:
                hi = nxt[0].start
            outcome = p["null_outcome"].search(ctx.text, lo, hi)
            if outcome:
                clause_end = re.search(r"[.;]|\s(?:và giữ vững|và những năm)", ctx.text[outcome.start():hi])
                span = (outcome.start(), outcome.start() + clause_end.start() if clause_end else hi)
        if span is None and ctx.text[d.end:d.end + 2].strip() in ("", ".", ";"):
            # the deadline closes the goal: the outcome lies between the goal word and the date, in one clause
            outcome = p["null_outcome"].search(ctx.text, goal.end(), d.start)
            if outcome and not re.search(r"[.;:]", ctx.text[outcome.start():d.start]):
                span = (outcome.start(), d.end)
        if span is None or not free_of_figures(min(span[0], d.end), span[1]):
            continue
        text = ctx.text[span[0]:span[1]].rstrip(" ,")
        start = span[0]
        out.append(Indicator(kind="target", value=None, subject=text, period=_period(d),
                             location=ctx.doc_place,
                             agencies=agencies_of(ctx, sent), start=start, end=start + len(text), text=text,
                             sentence=ctx.text[sent[0]:sent[1]]))
    return out


# ------------------------------------------------------------------------------------------------ link
def _qualifier(ctx: LinkContext, q: QuantityMention) -> bool:
    """An age that delimits a group ("trẻ em dưới 5 tuổi") qualifies the subject and is no indicator."""
    if (q.normalized.unit or "").casefold() not in {u.casefold() for u in cues().get("qualifier_units", [])}:
        return False
    if patterns()["qualifier_head"].search(ctx.text, max(0, q.start - 30), q.start) is not None:
        return True
    # an age set off after a name or a group ("Ông Nguyễn Văn A, 45 tuổi", "thanh niên (18 - 30 tuổi)")
    lead = ctx.text[max(0, q.start - 60):q.start]
    return any(re.search(x + r"\s*$", lead) for x in cues().get("qualifier_leads", []))


def _plan_for_later_year(ctx: LinkContext) -> bool:
    """Whether the document is a plan (resolution, decision …) for a single year, month or quarter after its date."""
    own = ctx.doc_period
    return (ctx.target_doc and own is not None and own.normalized.grain in ("year", "month", "quarter", "halfyear")
            and _future(ctx, own))


def _under_means(ctx: LinkContext, q: QuantityMention) -> bool:
    """Whether the figure stands under a heading of means (tasks, solutions, policies) rather than of goals."""
    p = patterns()
    return any(p["means_heading"].search(sec.title) and not p["target_heading"].search(sec.title)
               for sec in ctx.sections_at(q.start))


def _not_a_figure(ctx: LinkContext, q: QuantityMention) -> bool:
    """A number that labels an item ("Chỉ tiêu 1:") or the unit a measure is taken per ("giá trị sản xuất trên
    01 ha đất trồng trọt đạt 120 triệu đồng") measures nothing (cues.yaml label_words, per_unit_bases)."""
    c = cues()
    text = ctx.text
    if q.normalized.unit is None and c.get("label_words"):
        lead = text[max(0, q.start - 30):q.start]
        if (re.search(WORD.format("|".join(re.escape(w) for w in c["label_words"])) + r"\s*$", lead, re.IGNORECASE)
                and re.match(r"\s*[:.)]", text[q.end:q.end + 3])):
            return True
    span = text[max(0, q.start - 60):q.end]
    return any(re.search(x + r"$", span, re.IGNORECASE) for x in c.get("per_unit_bases", []))


def _repeat_key(i: Indicator) -> tuple | None:
    words = (i.subject or "").casefold().split()
    if len(words) < 2:
        return None
    return (i.kind, i.value, i.unit, " ".join(words[:4]))


def _drop_undated_repeats(indicators: list[Indicator]) -> list[Indicator]:
    """The same figure repeated is one indicator (ANNOTATION.md §6): a target announced without its deadline
    ("Kế hoạch … sửa chữa 2.305 nhà ở hư hỏng …") and restated with it is the dated one."""
    dated = {k for i in indicators if i.period is not None and (k := _repeat_key(i)) is not None}
    return [i for i in indicators if i.period is not None or _repeat_key(i) not in dated]


def _heading(ctx: LinkContext, pos: int) -> str:
    return " / ".join(s.title for s in ctx.sections_at(pos))[-200:]


def link(doc: Document, use_models: bool = True) -> list[Indicator]:
    """Indicators of a Document whose mentions are extracted. The trained models (kind, metric) are used when
    their artifacts are in ``models/`` and, for the kind, when the model beat the rules in cross-validation."""
    from models.features import kind_features, metric_text, target_share

    ctx = LinkContext(doc)
    sents = [ctx.sentences.at(q.start) for q in ctx.quantities]
    rules = [rule_kind(ctx, q, s) for q, s in zip(ctx.quantities, sents, strict=True)]
    kinds = rules
    if use_models:
        from models.runtime import predict_kinds

        share = target_share(rules)
        feats = [kind_features(ctx.text[max(s[0], q.start - 120):q.start], ctx.text[q.end:min(s[1], q.end + 80)],
                               ctx.text[s[0]:s[1]], _heading(ctx, q.start), doc.metadata.doc_type,
                               q.normalized.unit, r, share)
                 for q, s, r in zip(ctx.quantities, sents, rules, strict=True)]
        # the change pattern ("giảm từ 36 xuống còn 28 người") and a decisive goal word ("phấn đấu", "chỉ tiêu")
        # are read off the words: the rule stands
        # so is the kind of a list of plans or results for a figure with only weak cues ("Mục tiêu cụ thể")
        kinds = [r if r == "baseline" or (r == "target" and decisive_target(ctx, q, s))
                 or list_kind(ctx, q, s) is not None else k
                 for q, s, r, k in zip(ctx.quantities, sents, rules, predict_kinds(feats, rules), strict=True)]
    indicators: list[Indicator] = []
    seen: set[tuple] = set()
    for q, sent, kind in zip(ctx.quantities, sents, kinds, strict=True):
        if q.start >= ctx.body_end or _qualifier(ctx, q) or _not_a_figure(ctx, q):
            continue
        subject = with_rate_period(subject_of(ctx, q, sent), q)
        n = q.normalized
        date = governing_date(ctx, q, sent, kind)
        if kind == "reported" and (_future(ctx, date) or (date is None and _plan_for_later_year(ctx)
                                                          and not _under_means(ctx, q))):
            # a figure of a time after the document's own date cannot have been observed: it is a goal; so is an
            # undated figure of a one-year plan for a later year ("Kế hoạch … năm 2024" issued in December 2023)
            kind = "target"
            date = governing_date(ctx, q, sent, kind)
        period = figure_period(ctx, q, sent, kind, date)
        key = (n.value, n.unit, n.denominator, n.value_max, kind, (subject or "")[:24].casefold(),
               period.end if period else None)
        if key in seen:
            continue
        seen.add(key)
        indicators.append(Indicator(
            kind=kind, value=n.value, unit=n.unit, denominator=n.denominator, comparator=n.comparator,
            value_max=n.value_max, change=n.change, subject=subject, period=period,
            location=place_of(ctx, q, sent), agencies=agencies_of(ctx, sent, q.start),
            start=q.start, end=q.end, text=q.text, sentence=ctx.text[sent[0]:sent[1]].strip()))
    indicators = _drop_undated_repeats(indicators)
    indicators.extend(null_targets(ctx))
    from_tables, spans = table_indicators(doc)
    if spans:
        indicators = [i for i in indicators if not any(lo <= i.start < hi for lo, hi in spans)]
    indicators.extend(from_tables)
    indicators.sort(key=lambda i: i.start)
    if use_models and indicators:
        from models.runtime import predict_metrics

        metrics = predict_metrics([metric_text(i.subject, i.unit, i.sentence) for i in indicators], min_proba=0.2)
        for ind, metric in zip(indicators, metrics, strict=True):
            ind.metric = metric
    return indicators
