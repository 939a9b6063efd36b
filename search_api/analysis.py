"""What the researcher notebooks call: an index of the bundled corpus, and tables and charts over its indicators.

The notebooks hold no logic of their own; each function here returns plain rows (lists of dicts) or a matplotlib
figure, built on the same backend and services as the API.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from search_api.backends.base import IndicatorQuery, SearchBackend
from search_api.services import compare, progress


def corpus_index(index_dir: str | Path | None = None) -> SearchBackend:
    """A tantivy index holding the bundled corpus: the folder of ``CHITIEU_NOTEBOOK_INDEX`` (or a temporary one),
    filled on first use (re-filling is an upsert by document id, so it never duplicates)."""
    from corpus.bundled import bundled_paths
    from search_api.backends.tantivy_backend import TantivyBackend
    from search_api.ingest import indexable, process

    root = Path(index_dir or os.environ.get("CHITIEU_NOTEBOOK_INDEX") or tempfile.mkdtemp(prefix="chitieu-nb-"))
    backend = TantivyBackend(root)
    if backend.count()["documents"] == 0:
        docs = [process(p) for p in bundled_paths()]
        backend.index_documents([d for d in docs if indexable(d)])
    return backend


def all_indicators(backend: SearchBackend, **filters: object) -> list[dict]:
    """Every indicator matching the filters of ``IndicatorQuery``, as flat rows."""
    rows = []
    for rec in backend.iter_indicators(IndicatorQuery(**filters)):
        ind = rec.indicator
        rows.append({"kind": ind.kind, "metric": ind.metric, "subject": ind.subject, "value": ind.value,
                     "unit": ind.unit, "deadline": rec.deadline,
                     "deadline_year": int(rec.deadline[:4]) if rec.deadline else None, "province": rec.province,
                     "document": rec.document.number or rec.document.title, "doc_id": rec.doc_id,
                     "sentence": ind.sentence})
    return rows


def targets_by_topic_and_deadline(backend: SearchBackend) -> list[dict]:
    """Targets counted by metric (topic) and deadline year, most frequent first."""
    counts = Counter((r["metric"] or "other", r["deadline_year"]) for r in all_indicators(backend, kind="target"))
    return [{"metric": m, "deadline_year": y, "targets": n}
            for (m, y), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or 0))]


def provinces_with_metric(backend: SearchBackend, metric: str) -> list[str]:
    rows = all_indicators(backend, metric=metric)
    return sorted({r["province"] for r in rows if r["province"]})


def metric_across_provinces(backend: SearchBackend, metric: str, provinces: list[str] | None = None) -> list[dict]:
    """One row per province: its targets and latest reported figure for the metric (the API's compare)."""
    provinces = provinces or provinces_with_metric(backend, metric)
    out = []
    for row in compare(backend, provinces, metric=metric)["provinces"]:
        t = row["targets"][0] if row["targets"] else None
        r = row["reported"][0] if row["reported"] else None
        out.append({"province": row["province"], "targets": row["n_targets"], "reported": row["n_reported"],
                    "first_target": t and t["value"], "target_unit": t and t["unit"],
                    "target_deadline": t and t["deadline"], "latest_reported": r and r["value"],
                    "reported_unit": r and r["unit"], "reported_date": r and r["date"]})
    return out


def most_common_metric(backend: SearchBackend, kind: str | None = None) -> str | None:
    counts = Counter(r["metric"] for r in all_indicators(backend, kind=kind) if r["metric"] not in (None, "other"))
    return counts.most_common(1)[0][0] if counts else None


def progress_rows(backend: SearchBackend, province: str, metric: str) -> dict:
    """Targets with attainment and status, and the reported figures over time (the API's progress)."""
    data = progress(backend, province, metric)
    targets = [{"value": t["target"]["value"], "unit": t["target"]["unit"], "deadline": t["target"]["deadline"],
                "status": t["status"], "attainment": t["attainment"],
                "source": t["target"]["source"]["number"] or t["target"]["source"]["title"]} for t in data["targets"]]
    reported = [{"date": r["date"], "value": r["value"], "unit": r["unit"], "kind": r["kind"],
                 "source": r["source"]["number"] or r["source"]["title"]} for r in data["reported"]]
    return {"targets": targets, "reported": reported}


def busiest_province_metric(backend: SearchBackend) -> tuple[str, str] | None:
    """The (province, metric) pair with the most targets and reported figures together (a good first example)."""
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    counts: Counter = Counter()
    for r in all_indicators(backend):
        if r["province"] and r["metric"] not in (None, "other"):
            pairs[(r["province"], r["metric"])].add(r["kind"])
            counts[(r["province"], r["metric"])] += 1
    both = [p for p in counts if {"target", "reported"} <= pairs[p]]
    ranked = sorted(both or counts, key=lambda p: -counts[p])
    return ranked[0] if ranked else None


def bar_chart(rows: list[dict], label: str, value: str, title: str):
    """A horizontal bar chart of ``value`` per ``label`` (rows without a value are left out)."""
    import matplotlib.pyplot as plt  # headless outside a notebook (Agg); inline in Jupyter

    rows = [r for r in rows if r.get(value) is not None]
    fig, ax = plt.subplots(figsize=(7, 0.4 * max(3, len(rows)) + 1))
    ax.barh([str(r[label]) for r in rows], [float(r[value]) for r in rows], color="#2b6cb0")
    ax.set_title(title)
    ax.invert_yaxis()
    fig.tight_layout()
    plt.close(fig)  # shown once, by the notebook's display of the returned figure
    return fig


def quality_table(gold_dir: Path | None = None) -> tuple[list[dict], dict[str, list[tuple[str, object]]]]:
    """Precision, recall and F1 per kind on the gold set (what ``chitieu eval`` prints), and the misses per kind."""
    from extractors.evaluate import evaluate

    report = evaluate(gold_dir)
    rows = [{"kind": k, "precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3),
             "tp": s.tp, "fp": s.fp, "fn": s.fn} for k, s in report.scores.items()]
    misses = {k: s.misses[:10] for k, s in report.scores.items()}
    return rows, misses
