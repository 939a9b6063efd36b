"""Target tables: a plan's table (STT | Chỉ tiêu | Đơn vị tính | Kế hoạch năm … | Đơn vị chủ trì) becomes indicators
with the row's subject, unit, value, the period of the value column's header and the row's agency.

Every reader lays a table into Document.text one row per line, cells joined by `` | `` (PDF and DOCX tables through
``rows_text``, HTML tables as trafilatura's pipe rows), so tables are found in the text itself: runs of lines with
cell separators. Offsets are those of the cells in Document.text. Header cells are told apart by their words
(tables.yaml), not by their position.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
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
)
from extractors.indicators.wordlists import PERIOD_GRAINS, alternation
from extractors.numbers import parse_digits, to_number

TABLES_PATH = Path(__file__).with_name("tables.yaml")
_SEPARATOR_ROW = re.compile(r"^[\s|:\-–]+$")
_NUMBER = r"\d[\d.,]*"
_VALUE = re.compile(rf"^(?P<lead>[^\d]*?)\s*(?P<v>{_NUMBER})\s*(?:[-–]\s*(?P<max>{_NUMBER}))?\s*(?P<pct>%)?\s*$")
_NUMBERING = re.compile(r"^\s*(?:[-–+•*]|\d+(?:\.\d+)*[.)]?|[a-zđ][.)]|[IVXLC]+[.)]?)\s+")


@lru_cache
def table_cues() -> dict:
    return yaml.safe_load(TABLES_PATH.read_text(encoding="utf-8"))



@lru_cache
def _patterns() -> dict[str, re.Pattern[str]]:
    c = table_cues()
    out = {f"col_{k}": alternation(v) for k, v in c["columns"].items()}
    out["value_target"] = alternation(c["value_target"])
    out["value_reported"] = alternation(c["value_reported"])
    for direction, words in (c.get("change_endings") or {}).items():
        out[f"change_{direction}"] = alternation(words, r"(?<![\wÀ-ỹ])(?:{})\s*$")
    return out


def _change(subject: str | None) -> str | None:
    """"up"/"down" when the subject cell names a change ("Tỷ lệ hộ nghèo giảm"), else None."""
    if not subject:
        return None
    p = _patterns()
    for direction in ("up", "down"):
        pat = p.get(f"change_{direction}")
        if pat is not None and pat.search(subject):
            return direction
    return None


@dataclass
class Cell:
    start: int
    end: int
    text: str


@dataclass
class TextTable:
    start: int
    end: int
    rows: list[list[Cell]] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------ finding tables
def _cells(text: str, lo: int, hi: int) -> list[Cell]:
    """The cells of one row line text[lo:hi], with their offsets (stripped)."""
    line = text[lo:hi]
    body_lo, body_hi = 0, len(line)
    stripped = line.strip()
    if stripped.startswith("|"):
        body_lo = line.index("|") + 1
    if stripped.endswith("|"):
        body_hi = line.rindex("|")
    cells: list[Cell] = []
    pos = body_lo
    for part in line[body_lo:body_hi].split("|"):
        s = pos + len(part) - len(part.lstrip())
        e = pos + len(part.rstrip())
        cells.append(Cell(lo + s, lo + max(s, e), text[lo + s:lo + max(s, e)]))
        pos += len(part) + 1
    return cells


def find_tables(text: str) -> list[TextTable]:
    """Runs of two or more lines holding at least two cell separators."""
    tables: list[TextTable] = []
    current: TextTable | None = None
    pos = 0
    for line in text.split("\n"):
        lo, hi = pos, pos + len(line)
        pos = hi + 1
        if line.count("|") >= 2:
            if _SEPARATOR_ROW.match(line):
                continue
            if current is None:
                current = TextTable(lo, hi)
                tables.append(current)
            current.rows.append(_cells(text, lo, hi))
            current.end = hi
        else:
            current = None
    return [t for t in tables if len(t.rows) >= 2]


# ------------------------------------------------------------------------------------------------ headers
@dataclass
class Column:
    index: int
    role: str                     # number, subject, unit, lead, support, skip, value, other
    header: str = ""
    kind: str | None = None       # value columns: target or reported
    period: DateMention | None = None


def _dates_in(doc: Document, lo: int, hi: int) -> list[DateMention]:
    return [m for m in doc.mentions if isinstance(m, DateMention) and lo <= m.start and m.end <= hi
            and m.normalized.grain in PERIOD_GRAINS]


def _role(header: str) -> str | None:
    p = _patterns()
    best: tuple[int, str] | None = None
    for role in ("skip", "unit", "lead", "support", "number", "subject"):
        for m in p[f"col_{role}"].finditer(header):
            if best is None or len(m.group(0)) > best[0]:
                best = (len(m.group(0)), role)
    return best[1] if best else None


def _spread(row: list[Cell], full: list[Cell]) -> list[Cell | None]:
    """A header row with fewer cells than the table (a cell merged across columns, "Kế hoạch" over "Năm 2025 |
    Năm 2030", laid as one cell) spread over the columns of the fullest header row: cells whose text the full row
    repeats (merged down) stay in their column, a merged cell covers the columns between them."""
    if len(row) >= len(full):
        return list(row)
    out: list[Cell | None] = [None] * len(full)
    key = [c.text.casefold() for c in row]
    ref = [c.text.casefold() for c in full]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=key, b=ref, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                out[j1 + k] = row[i1 + k]
        elif j2 > j1 and i2 > i1:
            span = j2 - j1
            for k in range(span):
                out[j1 + k] = row[i1 + min(i2 - i1 - 1, k * (i2 - i1) // span)]
    return out


def _columns(doc: Document, header_rows: list[list[Cell]]) -> list[Column]:
    width = max(len(r) for r in header_rows)
    full = next(r for r in header_rows if len(r) == width)
    spread = [_spread(r, full) for r in header_rows]
    doc_year = (doc.metadata.issued_date or doc.metadata.published_date or "")[:4]
    p = _patterns()
    cols: list[Column] = []
    for i in range(width):
        parts = list({id(c): c for r in spread if i < len(r) and (c := r[i]) is not None and c.text}.values())
        header = " ".join(c.text for c in parts)
        dates = [d for c in parts for d in _dates_in(doc, c.start, c.end)]
        role = _role(header)
        if role == "skip" or (role in (None, "subject") and not dates and not p["value_target"].search(header)
                              and not p["value_reported"].search(header)):
            cols.append(Column(i, role or "other", header))
            continue
        if role in ("unit", "lead", "support", "number") or (role == "subject" and not dates):
            cols.append(Column(i, role, header))
            continue
        period = dates[-1] if dates else None
        reported = p["value_reported"].search(header)
        target = p["value_target"].search(header)
        if reported and (not target or reported.start() > target.start()):
            kind = "reported"
        elif target:
            kind = "target"
        elif period and period.normalized.end and doc_year and period.normalized.end[:4] < doc_year:
            kind = "reported"
        else:
            kind = "target"
        cols.append(Column(i, "value", header, kind, period))
    return cols


def _header_rows(table: TextTable) -> tuple[list[list[Cell]], int] | None:
    """The header row (the first of the first four rows naming a subject or unit column and a value column) and the
    rows under it that continue it (sub-headers such as ``Năm 2025 | Năm 2030`` with no figures)."""
    for i, row in enumerate(table.rows[:4]):
        roles = [_role(c.text) for c in row]
        if "subject" in roles and ("unit" in roles or len(row) >= 3):
            rows = [row]
            j = i + 1
            while j < len(table.rows) and _is_subheader(table.rows[j]):
                rows.append(table.rows[j])
                j += 1
            return rows, j
    return None


def _is_subheader(row: list[Cell]) -> bool:
    texts = [c.text for c in row if c.text]
    if not texts:
        return False
    return all(parse_digits(t) is None and not re.fullmatch(r"\(?\d+\)?", t) for t in texts) and any(
        re.search(r"(?:19|20)\d\d", t) for t in texts)


# ------------------------------------------------------------------------------------------------ cells
def _value(cell: str) -> tuple[Decimal, Decimal | None, str | None, bool] | None:
    m = _VALUE.match(cell.strip())
    if not m:
        return None
    v = parse_digits(m.group("v"))
    if v is None:
        return None
    vmax = parse_digits(m.group("max")) if m.group("max") else None
    lead = m.group("lead").strip().casefold()
    comparator = None
    if lead:
        for name, words in table_cues()["comparators"].items():
            if lead in {w.casefold() for w in words}:
                comparator = name
                break
        else:
            return None
    return v, vmax, comparator, bool(m.group("pct"))


def _unit(cell: str) -> tuple[str | None, Decimal]:
    words = cell.strip().strip("()").split()
    if not words:
        return None, Decimal(1)
    c = table_cues()
    scale = Decimal(1)
    first = words[0].casefold()
    if first in c["scales"]:
        scale = Decimal(str(c["scales"][first]))
        words = words[1:] or [c["money_default"]]
    unit = " ".join(words)
    if not unit.isupper() or len(unit) == 1:
        unit = unit.casefold()
    return unit, scale


def _subject(cell: str) -> str | None:
    s = _NUMBERING.sub("", cell).strip(" :;,.")
    if len(s) > 1 and s[0].isupper() and not s[1].isupper():
        s = s[0].lower() + s[1:]
    return s or None


# ------------------------------------------------------------------------------------------------ indicators
def _agencies(doc: Document, cells: list[tuple[Cell, str]]) -> list[IndicatorAgency]:
    out: dict[str, IndicatorAgency] = {}
    for cell, role in cells:
        found = [m for m in doc.mentions if isinstance(m, AgencyMention)
                 and cell.start <= m.start and m.end <= cell.end]
        for m in found:
            out.setdefault(m.normalized.canonical, IndicatorAgency(canonical=m.normalized.canonical, role=role))
    return list(out.values())


def _place(doc: Document, cell: Cell) -> IndicatorPlace | None:
    for m in doc.mentions:
        if isinstance(m, LocationMention) and cell.start <= m.start and m.end <= cell.end \
                and m.normalized.level != "country":
            return IndicatorPlace(name=m.normalized.name, level=m.normalized.level)
    prov = doc.metadata.province
    return IndicatorPlace(name=prov, level="province") if prov else None


def _period(d: DateMention | None) -> Period | None:
    if d is None:
        return None
    return Period(start=d.normalized.start, end=d.normalized.end, grain=d.normalized.grain, text=d.text)


def table_indicators(doc: Document) -> tuple[list[Indicator], list[tuple[int, int]]]:
    """Indicators of the document's target tables, and the spans of the tables they came from."""
    out: list[Indicator] = []
    spans: list[tuple[int, int]] = []
    for table in find_tables(doc.text):
        found = _header_rows(table)
        if found is None:
            continue
        header_rows, first = found
        cols = _columns(doc, header_rows)
        values = [c for c in cols if c.role == "value"]
        subject_col = next((c for c in cols if c.role == "subject"), None)
        if subject_col is None or not values:
            continue
        unit_col = next((c for c in cols if c.role == "unit"), None)
        agency_cols = [(c, "lead" if c.role == "lead" else "support") for c in cols if c.role in ("lead", "support")]
        before = len(out)
        for row in table.rows[first:]:
            if subject_col.index >= len(row) or not row[subject_col.index].text:
                continue
            subject = _subject(row[subject_col.index].text)
            unit, scale = (_unit(row[unit_col.index].text) if unit_col and unit_col.index < len(row)
                           else (None, Decimal(1)))
            agencies = _agencies(doc, [(row[c.index], r) for c, r in agency_cols if c.index < len(row)])
            place = _place(doc, row[subject_col.index])
            line = doc.text[row[0].start:row[-1].end]
            for col in values:
                if col.index >= len(row):
                    continue
                cell = row[col.index]
                parsed = _value(cell.text)
                if parsed is None:
                    continue
                v, vmax, comparator, pct = parsed
                u = "%" if pct else unit
                k = scale if u != "%" else Decimal(1)
                out.append(Indicator(
                    kind=col.kind or "target", value=to_number(v * k),
                    value_max=to_number(vmax * k) if vmax is not None else None, unit=u, comparator=comparator,
                    subject=subject, period=_period(col.period), location=place, agencies=agencies,
                    change=_change(subject),
                    start=cell.start, end=cell.end, text=cell.text, sentence=line, source="table"))
        if len(out) > before:
            spans.append((table.start, table.end))
    return out, spans
