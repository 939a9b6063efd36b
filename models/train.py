"""Train the models from data kept in the repository, with fixed seeds: ``make models`` (``python -m models.train``).

- kind: indicator kind (target / reported / baseline) from hand-labelled figures in ``models/data/kind_labels_part*.jsonl``,
  scored by document-grouped cross-validation against the rule baseline; the artifact records which one won.
- metric: metric id (or ``other``) from the taxonomy's examples and the hand-labelled subjects of the same files;
  scored leave-one-document-out (documents never seen) and on a random held-out split of the hand labels.
Each writes ``model.joblib`` and ``MODEL_CARD.md`` beside it.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import joblib
import numpy as np
import yaml
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import LeaveOneGroupOut, train_test_split
from sklearn.pipeline import FeatureUnion, make_pipeline
from threadpoolctl import threadpool_limits

from models.features import kind_features, metric_text, target_share
from models.runtime import KIND_PATH, METRIC_PATH

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SEED = 13


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------------ kind
KINDS = ("target", "reported", "baseline")
LABELS = (*KINDS, "none")  # "none": the figure is no indicator (a label, a date part, a list number...)


def labelled_figures() -> list[dict]:
    """The hand labels (``kind_labels_part*.jsonl``), joined to their candidates' offset in the sentence."""
    cands = {(r["doc"], r["start"]): r for r in _jsonl(DATA / "kind_candidates.jsonl")}
    out = []
    for path in sorted(DATA.glob("kind_labels_part*.jsonl")):
        for r in _jsonl(path):
            c = cands.get((r["doc"], r["start"]))
            if c is not None:
                r["sent_offset"] = c["sent_offset"]
            out.append(r)
    return out


def _locate(text: str, r: dict) -> int | None:
    """Where the labelled figure is in today's text (the reader may have changed since it was labelled)."""
    if text[r["start"]:r["end"]] == r["text"]:
        return r["start"]
    at = text.find(r["sentence"])
    if at < 0 or "sent_offset" not in r:
        return None
    return at + r["sent_offset"]


def kind_records() -> list[dict]:
    """Labelled figures with the features the linker computes at run time (from today's extractors)."""
    from collections import defaultdict

    from corpus.bundled import DATA_DIR
    from corpus.model import QuantityMention, QuantityValue
    from corpus.reader import read
    from extractors.indicators.linker import LinkContext, rule_kind
    from extractors.pipeline import annotate

    by_doc: dict[str, list[dict]] = defaultdict(list)
    for r in labelled_figures():
        if r.get("label") in LABELS:
            by_doc[r["doc"]].append(r)
    out: list[dict] = []
    for name, items in sorted(by_doc.items()):
        ctx = LinkContext(annotate(read(DATA_DIR / name), link=False))
        # the document's leaning, computed as the linker does at run time: over all its quantities
        share = target_share([rule_kind(ctx, q, ctx.sentences.at(q.start)) for q in ctx.quantities])
        for r in items:
            pos = _locate(ctx.text, r)
            if pos is None:
                continue
            end = pos + len(r["text"])
            q = next((m for m in ctx.quantities if m.start <= pos < m.end or pos <= m.start < end), None)
            if q is None:
                q = QuantityMention(start=pos, end=end, text=r["text"], normalized=QuantityValue(value=None,
                                                                                                unit=r.get("unit")))
            s0, s1 = ctx.sentences.at(q.start)
            out.append({**r, "left": ctx.text[max(s0, q.start - 120):q.start],
                        "right": ctx.text[q.end:min(s1, q.end + 80)], "sentence": ctx.text[s0:s1],
                        "heading": " / ".join(s.title for s in ctx.sections_at(q.start))[-200:],
                        "doc_type": ctx.doc.metadata.doc_type, "unit": q.normalized.unit,
                        "rule": rule_kind(ctx, q, (s0, s1)), "doc_target_share": share})
    return out


def _kind_X(records: list[dict]) -> list[dict[str, float]]:
    return [kind_features(r["left"], r["right"], r["sentence"], r.get("heading") or "", r.get("doc_type"),
                          r.get("unit"), r["rule"], r.get("doc_target_share", 0.5)) for r in records]


