"""PDF files (pdfplumber): the text of each page with its page number, tables kept as rows in reading order."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError

from corpus.formats import Extracted, Piece, ReadError, Warning_, rows_text


def _outside(bboxes: list[tuple[float, float, float, float]]):
    def keep(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in bboxes)

    return keep


def _page_pieces(page, number: int) -> list[Piece]:
    tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    if not tables:
        text = page.extract_text() or ""
        return [Piece(text, page=number)] if text.strip() else []
    pieces: list[Piece] = []
    bboxes = [t.bbox for t in tables]
    rest = page.filter(_outside(bboxes))
    top = 0.0
    for table in tables:
        x0, t_top, x1, t_bottom = table.bbox
        if t_top > top:
            text = rest.crop((0, top, page.width, t_top)).extract_text() or ""
            if text.strip():
                pieces.append(Piece(text, page=number))
        rows = [[(c or "").strip() for c in row] for row in table.extract()]
        rows = [r for r in rows if any(r)]
        if rows:
            pieces.append(Piece(rows_text(rows), page=number, rows=rows))
        top = max(top, t_bottom)
    if top < page.height:
        text = rest.crop((0, top, page.width, page.height)).extract_text() or ""
        if text.strip():
            pieces.append(Piece(text, page=number))
    return pieces


def extract(path: Path) -> Extracted:
    out = Extracted()
    try:
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                try:
                    out.pieces.extend(_page_pieces(page, number))
                except Exception as exc:  # one bad page does not lose the others
                    out.warnings.append(Warning_("pdf_page_broken", f"page {number} cannot be read: {exc}"))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ReadError("pdf_encrypted", f"the PDF is protected by a password: {exc!r}") from exc
    except PDFSyntaxError as exc:
        raise ReadError("pdf_broken", f"the PDF is broken or truncated: {exc}") from exc
    except Exception as exc:
        if "password" in repr(exc).lower() or "encrypt" in repr(exc).lower():
            raise ReadError("pdf_encrypted", f"the PDF is protected by a password: {exc!r}") from exc
        raise ReadError("pdf_broken", f"the PDF is broken or truncated: {exc!r}") from exc
    if not out.pieces:
        raise ReadError("pdf_no_text", "the PDF has no text layer (a scan?)")
    return out
