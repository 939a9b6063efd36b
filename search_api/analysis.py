"""What the researcher notebooks call: an index of the bundled corpus, and tables and charts over its indicators.

The notebooks hold no logic of their own; each function here returns plain rows (a :class:`Table`, which is a list
of dicts that a notebook shows as an HTML table) or a matplotlib figure, built on the same backend and services as
the API.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from search_api.backends.base import IndicatorQuery, SearchBackend
from search_api.services import compare, progress
from search_api.settings import REPO_ROOT

TAXONOMY = REPO_ROOT / "models" / "metrics" / "taxonomy.yaml"
NO_DEADLINE = "no deadline"


class Table(list):
    """Rows (plain dicts) shown as an HTML table in a notebook and as aligned text elsewhere."""

    def __init__(self, rows=(), columns: list[str] | None = None, max_shown: int = 60) -> None:
        super().__init__(rows)
        cols = list(columns or [])
        for row in self:
            cols += [k for k in row if k not in cols]
        self.columns = cols
        self.max_shown = max_shown

    def _cells(self) -> list[list[str]]:
        return [["" if r.get(c) is None else str(r.get(c)) for c in self.columns] for r in self[: self.max_shown]]

    def _more(self) -> str:
        return f"… {len(self) - self.max_shown} more rows" if len(self) > self.max_shown else ""

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in self._cells())
        more = f"<p>{html.escape(self._more())}</p>" if self._more() else ""
        return f"<p>{len(self)} rows</p><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"

    def __repr__(self) -> str:
        cells = [[c[:60] for c in row] for row in self._cells()]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(self.columns)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True))]
        lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
        return "\n".join([f"{len(self)} rows", *lines, self._more()]).rstrip()


# ---------------------------------------------------------------- the index
def corpus_index(index_dir: str | Path | None = None) -> SearchBackend:
    """A tantivy index holding the bundled corpus, in ``index_dir``, else ``CHITIEU_INDEX_DIR``, else a new
    temporary folder. An index that already holds documents is reused as it is; an empty one is filled."""
    from corpus.bundled import bundled_paths
    from search_api.backends.tantivy_backend import TantivyBackend
    from search_api.ingest import index_paths

    root = Path(index_dir or os.environ.get("CHITIEU_INDEX_DIR") or tempfile.mkdtemp(prefix="chitieu-nb-"))
    root.mkdir(parents=True, exist_ok=True)
    backend = TantivyBackend(root)
    if backend.count()["documents"] == 0:
        index_paths(backend, bundled_paths())
    return backend


def index_summary(backend: SearchBackend) -> Table:
    """How many documents and indicators the index holds, and the indicators per kind."""
    counts = backend.count()
    kinds = Counter(r["kind"] for r in all_indicators(backend))
    return Table([{"what": "documents", "count": counts["documents"]},
                  {"what": "indicators", "count": counts["indicators"]},
                  *({"what": f"indicators: {k}", "count": n} for k, n in kinds.most_common())])


# ---------------------------------------------------------------- metrics and topics
@lru_cache(maxsize=1)
def _taxonomy() -> dict[str, dict]:
    import yaml

    try:
        data = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return {m["id"]: m for m in data.get("metrics", []) if isinstance(m, dict) and "id" in m}


def topic_of(metric: str | None) -> str:
    """The topic (taxonomy domain) of a metric id; ``other`` for an unclassified indicator."""
    if not metric or metric == "other":
        return "other"
    entry = _taxonomy().get(metric)
    return str(entry.get("domain") or metric.split(".")[0]) if entry else metric.split(".")[0]


def metric_label(metric: str | None) -> str:
    entry = _taxonomy().get(metric or "")
    return str(entry.get("label") or metric) if entry else (metric or "other")


def all_indicators(backend: SearchBackend, **filters: object) -> Table:
    """Every indicator matching the filters of ``IndicatorQuery``, as flat rows."""
    rows = []
    for rec in backend.iter_indicators(IndicatorQuery(**filters)):
        ind = rec.indicator
        rows.append({"kind": ind.kind, "topic": topic_of(ind.metric), "metric": ind.metric, "subject": ind.subject,
                     "value": ind.value, "unit": ind.unit, "deadline": rec.deadline,
                     "deadline_year": int(rec.deadline[:4]) if rec.deadline else None, "province": rec.province,
                     "document": rec.document.number or rec.document.title, "doc_id": rec.doc_id,
                     "sentence": ind.sentence})
    return Table(rows)


# ---------------------------------------------------------------- (a) targets by topic and deadline
def targets_by_topic_and_deadline(backend: SearchBackend) -> Table:
    """Targets counted by topic, metric and deadline year (``no deadline`` when none was found), most first."""
    counts = Counter((r["topic"], r["metric"], r["deadline_year"] or NO_DEADLINE)
                     for r in all_indicators(backend, kind="target"))
    return Table([{"topic": t, "metric": m, "label": metric_label(m), "deadline_year": y, "targets": n}
                  for (t, m, y), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1], str(kv[0][2])))])


def topic_deadline_matrix(backend: SearchBackend) -> Table:
    """One row per topic, one column per deadline year: the number of targets (a cross-tabulation)."""
    counts = Counter((r["topic"], r["deadline_year"] or NO_DEADLINE) for r in all_indicators(backend, kind="target"))
    years = sorted({y for _t, y in counts}, key=lambda y: (isinstance(y, str), str(y)))
    topics = sorted({t for t, _y in counts}, key=lambda t: -sum(n for (tt, _y), n in counts.items() if tt == t))
    rows = [{"topic": t, **{str(y): counts.get((t, y), 0) for y in years},
             "total": sum(counts.get((t, y), 0) for y in years)} for t in topics]
    return Table(rows, columns=["topic", *map(str, years), "total"])


def targets_of_topic(backend: SearchBackend, topic: str, limit: int = 30) -> Table:
    """The targets of one topic, earliest deadline first, with the sentence that states them."""
    rows = sorted((r for r in all_indicators(backend, kind="target") if r["topic"] == topic),
                  key=lambda r: (r["deadline"] or "9999", r["metric"]))
    cols = ["metric", "value", "unit", "deadline", "province", "document", "sentence"]
    return Table([{c: r[c] for c in cols} for r in rows[:limit]], columns=cols)


def stacked_chart(matrix: Table, label: str, title: str, skip: tuple[str, ...] = ("total",)):
    """Bars per column of a cross-tabulation (e.g. deadline year), stacked by row (e.g. topic)."""
    plt = _pyplot()
    columns = [c for c in matrix.columns if c != label and c not in skip]
    fig, ax = plt.subplots(figsize=(max(6.0, 0.6 * len(columns) + 2), 4.5))
    bottom = [0.0] * len(columns)
    for row in matrix:
        values = [float(row.get(c) or 0) for c in columns]
        ax.bar(columns, values, bottom=bottom, label=str(row[label]))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title(title)
    ax.legend(fontsize=8, ncol=2)
    ax.tick_params(axis="x", rotation=45)
    fig.tight_layout()
    plt.close(fig)
    return fig


# ---------------------------------------------------------------- (b) one metric across provinces
def metrics_by_spread(backend: SearchBackend, limit: int = 15) -> Table:
    """Classified metrics ranked by the number of provinces that set targets for them, then by targets."""
    provinces: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, Counter] = defaultdict(Counter)
    for r in all_indicators(backend):
        if r["metric"] in (None, "other"):
            continue
        kinds[r["metric"]][r["kind"]] += 1
        if r["province"] and r["kind"] == "target":
            provinces[r["metric"]].add(r["province"])
    ranked = sorted(kinds, key=lambda m: (-len(provinces[m]), -kinds[m]["target"], m))
    return Table([{"metric": m, "label": metric_label(m), "provinces": len(provinces[m]),
                   "targets": kinds[m]["target"], "reported": kinds[m]["reported"]} for m in ranked[:limit]])


def metric_across_provinces(backend: SearchBackend, metric: str, provinces: list[str] | None = None) -> Table:
    """One row per province (the API's compare): its targets and reported figures for the metric, its earliest
    target and latest reported figure in the metric's most common unit."""
    rows = compare(backend, provinces or _provinces_with(backend, metric), metric=metric)["provinces"]
    units = Counter(f["unit"] for row in rows for f in row["targets"] + row["reported"] if f["value"] is not None)
    unit = units.most_common(1)[0][0] if units else None
    out = []
    for row in rows:
        t = next((f for f in row["targets"] if f["unit"] == unit and f["value"] is not None), None)
        r = next((f for f in row["reported"] if f["unit"] == unit and f["value"] is not None), None)
        out.append({"province": row["province"], "targets": row["n_targets"], "reported": row["n_reported"],
                    "unit": unit, "target": t and t["value"], "deadline": t and t["deadline"],
                    "latest_reported": r and r["value"], "reported_on": r and r["date"],
                    "source": t and (t["source"]["number"] or t["source"]["title"])})
    return Table(out)


def _provinces_with(backend: SearchBackend, metric: str) -> list[str]:
    return sorted({r["province"] for r in all_indicators(backend, metric=metric) if r["province"]})


def province_chart(rows: Table, title: str):
    """Per province: its earliest target and latest reported figure (bars side by side, log scale when the values
    span more than two orders of magnitude); when no province has a value, the counts of targets and figures."""
    plt = _pyplot()
    series = ("target", "latest_reported") if any(r["target"] or r["latest_reported"] for r in rows) \
        else ("targets", "reported")
    fig, ax = plt.subplots(figsize=(8, 0.5 * max(3, len(rows)) + 1.5))
    ys = range(len(rows))
    for i, name in enumerate(series):
        values = [float(r[name] or 0) for r in rows]
        ax.barh([y + 0.4 * i for y in ys], values, height=0.4, label=name)
    ax.set_yticks([y + 0.2 for y in ys], [str(r["province"]) for r in rows])
    positive = [float(r[s]) for r in rows for s in series if r[s]]
    if positive and max(positive) / min(positive) > 100:
        ax.set_xscale("log")
    unit = next((r["unit"] for r in rows if r.get("unit")), None)
    ax.set_xlabel(unit if series[0] == "target" and unit else "count")
    ax.set_title(title)
    ax.invert_yaxis()
    ax.legend()
    fig.tight_layout()
    plt.close(fig)
    return fig


# ---------------------------------------------------------------- (c) progress of one province
def progress_rows(backend: SearchBackend, province: str, metric: str) -> dict[str, Table]:
    """Targets with attainment and status, and the reported figures over time (the API's progress)."""
    data = progress(backend, province, metric)
    targets = [{"value": t["target"]["value"], "unit": t["target"]["unit"], "deadline": t["target"]["deadline"],
                "status": t["status"], "attainment": t["attainment"],
                "latest": t["latest"] and t["latest"]["value"],
                "source": t["target"]["source"]["number"] or t["target"]["source"]["title"]} for t in data["targets"]]
    reported = [{"date": r["date"], "value": r["value"], "unit": r["unit"], "kind": r["kind"],
                 "source": r["source"]["number"] or r["source"]["title"], "sentence": r["source"]["sentence"]}
                for r in data["reported"]]
    return {"targets": Table(targets), "reported": Table(reported)}


def busiest_province_metric(backend: SearchBackend, candidates: int = 25) -> tuple[str, str] | None:
    """A good first example: among the (province, metric) pairs with the most indicators, the first whose targets
    can be assessed (a reported figure in a target's unit), else the first with targets and figures, else the
    busiest."""
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    counts: Counter = Counter()
    for r in all_indicators(backend):
        if r["province"] and r["metric"] not in (None, "other"):
            kinds[(r["province"], r["metric"])].add(r["kind"])
            counts[(r["province"], r["metric"])] += 1
    ranked = [p for p, _n in counts.most_common(candidates)]
    both = [p for p in ranked if {"target", "reported"} <= kinds[p]]
    for pair in both:
        if any(t["status"] != "no data" for t in progress(backend, *pair)["targets"]):
            return pair
    return (both or ranked or [None])[0]


def progress_chart(data: dict[str, Table], title: str):
    """Reported figures over time (points) against the targets (dashed lines to their deadlines), in the unit of
    the first target that has a value (else the most common unit of the figures)."""
    plt = _pyplot()
    from search_api.backends.base import parse_iso

    units = [t["unit"] for t in data["targets"] if t["value"] is not None]
    units += [u for u, _n in Counter(r["unit"] for r in data["reported"]).most_common()]
    unit = units[0] if units else None
    fig, ax = plt.subplots(figsize=(8, 4.5))
    points = sorted((parse_iso(r["date"]), float(r["value"])) for r in data["reported"]
                    if r["unit"] == unit and r["value"] is not None and parse_iso(r["date"]))
    if points:
        ax.plot([d for d, _v in points], [v for _d, v in points], "o-", label="reported")
    for t in data["targets"]:
        deadline = parse_iso(t["deadline"])
        if t["unit"] == unit and t["value"] is not None:
            ax.axhline(float(t["value"]), linestyle="--", color="#c05621", linewidth=1)
            if deadline:
                ax.plot([deadline], [float(t["value"])], "D", color="#c05621")
    ax.plot([], [], "D--", color="#c05621", label="target (at its deadline)")
    if ax.get_ylim()[0] > 0:
        ax.set_ylim(bottom=0)
    ax.set_ylabel(unit or "")
    ax.set_title(title)
    ax.legend()
    fig.autofmt_xdate()
    fig.tight_layout()
    plt.close(fig)
    return fig


# ---------------------------------------------------------------- (d) extraction quality
@lru_cache(maxsize=2)
def _report(gold_dir: Path | None = None):
    from extractors.evaluate import evaluate

    return evaluate(gold_dir)


def quality_table(gold_dir: Path | None = None) -> Table:
    """Precision, recall and F1 per kind on the gold set (what ``chitieu eval`` prints)."""
    report = _report(gold_dir)
    return Table([{"kind": k, "precision": round(s.precision, 3), "recall": round(s.recall, 3),
                   "f1": round(s.f1, 3), "tp": s.tp, "fp": s.fp, "fn": s.fn} for k, s in report.scores.items()])


def accuracy_table(gold_dir: Path | None = None) -> Table:
    """The accuracies ``chitieu eval`` prints: indicator kind, agency role, metadata."""
    r = _report(gold_dir)
    return Table([{"what": name, "accuracy": round(a.value, 3), "n": a.total}
                  for name, a in (("indicator kind", r.indicator_kind), ("agency role", r.agency_role),
                                  ("metadata", r.metadata))])


def _gold_texts(gold_dir: Path | None) -> dict[tuple[str, str, object], str]:
    """(file, kind, evaluation key) → the text the gold annotator marked, keyed exactly as evaluate keys them."""
    from corpus.gold import load_gold
    from extractors.evaluate import _fold, _num, _year

    out: dict[tuple[str, str, object], str] = {}
    for g in load_gold(gold_dir):
        for i in g.indicators:
            out.setdefault((g.file, "quantity", (_num(i.value), _fold(i.unit))), i.text)
            if i.kind == "target":
                out.setdefault((g.file, "target", (_num(i.value), _year(i.period_end))), i.text)
        for d in g.dates:
            out.setdefault((g.file, "date", (d.start, d.end, d.grain)), d.text)
        for r in g.references:
            out.setdefault((g.file, "reference", _fold(r.number)), r.text)
        for a in g.agencies:
            out.setdefault((g.file, "agency", _fold(a.canonical)), a.name)
        for loc in g.locations:
            out.setdefault((g.file, "location", (_fold(loc.name), loc.level)), loc.name)
    return out


@lru_cache(maxsize=2)
def _found_texts(gold_dir: Path | None = None) -> dict[tuple[str, str, object], str]:
    """(file, kind, evaluation key) → the text an extractor marked, for the gold documents (the documents the
    evaluation scored, so with the same held-out kind models)."""
    from extractors.evaluate import _num, _year

    out: dict[tuple[str, str, object], str] = {}
    for file, doc in _report(gold_dir).annotated.items():
        for m in doc.mentions:
            key = _mention_key(m.kind, m.normalized)
            if key is not None:
                out.setdefault((file, m.kind, key), m.text)
        for i in doc.indicators:
            if i.kind == "target":
                out.setdefault((file, "target", (_num(i.value), _year(i.period.end if i.period else None))), i.text)
    return out


def _mention_key(kind: str, n) -> object:
    """A mention's key as ``extractors.evaluate.score_document`` builds it (None for a kind it does not score)."""
    from extractors.evaluate import _fold, _num

    if kind == "quantity":
        return (_num(n.value), _fold(n.unit))
    if kind == "date":
        return (n.start, n.end, n.grain)
    if kind == "reference":
        return _fold(n.number)
    if kind == "agency":
        return _fold(n.canonical)
    if kind == "location":
        return (_fold(n.name), n.level)
    return None


def error_examples(kind: str, limit: int = 10, gold_dir: Path | None = None) -> Table:
    """Examples of what the extractors get wrong for one kind: gold items they miss (with the text the annotator
    marked) and items they find that the gold does not hold (with the text they marked)."""
    score = _report(gold_dir).scores[kind]
    gold, found = _gold_texts(gold_dir), _found_texts(gold_dir)
    rows = [{"error": "miss", "file": f, "key": repr(k), "text": gold.get((f, kind, k), "")}
            for f, k in score.misses[:limit]]
    rows += [{"error": "extra", "file": f, "key": repr(k), "text": found.get((f, kind, k), "")}
             for f, k in score.extras[:limit]]
    return Table(rows)


def bar_chart(rows: list[dict], label: str, value: str, title: str):
    """A horizontal bar chart of ``value`` per ``label`` (rows without a value are left out)."""
    plt = _pyplot()
    rows = [r for r in rows if r.get(value) is not None]
    fig, ax = plt.subplots(figsize=(7, 0.4 * max(3, len(rows)) + 1))
    ax.barh([str(r[label]) for r in rows], [float(r[value]) for r in rows], color="#2b6cb0")
    ax.set_title(title)
    ax.invert_yaxis()
    fig.tight_layout()
    plt.close(fig)
    return fig


def _pyplot():
    """pyplot, headless (Agg) outside a notebook; a returned figure is shown once, by the notebook's display."""
    import matplotlib

    if not os.environ.get("MPLBACKEND") and "inline" not in matplotlib.get_backend():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
