"""Word files (python-docx): paragraphs and tables (as rows) in document order."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from corpus.formats import Extracted, Piece, ReadError, rows_text


def _rows(table: DocxTable) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # a merged cell is repeated by python-docx
                continue
            previous = cell._tc
            cells.append(cell.text.strip())
        rows.append(cells)
    return [r for r in rows if any(r)]


def extract(path: Path) -> Extracted:
    if not zipfile.is_zipfile(path):
        raise ReadError("docx_broken", "the .docx file is not a zip package (broken, or another format renamed)")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ReadError("docx_broken", f"the .docx package cannot be opened: {exc!r}") from exc
    out = Extracted(separator="\n")
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.text.strip():
                out.pieces.append(Piece(item.text))
        elif isinstance(item, DocxTable):
            rows = _rows(item)
            if rows:
                out.pieces.append(Piece(rows_text(rows), rows=rows))
    if not out.pieces:
        raise ReadError("empty", "the document has no text")
    return out