def _kind_classifier() -> LogisticRegression:
    return LogisticRegression(C=2.0, max_iter=3000, class_weight="balanced", random_state=SEED)


def fit_kind_bundle(recs: list[dict], use: bool = True) -> dict:
    """A kind model (the artifact's keys) fitted on ``recs``."""
    vec = DictVectorizer()
    clf = _kind_classifier().fit(vec.fit_transform(_kind_X(recs)), np.array([r["label"] for r in recs]))
    return {"vectorizer": vec, "classifier": clf, "use": use, "documents": sorted({r["doc"] for r in recs}),
            "n_train": len(recs)}


def heldout_kind_bundles(recs: list[dict] | None = None) -> dict[str, dict]:
    """For each document with labels, a kind model trained on the labels of all the other documents: what
    ``chitieu eval`` scores a gold document with, so its kind accuracy is never measured on training data."""
    recs = kind_records() if recs is None else recs
    shipped = _shipped_use()
    docs = sorted({r["doc"] for r in recs})
    return {d: fit_kind_bundle([r for r in recs if r["doc"] != d], use=shipped) for d in docs}


def _shipped_use() -> bool:
    from models.runtime import kind_model

    bundle = kind_model()
    return bool(bundle and bundle.get("use"))


def train_kind() -> dict:
    recs = kind_records()
    y = np.array([r["label"] for r in recs])
    groups = np.array([r["doc"] for r in recs])
    feats = _kind_X(recs)
    rule = np.array([r["rule"] for r in recs])
    n_splits = len(set(groups))
    # leave one document out: each document scored by a model that never saw it (as ``chitieu eval`` does); scored on the figures that are indicators (the rules know no "none"), as the linker uses it: the likeliest
    # of the three kinds; out-of-fold predictions pooled over the folds
    correct_model = correct_rule = n_scored = 0
    for train, test in LeaveOneGroupOut().split(feats, y, groups):
        vec = DictVectorizer()
        clf = _kind_classifier().fit(vec.fit_transform([feats[i] for i in train]), y[train])
        keep = [i for i, c in enumerate(clf.classes_) if c in KINDS]
        test = np.array([i for i in test if y[i] in KINDS])
        if not len(test):
            continue
        proba = clf.predict_proba(vec.transform([feats[i] for i in test]))[:, keep]
        pred = np.array([clf.classes_[keep[k]] for k in proba.argmax(axis=1)])
        correct_model += int((pred == y[test]).sum())
        correct_rule += int((rule[test] == y[test]).sum())
        n_scored += len(test)
    scores = {"n": len(recs), "documents": len(set(groups)), "folds": n_splits,
              "labels": {str(k): int((y == k).sum()) for k in sorted(set(y))}, "scored_indicators": n_scored,
              "model_cv_accuracy": round(correct_model / n_scored, 4),
              "rule_cv_accuracy": round(correct_rule / n_scored, 4)}
    use = scores["model_cv_accuracy"] > scores["rule_cv_accuracy"]
    vec = DictVectorizer()
    clf = _kind_classifier().fit(vec.fit_transform(feats), y)
    KIND_PATH.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({"vectorizer": vec, "classifier": clf, "use": use, "scores": scores}, KIND_PATH)
    _card(KIND_PATH.parent / "MODEL_CARD.md", "Indicator kind classifier", f"""
- **Task**: is a figure a `target`, a `reported` figure or a `baseline`? (ANNOTATION.md §6) The model is trained
  with a fourth class, `none` (a figure that is no indicator: a label, a date part, list numbering), which teaches it
  what is not a goal or a result; at run time a quantity gets the likeliest of the three indicator kinds.
- **Data**: {scores['n']} figures from {scores['documents']} real documents of `corpus/data/` (drug prevention, poverty,
  new rural development, budget, health, education, forestry, housing), each labelled by a person reading its
  sentence (`models/data/kind_labels_part*.jsonl`); labels: {scores['labels']}.
- **Features**: the words before the figure (with distance bands and bigrams), after it, the sentence, the enclosing
  section headings, the document type, the unit, the rule baseline's verdict, and the document's leaning — the
  share of all its figures the rules call targets (a plan is mostly targets, a report mostly results)
  (`models/features.py`).
- **Model**: logistic regression (C=2, balanced classes, seed {SEED}), scikit-learn.
- **Scores** (cross-validation leaving one document out, {scores['folds']} folds, so no document is both trained and tested;
  out-of-fold predictions pooled over the {scores['scored_indicators']} figures that are indicators):
  model accuracy **{scores['model_cv_accuracy']:.3f}**, rule baseline **{scores['rule_cv_accuracy']:.3f}**.
- **What runs**: {'the model (it beat the rules)' if use else 'the rules (the model did not beat them)'}.
- **On the gold set**: `chitieu eval` scores each gold document with a model trained without that document's labels
  (`models.train.heldout_kind_bundles`), so its "indicator kind accuracy" is a held-out figure too;
  `chitieu eval --in-sample` uses this artifact (trained on every document) and overstates it.
""")
    return scores


