"""Features of a figure in its context, shared by training and by the linker at run time."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[\wÀ-ỹ%]+", re.UNICODE)


def tokens(s: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(s)]


def target_share(rules: list[str]) -> float:
    """The document's leaning: the share of its figures the rules call a target (a plan is mostly targets, a
    report or a news story mostly results). 0.5 for a document with no figure."""
    return sum(r == "target" for r in rules) / len(rules) if rules else 0.5


def kind_features(left: str, right: str, sentence: str, heading: str, doc_type: str | None, unit: str | None,
                  rule: str, doc_target_share: float = 0.5) -> dict[str, float]:
    """Bag of prefixed words: the 8 words before the figure (with their distance band), the 6 after, the
    sentence, the enclosing headings, the document type, the unit and the rule's verdict; and the document's
    leaning (:func:`target_share`), as a value and a band."""
    f: dict[str, float] = {"DOCT": doc_target_share}
    f["DOCT:" + ("high" if doc_target_share > 0.6 else "low" if doc_target_share < 0.3 else "mid")] = 1.0
    lw = tokens(left)[-8:]
    for i, w in enumerate(reversed(lw)):
        f[f"L:{w}"] = 1.0
        f[f"L{min(i, 3)}:{w}"] = 1.0
    for i in range(len(lw) - 1):
        f[f"LB:{lw[i]}_{lw[i + 1]}"] = 1.0
    for w in tokens(right)[:6]:
        f[f"R:{w}"] = 1.0
    for w in tokens(sentence):
        f[f"S:{w}"] = 0.5
    for w in tokens(heading):
        f[f"H:{w}"] = 1.0
    f[f"D:{(doc_type or 'none').casefold()}"] = 1.0
    f[f"U:{(unit or 'none').casefold()}"] = 1.0
    f[f"RULE:{rule}"] = 1.0
    return f


def metric_text(subject: str | None, unit: str | None, sentence: str = "") -> str:
    """What the metric classifier reads: the subject and the unit. The sentence is accepted but left out: in
    held-out tests it added more noise (other figures' words) than signal (models/metric/MODEL_CARD.md)."""
    return f"{subject or ''} | {unit or ''}"
