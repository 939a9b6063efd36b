"""Results computed from the backend, shared by the JSON API and the web pages (routes only format them)."""

from __future__ import annotations

from datetime import date

from corpus.model import Document
from search_api.backends.base import (
    DocumentQuery,
    DocumentSummary,
    IndicatorQuery,
    IndicatorRecord,
    SearchBackend,
    doc_province,
    number_key,
    parse_iso,
)


def resolve_reference(backend: SearchBackend, number: str, date: str | None = None) -> list[DocumentSummary]:
    """The indexed documents a cited number may be; when the citation carries a date, those issued that day first."""
    found = backend.find_by_number(number)
    if date:
        same_day = [d for d in found if (d.metadata.issued_date or "") == date]
        if same_day:
            return same_day
    return found


def document_detail(backend: SearchBackend, doc: Document) -> dict:
    """Metadata, text, sections, mentions, indicators, what the document cites (resolved) and what cites it."""
    cites = []
    seen: set[str] = set()
    for m in doc.mentions_of("reference"):
        key = number_key(m.normalized.number)
        if not key or key in seen or key == number_key(doc.metadata.number):
            continue
        seen.add(key)
        resolved = [d for d in resolve_reference(backend, m.normalized.number, m.normalized.date) if d.id != doc.id]
        cites.append({"number": m.normalized.number, "doc_type": m.normalized.doc_type, "date": m.normalized.date,
                      "issuer": m.normalized.issuer, "text": m.text, "start": m.start, "end": m.end,
                      "documents": [d.model_dump(mode="json") for d in resolved]})
    cited_by = []
    if doc.metadata.number:
        cited_by = [d.model_dump(mode="json") for d in backend.citing(doc.metadata.number) if d.id != doc.id]
    data = doc.model_dump(mode="json")
    data["metadata"]["province"] = doc_province(doc)
    data["cites"] = cites
    data["cited_by"] = cited_by
    return data


# ---------------------------------------------------------------- figures, compare, progress, agencies, export
def figure(rec: IndicatorRecord) -> dict:
    """One indicator as a figure linked to its source sentence."""
    ind = rec.indicator
    return {"id": rec.id, "kind": ind.kind, "metric": ind.metric, "subject": ind.subject, "value": ind.value,
            "unit": ind.unit, "denominator": ind.denominator, "comparator": ind.comparator,
            "value_max": ind.value_max, "change": ind.change, "deadline": rec.deadline,
            "period": ind.period.model_dump() if ind.period else None, "date": figure_date(rec),
            "province": rec.province, "agencies": [a.model_dump() for a in ind.agencies],
            "source": {"doc_id": rec.doc_id, "number": rec.document.number, "doc_type": rec.document.doc_type,
                       "title": rec.document.title, "issuer": rec.document.issuer,
                       "issued_date": rec.document.issued_date, "text": ind.text, "sentence": ind.sentence,
                       "start": ind.start, "end": ind.end, "url": f"/api/documents/{rec.doc_id}"}}


def figure_date(rec: IndicatorRecord) -> str | None:
    """When a figure holds: the end (or start) of its period, else its document's date."""
    p = rec.indicator.period
    return (p.end or p.start if p else None) or rec.document.issued_date


def _indicators(backend: SearchBackend, limit: int = 2000, **filters: object) -> list[IndicatorRecord]:
    out = []
    for rec in backend.iter_indicators(IndicatorQuery(**filters)):
        out.append(rec)
        if len(out) >= limit:
            break
    return out


def compare(backend: SearchBackend, provinces: list[str], metric: str | None = None, topic: str | None = None,
            max_reported: int = 5) -> dict:
    """Provinces side by side for a metric (or a topic searched in the indicators' words): each province's
    targets (value, deadline, source) and its latest reported figures."""
    base: dict = {"metric": metric, "q": topic}
    if not provinces:
        facets = backend.search_indicators(IndicatorQuery(**base, size=1, exact_facets=True)).facets.get("province", [])
        provinces = [str(f.value) for f in facets[:10]]
    rows = []
    for province in provinces:
        recs = _indicators(backend, **base, province=province)
        targets = sorted((r for r in recs if r.indicator.kind == "target"), key=lambda r: (r.deadline or "9999"))
        reported = sorted((r for r in recs if r.indicator.kind == "reported"), key=lambda r: figure_date(r) or "",
                          reverse=True)
        rows.append({"province": province, "targets": [figure(r) for r in targets],
                     "reported": [figure(r) for r in reported[:max_reported]],
                     "n_targets": len(targets), "n_reported": len(reported)})
    return {"metric": metric, "topic": topic, "provinces": rows}


def _lower_is_better(target: IndicatorRecord) -> bool:
    ind = target.indicator
    return ind.comparator in ("lt", "lte") or ind.change == "down"