# ------------------------------------------------------------------------------------------------ metric
METRIC_C = 8.0
METRIC_MIN_PROBA = 0.2  # the linker's threshold (extractors/indicators/linker.py): below it the answer is `other`


def taxonomy() -> list[dict]:
    return yaml.safe_load((HERE / "metrics" / "taxonomy.yaml").read_text(encoding="utf-8"))["metrics"]


def _metric_pipeline():
    features = FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True)),
        # characters across word boundaries (a syllable pair such as "nông thôn" or "tiêu chí" is one feature):
        # at the linker's threshold it named 0.81 of unseen documents' subjects right, within words 0.78; those
        # met in one text only are dropped (min_df=2: same score, an artifact of half the size)
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(2, 5), sublinear_tf=True, lowercase=True,
                                  min_df=2)),
    ])
    return make_pipeline(features, LogisticRegression(C=METRIC_C, max_iter=4000, random_state=SEED))


def metric_data() -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """(taxonomy texts, their ids, hand-labelled texts, their ids, their documents). The taxonomy's examples are
    always in training; the hand labels are what the scores are measured on."""
    tax = taxonomy()
    ids = {m["id"] for m in tax}
    seed_X = [metric_text(ex, m["unit"]) for m in tax for ex in m["examples"]]
    seed_y = [m["id"] for m in tax for ex in m["examples"]]
    labelled = [r for r in labelled_figures()
                if r.get("label") in KINDS and r.get("subject") and r.get("metric") in ids | {"other"}]
    X = [metric_text(r["subject"], r.get("unit"), r.get("sentence", "")) for r in labelled]
    y = [r["metric"] for r in labelled]
    return seed_X, seed_y, X, y, [r["doc"] for r in labelled]


def _answers(pipe, texts: list[str], min_proba: float) -> list[str]:
    """What ``models.runtime.predict_metrics`` answers: the likeliest id, `other` below ``min_proba``."""
    proba = pipe.predict_proba(texts)
    return [str(pipe.classes_[row.argmax()]) if row.max() >= min_proba else "other" for row in proba]


def grouped_metric_accuracy(thresholds: tuple[float, ...] = (0.0, METRIC_MIN_PROBA)) -> dict[str, float]:
    """Leave-one-document-out accuracy: each document's subjects are answered by a model trained on the taxonomy
    and the other documents' labels only — the figure to expect on a document never seen. One score per
    threshold (``t0.2``: answers below probability 0.2 become `other`)."""
    seed_X, seed_y, X, y, groups = metric_data()
    correct = dict.fromkeys(thresholds, 0)
    with threadpool_limits(1):
        for tr, te in LeaveOneGroupOut().split(X, y, groups):
            pipe = _metric_pipeline().fit(seed_X + [X[i] for i in tr], seed_y + [y[i] for i in tr])
            for t in thresholds:
                correct[t] += sum(a == y[i] for a, i in zip(_answers(pipe, [X[i] for i in te], t), te, strict=True))
    return {f"t{t:g}": round(correct[t] / len(X), 4) for t in thresholds}


