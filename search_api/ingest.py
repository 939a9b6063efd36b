"""Read + extract + index, shared by the CLI, the upload endpoint and the tests."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from corpus.model import Document, ErrorItem
from search_api.backends.base import SearchBackend

READ_STAGES = frozenset({"read", "normalize"})


def indexable(doc: Document) -> bool:
    """A document is indexed when it could be read: it has text and no error at reading. An extractor that failed
    on it leaves an error on the document (kept, shown by the API) but does not keep the text out of the index."""
    return bool(doc.text) and not any(e.severity == "error" and e.stage in READ_STAGES for e in doc.errors)


def process(path: Path | str) -> Document:
    from corpus.reader import read
    from extractors.pipeline import annotate

    try:
        return annotate(read(path))
    except Exception as exc:  # noqa: BLE001 - a batch never stops for one bad file: the failure becomes data
        doc = Document(source=str(path), id=Document.id_for("", str(path)))
        doc.errors.append(ErrorItem(stage="read", code="failed", message=f"{type(exc).__name__}: {exc}"))
        return doc


def process_upload(data: bytes, filename: str) -> Document:
    """An uploaded file, read through a temporary file that keeps its suffix; ``source`` is the uploaded name."""
    name = Path(filename or "upload.txt").name or "upload.txt"
    suffix = Path(name).suffix.lower() or ".txt"
    fd, tmp = tempfile.mkstemp(prefix="chitieu-upload-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        doc = process(tmp)
    finally:
        os.unlink(tmp)
    doc.source = name
    return doc


def index_paths(backend: SearchBackend, paths: list[Path]) -> tuple[list[Document], list[Document]]:
    """Every file read and extracted; those without errors indexed. Returns (indexed, failed)."""
    good, bad = [], []
    for p in paths:
        doc = process(p)
        (good if indexable(doc) else bad).append(doc)
    backend.index_documents(good)
    return good, bad
