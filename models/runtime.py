"""The trained models at run time: loaded once from the artifacts in the repository, no network."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import joblib

HERE = Path(__file__).resolve().parent
KIND_PATH = HERE / "kind" / "model.joblib"
METRIC_PATH = HERE / "metric" / "model.joblib"


# a kind model put in place of the shipped one for a while (``chitieu eval`` scores each gold document with a
# model trained without that document's labels)
_KIND_OVERRIDE: ContextVar[dict | None] = ContextVar("kind_override", default=None)


@lru_cache
def _shipped_kind_model():
    if not KIND_PATH.exists():
        return None
    return joblib.load(KIND_PATH)


def kind_model():
    """(vectorizer, classifier, use) or None when no artifact is there; ``use`` says whether the model beat the
    rule baseline in cross-validation (otherwise the rules decide)."""
    override = _KIND_OVERRIDE.get()
    return override if override is not None else _shipped_kind_model()


@contextmanager
def kind_model_override(bundle: dict | None) -> Iterator[None]:
    """Use ``bundle`` (same keys as the artifact) as the kind model inside the block; None keeps the shipped one."""
    token = _KIND_OVERRIDE.set(bundle)
    try:
        yield
    finally:
        _KIND_OVERRIDE.reset(token)


@lru_cache
def metric_model():
    if not METRIC_PATH.exists():
        return None
    return joblib.load(METRIC_PATH)


def predict_kinds(feature_dicts: list[dict[str, float]], rules: list[str]) -> list[str]:
    bundle = kind_model()
    if bundle is None or not feature_dicts or not bundle.get("use", False):
        return rules
    X = bundle["vectorizer"].transform(feature_dicts)
    clf = bundle["classifier"]
    # the model also knows "none" (a figure that is no indicator); a quantity that reaches the linker is given the
    # likeliest of the three indicator kinds
    keep = [i for i, c in enumerate(clf.classes_) if c in ("target", "reported", "baseline")]
    proba = clf.predict_proba(X)[:, keep]
    return [str(clf.classes_[keep[row.argmax()]]) for row in proba]


def predict_metrics(texts: list[str], min_proba: float = 0.0) -> list[str]:
    bundle = metric_model()
    if bundle is None or not texts:
        return ["other"] * len(texts)
    pipe = bundle["pipeline"]
    if min_proba > 0 and hasattr(pipe, "predict_proba"):
        proba = pipe.predict_proba(texts)
        classes = pipe.classes_
        return [str(classes[row.argmax()]) if row.max() >= min_proba else "other" for row in proba]
    return [str(m) for m in pipe.predict(texts)]
