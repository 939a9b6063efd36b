"""One backend per file format. Each turns a file into :class:`Extracted` pieces of raw text; the reader then
normalizes every piece once and lays them end to end into ``Document.text``."""

from __future__ import annotations

from dataclasses import dataclass, field


class ReadError(Exception):
    """A file that cannot be read: ``code`` is short and stable, ``message`` is for a person."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Piece:
    """A run of text from one place of the file: a paragraph, a page, or a table (``rows``)."""

    text: str
    page: int | None = None
    rows: list[list[str]] | None = None


@dataclass
class Warning_:
    code: str
    message: str


@dataclass
class Extracted:
    pieces: list[Piece] = field(default_factory=list)
    encoding: str | None = None
    warnings: list[Warning_] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)  # metadata the file states outside its text
    separator: str = "\n\n"


def rows_text(rows: list[list[str]]) -> str:
    """A table as text: one line per row, cells separated by ' | '."""
    return "\n".join(" | ".join(" ".join(c.split()) for c in row) for row in rows)
