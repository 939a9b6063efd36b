"""The extraction pipeline: mentions of every kind, then indicators. Each stage only adds to the Document.

Order matters: cited documents and dates claim their spans first, so that the digits inside ``310/KH-UBND`` or
``năm 2025`` are never read as quantities.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from corpus.model import Document, ErrorItem
from extractors.context import Context

MENTION_EXTRACTORS: tuple[str, ...] = ("references", "dates", "quantities", "agencies", "locations")
CLAIMING: frozenset[str] = frozenset({"references", "dates"})


def _module(name: str):
    return importlib.import_module(f"extractors.{name}")


def extract_mentions(text: str, ctx: Context | None = None, kinds: Iterable[str] = MENTION_EXTRACTORS,
                     errors: list[ErrorItem] | None = None) -> list:
    """All mentions in ``text``, sorted by offset. An extractor that fails adds an error and the others go on."""
    ctx = ctx or Context()
    found: list = []
    wanted = set(kinds)
    for name in MENTION_EXTRACTORS:
        # the claiming extractors always run: their spans keep the others from misreading
        if name not in wanted and name not in CLAIMING:
            continue
        try:
            mentions = _module(name).extract(text, ctx)
        except Exception as exc:  # noqa: BLE001 - errors are data
            if errors is None:
                raise
            errors.append(ErrorItem(stage="extract", code=f"{name}_failed", message=f"{type(exc).__name__}: {exc}"))
            continue
        if name in CLAIMING:
            ctx.taken.extend((m.start, m.end) for m in mentions)
        if name in wanted:
            found.extend(mentions)
    found.sort(key=lambda m: (m.start, m.end))
    return found


def annotate(doc: Document, link: bool = True) -> Document:
    """Add mentions and indicators to a read Document (nothing is removed)."""
    if not doc.text:
        return doc
    ctx = Context.from_metadata(doc.metadata)
    doc.mentions = extract_mentions(doc.text, ctx, errors=doc.errors)
    if link:
        try:
            linker = _module("indicators")
        except ModuleNotFoundError:
            return doc
        try:
            doc.indicators = linker.link(doc)
        except Exception as exc:  # noqa: BLE001
            doc.errors.append(ErrorItem(stage="link", code="link_failed", message=f"{type(exc).__name__}: {exc}"))
    return doc
