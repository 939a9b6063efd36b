"""Formatting for the web pages: Vietnamese labels and numbers, the readable form of a mention's normalized
value, and the document text with every mention wrapped in a span (nested when one mention holds another)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from markupsafe import Markup

HERE = Path(__file__).resolve().parent
TAXONOMY = HERE.parents[1] / "models" / "metrics" / "taxonomy.yaml"


@lru_cache(maxsize=1)
def labels() -> dict:
    return json.loads((HERE / "labels.json").read_text("utf-8"))


def label(group: str, key: str | None) -> str:
    if key is None:
        return ""
    return labels()[group].get(key, key)


@lru_cache(maxsize=1)
def metric_labels() -> dict[str, str]:
    """Metric id → Vietnamese label, from the metric taxonomy (empty when it cannot be read)."""
    try:
        data = yaml.safe_load(TAXONOMY.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return {m["id"]: m.get("label") or m["id"] for m in data.get("metrics", []) if isinstance(m, dict) and "id" in m}


def metric_label(metric: str | None) -> str:
    if not metric:
        return ""
    if metric == "other":
        return "Khác (chưa phân loại)"
    return metric_labels().get(metric, metric)


def fmt_period(period: dict | None, kind: str | None = None) -> str:
    """A figure's period as written when known, else 'từ …', 'đến …' or 'start – end'."""
    if not period:
        return ""
    if period.get("text"):
        return str(period["text"])
    start, end = fmt_date(period.get("start")), fmt_date(period.get("end"))
    if start and end:
        return end if start == end else f"{start} – {end}"
    if end:
        return f"đến {end}"
    return f"từ {start}" if start else ""


def fmt_number(value: float | int | None) -> str:
    """Vietnamese notation: '.' groups thousands, ',' is the decimal mark (4059 → 4.059; 1.5 → 1,5)."""
    if value is None:
        return ""
    v = float(value)
    if v.is_integer() and abs(v) < 1e18:
        return f"{int(v):,}".replace(",", ".")
    text = f"{v:,.6f}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    return whole.replace(",", ".") + ("," + frac if frac else "")


def fmt_amount(value: float | int | None, unit: str | None = None, comparator: str | None = None,
               value_max: float | int | None = None, denominator: float | int | None = None,
               change: str | None = None) -> str:
    """'ít nhất 50 %', '80–85 %', '18/142 xã', 'giảm 270 người'."""
    if value is None:
        return "(không có số)"
    parts = []
    if change:
        parts.append(label("changes", change))
    if comparator:
        parts.append(label("comparators", comparator))
    number = fmt_number(value)
    if value_max is not None:
        number += "–" + fmt_number(value_max)
    if denominator is not None:
        number += "/" + fmt_number(denominator)
    if unit == "%":
        number += "%"
    parts.append(number)
    if unit and unit != "%":
        parts.append(unit)
    return " ".join(p for p in parts if p)


def fmt_date(iso: str | None) -> str:
    """'2024-03-29' → '29/03/2024'; '2025' stays '2025'."""
    if not iso:
        return ""
    bits = iso[:10].split("-")
    if len(bits) == 3:
        return f"{bits[2]}/{bits[1]}/{bits[0]}"
    if len(bits) == 2:
        return f"{bits[1]}/{bits[0]}"
    return iso


def mention_title(kind: str, value: dict) -> str:
    """The readable form of a mention's normalized value (shown on hover, and on tap through focus)."""
    if kind == "quantity":
        return fmt_amount(value.get("value"), value.get("unit"), value.get("comparator"), value.get("value_max"),
                          value.get("denominator"), value.get("change"))
    if kind == "date":
        start, end, grain = value.get("start"), value.get("end"), value.get("grain")
        if start and end and start == end:
            span = fmt_date(start)
        elif start or end:
            span = f"{fmt_date(start) or '…'} – {fmt_date(end) or '…'}"
        else:
            span = "?"
        return f"{span} ({label('grains', grain)})" if grain else span
    if kind == "reference":
        bits = [value.get("doc_type"), value.get("number")]
        head = " ".join(b for b in bits if b)
        tail = [f"ngày {fmt_date(value['date'])}" if value.get("date") else None, value.get("issuer")]
        return " · ".join([head, *[t for t in tail if t]])
    if kind == "agency":
        role = value.get("role")
        return f"{value.get('canonical') or value.get('name')} · {label('roles', role)}" if role else \
            str(value.get("canonical") or value.get("name"))
    if kind == "location":
        bits = [value.get("name"), label("levels", value.get("level"))]
        if value.get("province") and value.get("province") != value.get("name"):
            bits.append(value["province"])
        if value.get("current_name"):
            bits.append(f"nay: {value['current_name']}")
        return " · ".join(b for b in bits if b)
    return json.dumps(value, ensure_ascii=False)


def normalized_json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# ---------------------------------------------------------------- the text with its mentions marked
@dataclass
class Span:
    start: int
    end: int
    tag: str  # the opening tag
    rank: int = 0  # among spans with the same extent, lower ranks enclose higher ones
    children: list[Span] = field(default_factory=list)


def mention_span(m: dict) -> Span:
    kind = m["kind"]
    value = m.get("normalized") or {}
    attrs = {"class": f"m m-{kind}", "id": f"m{m['start']}-{m['end']}", "data-kind": kind, "data-start": str(m["start"]), "data-end": str(m["end"]),
             "data-normalized": normalized_json(value), "title": mention_title(kind, value), "tabindex": "0"}
    return Span(m["start"], m["end"], _tag("span", attrs), rank=1)


def indicator_span(ind: dict, position: int) -> Span:
    attrs = {"class": f"ind ind-{ind['kind']}", "id": anchor_id(ind["start"], ind["end"]),
             "data-indicator": str(position)}
    return Span(ind["start"], ind["end"], _tag("span", attrs), rank=0)


def anchor_id(start: int, end: int) -> str:
    return f"i{start}-{end}"


def _tag(name: str, attrs: dict[str, str]) -> str:
    inner = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    return f"<{name} {inner}>"


def nest(spans: list[Span], length: int) -> tuple[list[Span], int]:
    """Spans as a forest: each inside the innermost span that contains it. Spans out of the text, empty, or
    crossing an earlier one are dropped; returns the roots and how many were dropped."""
    roots: list[Span] = []
    stack: list[Span] = []
    dropped = 0
    for sp in sorted(spans, key=lambda s: (s.start, -s.end, s.rank)):
        if sp.start < 0 or sp.end > length or sp.start >= sp.end:
            dropped += 1
            continue
        while stack and stack[-1].end <= sp.start:
            stack.pop()
        if stack and sp.end > stack[-1].end:
            dropped += 1
            continue
        (stack[-1].children if stack else roots).append(sp)
        stack.append(sp)
    return roots, dropped


def render_spans(text: str, roots: list[Span], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out, pos = [], start
    for sp in roots:
        out.append(html.escape(text[pos:sp.start]))
        out.append(sp.tag + render_spans(text, sp.children, sp.start, sp.end) + "</span>")
        pos = sp.end
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def marked_text(text: str, mentions: list[dict], indicators: list[dict]) -> tuple[Markup, int]:
    """The document text as HTML: mentions as ``span.m`` (normalized value in ``title`` and
    ``data-normalized``), indicators as ``span.ind`` with an id the other pages link to."""
    spans = [mention_span(m) for m in mentions] + [indicator_span(ind, i) for i, ind in enumerate(indicators)]
    roots, dropped = nest(spans, len(text))
    return Markup(render_spans(text, roots)), dropped
