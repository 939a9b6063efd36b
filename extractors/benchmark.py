"""Extraction speed: the bundled corpus repeated to at least 5 MB, read once, then extracted (mentions, and
mentions + linking + models) on one core; several runs, the median in characters per second."""

from __future__ import annotations

import platform
import statistics
import time

from corpus.bundled import bundled_paths
from corpus.model import Document
from corpus.reader import read
from extractors.pipeline import annotate

TARGET_BYTES = 5 * 1024 * 1024


def corpus_texts(min_bytes: int = TARGET_BYTES) -> list[Document]:
    base = [d for d in (read(p) for p in bundled_paths()) if d.text]
    docs: list[Document] = []
    size = 0
    while size < min_bytes:
        for d in base:
            docs.append(d)
            size += len(d.text.encode("utf-8"))
    return docs


def _run(docs: list[Document], link: bool) -> tuple[float, int]:
    chars = 0
    t0 = time.perf_counter()
    for d in docs:
        copy = d.model_copy(update={"mentions": [], "indicators": [], "errors": []})
        annotate(copy, link=link)
        chars += len(d.text)
    return time.perf_counter() - t0, chars


def bench_extract(runs: int = 3, min_bytes: int = TARGET_BYTES) -> dict:
    docs = corpus_texts(min_bytes)
    _run(docs[:25], link=True)  # warm up: regexes compiled, models loaded
    out: dict = {"documents": len(docs), "bytes": sum(len(d.text.encode()) for d in docs),
                 "characters": sum(len(d.text) for d in docs), "runs": runs, "python": platform.python_version()}
    for label, link in (("mentions", False), ("mentions_links_models", True)):
        rates = []
        for _ in range(runs):
            secs, chars = _run(docs, link)
            rates.append(chars / secs)
        out[label] = {"chars_per_s_median": round(statistics.median(rates)), "chars_per_s_runs": [round(r) for r in rates]}
    return out