def train_metric() -> dict:
    seed_X, seed_y, X, y, groups = metric_data()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=SEED)
    with threadpool_limits(1):
        pipe = _metric_pipeline().fit(seed_X + X_tr, seed_y + y_tr)
    acc = float(np.mean(np.array(_answers(pipe, X_te, 0.0)) == np.array(y_te)))
    majority = max(set(y_tr), key=y_tr.count)
    base = float(np.mean(np.array(y_te) == majority))
    grouped = grouped_metric_accuracy()
    scores = {"n_labelled": len(X), "documents": len(set(groups)),
              "n_taxonomy_examples": len(seed_X), "metrics": len(taxonomy()),
              "held_out": len(X_te), "held_out_accuracy": round(acc, 4), "majority_baseline": round(base, 4),
              "other_share": round(y.count("other") / max(1, len(y)), 3),
              "unseen_document_accuracy": grouped["t0"],
              "unseen_document_accuracy_min_proba": grouped[f"t{METRIC_MIN_PROBA:g}"], "min_proba": METRIC_MIN_PROBA}
    with threadpool_limits(1):
        final = _metric_pipeline().fit(seed_X + X, seed_y + y)
    METRIC_PATH.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({"pipeline": final, "scores": scores, "seed": SEED}, METRIC_PATH, compress=3)
    _card(METRIC_PATH.parent / "MODEL_CARD.md", "Metric classifier", f"""
- **Task**: map an indicator (subject, unit) to a metric id of `models/metrics/taxonomy.yaml`
  ({scores['metrics']} metrics in drug prevention, poverty, new rural development, health and insurance, growth and
  budget, education and labour, environment, housing, social security, governance) or `other`.
- **Data**: the taxonomy's {scores['n_taxonomy_examples']} example subjects (language knowledge: the ways plans and
  reports name each indicator, written for the taxonomy, not copied from the labelled documents) plus {scores['n_labelled']} indicator subjects from
  {scores['documents']} real documents labelled by hand (`models/data/kind_labels_part*.jsonl`;
  {scores['other_share']:.0%} `other`).
- **Features**: TF-IDF of words (1–2-grams) and characters (2–5-grams across word boundaries, in ≥ 2 texts) of
  `subject | unit`. Chosen by the unseen-document score; tried and not kept (within ±0.01 or worse): the unit as a
  separate feature (0.67–0.70), characters within words (0.776 at the threshold), word 1–3-grams, C 4/16/32,
  balanced class weights.
- **Model**: logistic regression (C={METRIC_C:g}, seed {SEED}), scikit-learn.

| score (`python -m models.train metric`) | accuracy | items |
|---|---|---|
| **unseen documents** (leave-one-document-out: a document's subjects answered by a model trained on the \
taxonomy and the other documents) | **{scores['unseen_document_accuracy']:.3f}** | {scores['n_labelled']} |
| same, answers below probability {METRIC_MIN_PROBA:g} turned to `other` (as the linker calls it) | \
{scores['unseen_document_accuracy_min_proba']:.3f} | {scores['n_labelled']} |
| random 25% of the hand labels held out (documents partly seen in training) | {scores['held_out_accuracy']:.3f} | \
{scores['held_out']} |
| majority class of the random split | {scores['majority_baseline']:.3f} | {scores['held_out']} |

The unseen-document score is the one to expect in use (new documents); the random split flatters the model, as
sibling subjects of the same table are in training. The shipped artifact is refit on all the data.
""")
    return scores


def _card(path: Path, title: str, body: str) -> None:
    path.write_text(f"# Model card: {title}\n\nTrained {date.today().isoformat()} by `python -m models.train`.\n"
                    + body, encoding="utf-8")


def main(argv: list[str]) -> None:
    which = argv or ["kind", "metric"]
    if "kind" in which:
        print("kind:", json.dumps(train_kind(), ensure_ascii=False))
    if "metric" in which:
        print("metric:", json.dumps(train_metric(), ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