def assess(target: IndicatorRecord, reported: list[IndicatorRecord], today: date | None = None) -> dict:
    """Attainment (reported ÷ target; target ÷ reported for a ceiling) and a status: achieved, on track, behind,
    no data. Only figures in the target's unit count. A target not yet achieved is on track while its deadline is
    ahead and the attainment is at least the share of the time elapsed since the target was set; else behind."""
    t = target.indicator
    same = [r for r in reported if r.indicator.value is not None and (r.indicator.unit or "") == (t.unit or "")]
    if t.value is None or not same:
        return {"status": "no data", "attainment": None, "latest": None}
    latest = max(same, key=lambda r: figure_date(r) or "")
    value = float(latest.indicator.value)
    lower = _lower_is_better(target)
    if lower:
        attainment = (float(t.value) / value) if value else None
        achieved = value <= float(t.value)
    else:
        attainment = (value / float(t.value)) if t.value else None
        achieved = value >= float(t.value)
    status = "achieved" if achieved else "behind"
    if not achieved:
        as_of = parse_iso(figure_date(latest)) or today or date.today()
        deadline = parse_iso(target.deadline)
        set_on = parse_iso(target.document.issued_date)
        if deadline and as_of <= deadline and attainment is not None:
            if set_on and set_on < deadline:
                elapsed = max(0.0, (as_of - set_on).days / (deadline - set_on).days)
                status = "on track" if attainment >= min(elapsed, 1.0) else "behind"
            else:
                status = "on track"
    return {"status": status, "attainment": round(attainment, 4) if attainment is not None else None,
            "latest": figure(latest)}


def progress(backend: SearchBackend, province: str, metric: str) -> dict:
    """One province and metric: the targets with deadlines, the reported figures over time, attainment, status."""
    recs = _indicators(backend, province=province, metric=metric)
    targets = sorted((r for r in recs if r.indicator.kind == "target"), key=lambda r: r.deadline or "9999")
    reported = sorted((r for r in recs if r.indicator.kind in ("reported", "baseline")),
                      key=lambda r: figure_date(r) or "")
    rows = []
    for t in targets:
        rows.append({"target": figure(t), **assess(t, [r for r in reported if r.indicator.kind == "reported"])})
    return {"province": province, "metric": metric, "targets": rows,
            "reported": [figure(r) for r in reported]}


def _sentence_around(text: str, start: int, end: int, limit: int = 400) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), start - limit)
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min([*right_candidates, end + limit, len(text)])
    return text[left + 1:right + 1].strip()


def agency_view(backend: SearchBackend, agency: str, province: str | None = None, max_docs: int = 20) -> dict:
    """The targets and tasks assigned to an agency: its indicators, and the sentences that name it as lead,
    support or assignee."""
    recs = _indicators(backend, agency=agency, province=province)
    tasks = []
    hits = backend.search_documents(DocumentQuery(agency=agency, province=province, size=max_docs,
                                                  facets=False, highlight=False)).hits
    for hit in hits:
        doc = backend.get_document(hit.id)
        if doc is None:
            continue
        for m in doc.mentions_of("agency"):
            if m.normalized.canonical == agency and m.normalized.role in ("lead", "support", "assignee"):
                tasks.append({"role": m.normalized.role, "sentence": _sentence_around(doc.text, m.start, m.end),
                              "doc_id": doc.id, "number": doc.metadata.number, "start": m.start, "end": m.end})
    return {"agency": agency, "province": province,
            "targets": [figure(r) for r in recs if r.indicator.kind == "target"],
            "reported": [figure(r) for r in recs if r.indicator.kind != "target"], "tasks": tasks}


def agency_list(backend: SearchBackend, province: str | None = None) -> list[dict]:
    facets = backend.search_indicators(IndicatorQuery(province=province, size=1, exact_facets=True)).facets.get("agency", [])
    return [{"agency": f.value, "indicators": f.count} for f in facets]


EXPORT_COLUMNS = ["id", "doc_id", "doc_number", "doc_type", "doc_title", "issuer", "issued_date", "province",
                  "kind", "metric", "subject", "value", "unit", "denominator", "comparator", "value_max", "change",
                  "period_start", "period_end", "deadline", "agencies", "text", "sentence", "start", "end"]


def export_row(rec: IndicatorRecord) -> dict:
    ind, d = rec.indicator, rec.document
    return {"id": rec.id, "doc_id": rec.doc_id, "doc_number": d.number, "doc_type": d.doc_type,
            "doc_title": d.title, "issuer": d.issuer, "issued_date": d.issued_date, "province": rec.province,
            "kind": ind.kind, "metric": ind.metric, "subject": ind.subject, "value": ind.value, "unit": ind.unit,
            "denominator": ind.denominator, "comparator": ind.comparator, "value_max": ind.value_max,
            "change": ind.change, "period_start": ind.period.start if ind.period else None,
            "period_end": ind.period.end if ind.period else None, "deadline": rec.deadline,
            "agencies": "; ".join(f"{a.canonical} ({a.role})" for a in ind.agencies), "text": ind.text,
            "sentence": ind.sentence, "start": ind.start, "end": ind.end}
