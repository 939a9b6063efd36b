"""Dump every figure of the bundled corpus with its context, for hand labelling of its kind.

``python -m models.kind_candidates > models/data/kind_candidates.jsonl``. The labels (target / reported /
baseline / none) are added by a person reading each sentence, in ``models/data/kind_labels.jsonl``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from corpus.bundled import bundled_paths
from corpus.reader import read
from extractors.indicators.linker import LinkContext, rule_kind
from extractors.pipeline import annotate


def context_record(ctx: LinkContext, q, sent: tuple[int, int]) -> dict:
    text = ctx.text
    heading = " / ".join(s.title for s in ctx.sections_at(q.start))[-200:]
    return {"start": q.start, "end": q.end, "text": q.text, "unit": q.normalized.unit,
            "left": text[max(sent[0], q.start - 120):q.start], "right": text[q.end:min(sent[1], q.end + 80)],
            "sentence": text[sent[0]:sent[1]].strip(), "heading": heading, "doc_type": ctx.doc.metadata.doc_type,
            "rule": rule_kind(ctx, q, sent)}


def candidates(paths: list[Path]):
    for path in paths:
        doc = annotate(read(path), link=False)
        ctx = LinkContext(doc)
        for q in ctx.quantities:
            yield {"doc": path.name, **context_record(ctx, q, ctx.sentences.at(q.start))}


if __name__ == "__main__":
    for rec in candidates(bundled_paths()):
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
