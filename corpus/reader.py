"""Read any supported file into a Document: backend by format → one normalization → metadata → sections → id.

Nothing escapes :func:`read`: a file that cannot be read gives a Document with an ErrorItem (stage ``read``);
a best effort (a guessed encoding, a capped huge file) gives its text with a warning-severity item.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from corpus.bundled import is_segmented
from corpus.formats import Extracted, ReadError
from corpus.model import Block, Document, ErrorItem, Table
from corpus.normalize import desegment, normalize_text

_MAGIC = ((b"%PDF", "pdf"), (b"PK\x03\x04", "docx"))


def _backend(fmt: str) -> Callable[[Path], Extracted]:
    if fmt == "pdf":
        from corpus.formats import pdf

        return pdf.extract
    if fmt == "docx":
        from corpus.formats import docx

        return docx.extract
    if fmt in ("html", "htm"):
        from corpus.formats import html

        return html.extract
    from corpus.formats import txt

    return txt.extract


def sniff_format(path: Path) -> str:
    """The format by the file's first bytes, else by its suffix (txt when neither tells)."""
    suffix = path.suffix.lstrip(".").lower()
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError:
        return suffix or "txt"
    for magic, fmt in _MAGIC:
        if head.lstrip().startswith(magic):
            return fmt if not (fmt == "docx" and suffix not in ("docx", "")) else suffix
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html")) and suffix not in ("pdf", "docx"):
        return "html"
    if suffix in ("pdf", "docx", "html", "htm"):
        return suffix
    return "txt"


def _strip_source_line(raw: str) -> str:
    if raw.startswith("SOURCE:"):
        raw = raw.split("\n", 1)[1] if "\n" in raw else ""
    return desegment(raw).lstrip("\n")


def _assemble(doc: Document, extracted: Extracted, segmented: bool) -> None:
    parts: list[str] = []
    offset = 0
    for piece in extracted.pieces:
        raw = _strip_source_line(piece.text) if segmented else piece.text
        text = normalize_text(raw.replace("\r\n", "\n").replace("\r", "\n"))
        if not text:
            continue
        if parts:
            parts.append(extracted.separator)
            offset += len(extracted.separator)
        start, end = offset, offset + len(text)
        parts.append(text)
        offset = end
        doc.blocks.append(Block(start=start, end=end, page=piece.page))
        if piece.rows is not None:
            rows = [[normalize_text(c) for c in row] for row in piece.rows]
            doc.tables.append(Table(rows=rows, page=piece.page, start=start, end=end))
    doc.text = "".join(parts)


def read(path: str | Path, segmented: bool | None = None) -> Document:
    path = Path(path)
    doc = Document(source=str(path), format=path.suffix.lstrip(".").lower() or None)
    hints: dict[str, str] = {}
    if not path.is_file():
        what = "does not exist" if not path.exists() else "is not a file"
        doc.errors.append(ErrorItem(stage="read", code="missing", message=f"{path} {what}"))
    else:
        fmt = sniff_format(path)
        doc.format = fmt
        try:
            extracted = _backend(fmt)(path)
        except ReadError as exc:
            doc.errors.append(ErrorItem(stage="read", code=exc.code, message=exc.message))
        except (OSError, MemoryError) as exc:
            doc.errors.append(ErrorItem(stage="read", code="unreadable", message=f"{type(exc).__name__}: {exc}"))
        except Exception as exc:  # a backend library failing on odd input is an error item, not a crash
            doc.errors.append(ErrorItem(stage="read", code="read_failed", message=f"{type(exc).__name__}: {exc}"))
        else:
            doc.encoding = extracted.encoding
            hints = extracted.hints
            for w in extracted.warnings:
                doc.errors.append(ErrorItem(stage="read", code=w.code, message=w.message, severity="warning"))
            _assemble(doc, extracted, segmented if segmented is not None else is_segmented(path))
            if not doc.text.strip():
                doc.errors.append(ErrorItem(stage="read", code="empty", message="the file holds no text"))
    if doc.text:
        _add_structure(doc, hints)
    doc.id = Document.id_for(doc.text, str(path))
    return doc


def _add_structure(doc: Document, hints: dict[str, str]) -> None:
    from corpus.metadata import extract_metadata
    from corpus.sections import find_sections

    try:
        doc.metadata = extract_metadata(doc.text, hints)
    except Exception as exc:
        doc.errors.append(ErrorItem(stage="metadata", code="metadata_failed", message=f"{type(exc).__name__}: {exc}",
                                    severity="warning"))
    try:
        doc.sections = find_sections(doc.text)
    except Exception as exc:
        doc.errors.append(ErrorItem(stage="metadata", code="sections_failed", message=f"{type(exc).__name__}: {exc}",
                                    severity="warning"))
