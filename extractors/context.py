"""What an extractor knows about the document it reads."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Context:
    doc_date: date | None = None          # the document's own date (issued or published), for relative dates
    province: str | None = None           # the document's province, made explicit in canonical agency names
    own_number: str | None = None         # the document's own symbol: never a reference
    issuer: str | None = None
    taken: list[tuple[int, int]] = field(default_factory=list)  # spans claimed by earlier extractors

    _index: tuple[int, list[int], list[int]] = field(default=(-1, [], []), repr=False, compare=False)

    def is_taken(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a taken span: a bisection over the spans sorted by start, with the
        running maximum of their ends (rebuilt when ``taken`` grew; the pipeline only extends it)."""
        n, starts, max_ends = self._index
        if n != len(self.taken):
            spans = sorted(self.taken)
            starts = [s for s, _ in spans]
            max_ends, top = [], -1
            for _, e in spans:
                top = max(top, e)
                max_ends.append(top)
            self._index = (len(self.taken), starts, max_ends)
        i = bisect_left(starts, end)
        return i > 0 and max_ends[i - 1] > start

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
