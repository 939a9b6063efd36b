"""Read any supported file into a Document: backend by format → one normalization → metadata → sections → id.

(First cut: UTF-8 text only. The format backends of issue 2 replace the body of ``read``.)
"""

from __future__ import annotations

from pathlib import Path

from corpus.bundled import is_segmented
from corpus.model import Document, ErrorItem
from corpus.normalize import desegment, normalize_text


def read(path: str | Path, segmented: bool | None = None) -> Document:
    path = Path(path)
    doc = Document(source=str(path), format=path.suffix.lstrip(".").lower() or None)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        doc.errors.append(ErrorItem(stage="read", code="unreadable", message=str(exc)))
        doc.id = Document.id_for("", str(path))
        return doc
    if segmented if segmented is not None else is_segmented(path):
        if raw.startswith("SOURCE:"):
            raw = raw.split("\n", 1)[1] if "\n" in raw else ""
        raw = desegment(raw).lstrip("\n")
    doc.text = normalize_text(raw)
    doc.id = Document.id_for(doc.text, str(path))
    return doc
