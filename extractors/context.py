"""What an extractor knows about the document it reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Context:
    doc_date: date | None = None          # the document's own date (issued or published), for relative dates
    province: str | None = None           # the document's province, made explicit in canonical agency names
    own_number: str | None = None         # the document's own symbol: never a reference
    issuer: str | None = None
    taken: list[tuple[int, int]] = field(default_factory=list)  # spans claimed by earlier extractors

    def is_taken(self, start: int, end: int) -> bool:
        return any(start < e and s < end for s, e in self.taken)

    @classmethod
    def from_metadata(cls, metadata) -> Context:
        raw = metadata.issued_date or metadata.published_date
        d = None
        if raw:
            try:
                d = date.fromisoformat(raw[:10])
            except ValueError:
                d = None
        return cls(doc_date=d, province=metadata.province, own_number=metadata.number, issuer=metadata.issuer)
