"""``chitieu eval``: score the project against its gold set, by normalized value, per kind.

Each kind is compared per document as sets of distinct normalized keys (the gold lists each value once):
quantity (value, unit) · date (start, end, grain) · reference (number) · agency (canonical) · location (name, level)
· target (value, deadline year). Indicator kind and agency role are accuracies over the matched items.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from corpus.gold import GoldDocument, document_path, load_gold
from corpus.model import Document

KINDS = ("quantity", "date", "reference", "agency", "location", "target")
META_FIELDS = ("number", "doc_type", "issued_date", "issuer", "signer", "province")


def _fold(s: str | None) -> str | None:
    if s is None:
        return None
    return " ".join(unicodedata.normalize("NFC", s).casefold().split())


def _num(v) -> float | None:
    return None if v is None else round(float(v), 6)


def _year(iso: str | None) -> str | None:
    return iso[:4] if iso else None


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[tuple[str, object]] = field(default_factory=list)   # (file, gold key not found)
    extras: list[tuple[str, object]] = field(default_factory=list)   # (file, predicted key not in gold)

    def add(self, file: str, gold: set, pred: set) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)
        self.misses += [(file, k) for k in sorted(gold - pred, key=repr)]
        self.extras += [(file, k) for k in sorted(pred - gold, key=repr)]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    indicator_kind: Accuracy = field(default_factory=Accuracy)
    agency_role: Accuracy = field(default_factory=Accuracy)
    metadata: Accuracy = field(default_factory=Accuracy)
    documents: int = 0
    kind_model: str = ""
    # how each gold indicator matched to a predicted one is linked (ANNOTATION.md §6)
    period_year: Accuracy = field(default_factory=Accuracy)
    location_link: Accuracy = field(default_factory=Accuracy)
    subject_f1: list[float] = field(default_factory=list)
    agency_link: Score = field(default_factory=Score)
    # the annotated documents scored, by gold file (what the notebooks show the errors with)
    annotated: dict[str, Document] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict:
        out = {k: {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                   "tp": s.tp, "fp": s.fp, "fn": s.fn} for k, s in self.scores.items()}
        out["indicator_kind_accuracy"] = {"accuracy": round(self.indicator_kind.value, 4),
                                          "n": self.indicator_kind.total}
        out["agency_role_accuracy"] = {"accuracy": round(self.agency_role.value, 4), "n": self.agency_role.total}
        out["metadata_accuracy"] = {"accuracy": round(self.metadata.value, 4), "n": self.metadata.total}
        out["linking"] = self.linking()
        out["documents"] = self.documents
        out["kind_model"] = self.kind_model
        return out


    def linking(self) -> dict:
        sub = self.subject_f1
        return {"period_year": {"accuracy": round(self.period_year.value, 4), "n": self.period_year.total},
                "location": {"accuracy": round(self.location_link.value, 4), "n": self.location_link.total},
                "subject_token_f1": {"mean": round(sum(sub) / len(sub), 4) if sub else 0.0, "n": len(sub)},
                "agencies": {"precision": round(self.agency_link.precision, 4),
                             "recall": round(self.agency_link.recall, 4), "f1": round(self.agency_link.f1, 4)}}


def _words(s: str | None) -> list[str]:
    return re.findall(r"\w+", _fold(s) or "")


def token_f1(gold: str | None, pred: str | None) -> float:
    """Word-overlap F1 of two phrases (case-folded), as in extractive question answering."""
    g, p = Counter(_words(gold)), Counter(_words(pred))
    common = sum((g & p).values())
    if not common:
        return 0.0
    prec, rec = common / sum(p.values()), common / sum(g.values())
    return 2 * prec * rec / (prec + rec)


def _matching(text: str, written: str, cands: list):
    """The candidate written inside an occurrence of the gold's text, else one whose sentence holds it, else
    the first (a sentence may hold the same value twice: "100% thôn …; 100% hộ …")."""
    spans = []
    at = text.find(written) if written else -1
    while at >= 0:
        spans.append((at, at + len(written)))
        at = text.find(written, at + 1)
    inside = [c for c in cands if any(lo <= c.start < hi for lo, hi in spans)]
    if inside:
        return inside[0]
    return next((c for c in cands if _fold(written) in _fold(c.sentence)), cands[0])


def score_linking(gold: GoldDocument, doc: Document, report: Report) -> None:
    """Each gold indicator with a value, matched to a predicted indicator of the same value and unit (the one
    whose sentence holds the gold's words, else the first), is scored on subject, period year, place, agencies."""
    by_key: dict[tuple, list] = {}
    for i in doc.indicators:
        by_key.setdefault((_num(i.value), _fold(i.unit)), []).append(i)
    for g in gold.indicators:
        cands = by_key.get((_num(g.value), _fold(g.unit))) if g.value is not None else None
        if not cands:
            continue
        i = _matching(doc.text, g.text, cands)
        if g.subject:
            report.subject_f1.append(token_f1(g.subject, i.subject))
        if g.period_end:
            report.period_year.total += 1
            report.period_year.right += _year(g.period_end) == _year(i.period.end if i.period else None)
        if g.location:
            report.location_link.total += 1
            report.location_link.right += _fold(g.location) == _fold(i.location.name if i.location else None)
        report.agency_link.add(gold.file, {_fold(a) for a in g.agencies}, {_fold(a.canonical) for a in i.agencies})


def _keys_quantity(items: Iterable) -> set:
    return {(_num(v), _fold(u)) for v, u in items if v is not None}


def score_document(gold: GoldDocument, doc: Document, report: Report) -> None:
    f = gold.file
    s = report.scores
    quants = [m.normalized for m in doc.mentions_of("quantity")]
    s["quantity"].add(f, _keys_quantity((g.value, g.unit) for g in gold.indicators),
                      _keys_quantity((q.value, q.unit) for q in quants))
    s["date"].add(f, {(g.start, g.end, g.grain) for g in gold.dates},
                  {(m.normalized.start, m.normalized.end, m.normalized.grain) for m in doc.mentions_of("date")})
    s["reference"].add(f, {_fold(g.number) for g in gold.references},
                       {_fold(m.normalized.number) for m in doc.mentions_of("reference")})
    gold_ag = {_fold(g.canonical): g.role for g in gold.agencies}
    pred_ag: dict[str, str] = {}
    for m in doc.mentions_of("agency"):
        key = _fold(m.normalized.canonical)
        if pred_ag.get(key) in (None, "mentioned"):
            pred_ag[key] = m.normalized.role
        roles = pred_ag.setdefault(key + "\x00all", set())  # type: ignore[arg-type]
        roles.add(m.normalized.role)  # type: ignore[union-attr]
    pred_keys = {k for k in pred_ag if "\x00" not in k}
    s["agency"].add(f, set(gold_ag), pred_keys)
    for key, role in gold_ag.items():
        if key in pred_keys and role:
            report.agency_role.total += 1
            report.agency_role.right += role in pred_ag[key + "\x00all"]  # type: ignore[operator]
    s["location"].add(f, {(_fold(g.name), g.level) for g in gold.locations},
                      {(_fold(m.normalized.name), m.normalized.level) for m in doc.mentions_of("location")})
    s["target"].add(f, {(_num(g.value), _year(g.period_end)) for g in gold.indicators if g.kind == "target"},
                    {(_num(i.value), _year(i.period.end if i.period else None))
                     for i in doc.indicators if i.kind == "target"})
    # indicator kind: over gold quantities matched by (value, unit) to a predicted indicator
    pred_kinds: dict[tuple, set[str]] = {}
    for i in doc.indicators:
        pred_kinds.setdefault((_num(i.value), _fold(i.unit)), set()).add(i.kind)
    for g in gold.indicators:
        key = (_num(g.value), _fold(g.unit))
        if g.kind and key in pred_kinds and g.value is not None:
            report.indicator_kind.total += 1
            kinds = pred_kinds[key]
            report.indicator_kind.right += kinds == {g.kind} or (len(kinds) > 1 and g.kind in kinds)
    score_linking(gold, doc, report)
    for name in META_FIELDS:
        if name in gold.metadata and gold.metadata[name]:
            report.metadata.total += 1
            report.metadata.right += _fold(str(getattr(doc.metadata, name))) == _fold(str(gold.metadata[name]))


def evaluate(gold_dir: Path | None = None, data_dir: Path | None = None, heldout: bool = True) -> Report:
    """Score every gold document. With ``heldout`` (the default), a document whose figures are among the kind
    model's training labels is scored with a model trained without them (leave-one-document-out), so the kind
    accuracy and the targets are never measured on the model's own training data."""
    from corpus.reader import read
    from extractors.pipeline import annotate
    from models.runtime import kind_model_override

    bundles: dict[str, dict] = {}
    if heldout:
        from models.train import heldout_kind_bundles

        bundles = heldout_kind_bundles()
    report = Report()
    report.kind_model = "held out per document" if heldout else "shipped (trained on every labelled document)"
    for gold in load_gold(gold_dir):
        path = document_path(gold, data_dir)
        if not path.exists():
            continue
        with kind_model_override(bundles.get(path.name)):
            doc = annotate(read(path))
        score_document(gold, doc, report)
        report.annotated[gold.file] = doc
        report.documents += 1
    return report


def main(gold_dir: Path | None = None, data_dir: Path | None = None, json_out: bool = False,
         show_misses: int = 0, heldout: bool = True) -> Report:
    from rich.console import Console
    from rich.table import Table

    report = evaluate(gold_dir, data_dir, heldout=heldout)
    if json_out:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        return report
    table = Table("kind", "precision", "recall", "F1", "tp", "fp", "fn", title=f"chitieu eval — {report.documents} gold documents")
    for kind, sc in report.scores.items():
        table.add_row(kind, f"{sc.precision:.3f}", f"{sc.recall:.3f}", f"{sc.f1:.3f}", str(sc.tp), str(sc.fp), str(sc.fn))
    console = Console()
    console.print(table)
    console.print(f"indicator kind accuracy: {report.indicator_kind.value:.3f} (n={report.indicator_kind.total}; "
                  f"kind model: {report.kind_model})")
    console.print(f"agency role accuracy:    {report.agency_role.value:.3f} (n={report.agency_role.total})")
    link = report.linking()
    console.print(f"indicator linking (gold indicators matched by value and unit): period year "
                  f"{link['period_year']['accuracy']:.3f} (n={link['period_year']['n']}), place "
                  f"{link['location']['accuracy']:.3f} (n={link['location']['n']}), subject word F1 "
                  f"{link['subject_token_f1']['mean']:.3f} (n={link['subject_token_f1']['n']}), agencies F1 "
                  f"{link['agencies']['f1']:.3f}")
    console.print(f"metadata accuracy:       {report.metadata.value:.3f} (n={report.metadata.total})")
    if show_misses:
        for kind, sc in report.scores.items():
            for file, key in sc.misses[:show_misses]:
                console.print(f"[red]miss[/red] {kind} {file[:28]} {key}")
            for file, key in sc.extras[:show_misses]:
                console.print(f"[yellow]extra[/yellow] {kind} {file[:28]} {key}")
    return report
