"""The one search interface, its query/filter/result models, and the records both engines index.

Two collections: *documents* (metadata, text, sections) and *indicators* (one record per indicator, carrying its
document's metadata, for filters and aggregations). Routes talk to a :class:`SearchBackend` only.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from datetime import date

from pydantic import BaseModel, Field

from corpus.model import Document, Indicator, Metadata
from search_api.provinces import canonical_province
from search_api.textutil import ParsedQuery, highlight, parse_query

DOC_FACETS = ("province", "doc_type", "issuer", "year", "metric", "kind")
IND_FACETS = ("kind", "metric", "province", "unit", "deadline_year", "agency", "doc_type")
FACET_SAMPLE_DOC = ("the share of the matches the facets were counted over: 1.0, exact; below 1 (a search matching "
                    "more than the setting facet_sample_above, without exact_facets=true), each count is the count "
                    "in a fixed random sample of the records divided by this share, rounded (Typesense's "
                    "facet_sample_percent); a facet fixed by a filter is exact either way")


class DocumentFilters(BaseModel):
    province: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    metric: str | None = None
    kind: str | None = None
    agency: str | None = None


class DocumentQuery(DocumentFilters):
    q: str | None = None
    page: int = 1
    size: int = 10
    facets: bool = True
    exact_facets: bool = False
    highlight: bool = True

    def parsed(self) -> ParsedQuery:
        return parse_query(self.q)


class IndicatorQuery(BaseModel):
    q: str | None = None
    kind: str | None = None
    metric: str | None = None
    province: str | None = None
    agency: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    doc_id: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None
    page: int = 1
    size: int = 20
    facets: bool = True
    exact_facets: bool = False

    def parsed(self) -> ParsedQuery:
        return parse_query(self.q)


class FacetCount(BaseModel):
    value: str | int
    count: int


class DocumentSummary(BaseModel):
    id: str
    source: str = ""
    metadata: Metadata = Field(default_factory=Metadata)
    n_indicators: int = 0
    n_mentions: int = 0


class DocumentHit(DocumentSummary):
    score: float = 0.0
    highlight: dict | None = None


class DocumentResults(BaseModel):
    total: int
    page: int
    size: int
    hits: list[DocumentHit]
    facets: dict[str, list[FacetCount]] = Field(default_factory=dict)
    facet_sample: float = Field(1.0, description=FACET_SAMPLE_DOC)


class DocRef(BaseModel):
    id: str
    source: str = ""
    number: str | None = None
    doc_type: str | None = None
    title: str | None = None
    issuer: str | None = None
    issued_date: str | None = None
    province: str | None = None


class IndicatorRecord(BaseModel):
    """An indicator as indexed: the indicator itself, where it sits, and its document's metadata."""

    id: str
    doc_id: str
    ordinal: int
    province: str | None = None
    deadline: str | None = None
    indicator: Indicator
    document: DocRef


class IndicatorResults(BaseModel):
    total: int
    page: int
    size: int
    hits: list[IndicatorRecord]
    facets: dict[str, list[FacetCount]] = Field(default_factory=dict)
    facet_sample: float = Field(1.0, description=FACET_SAMPLE_DOC)


# ---------------------------------------------------------------- helpers shared by the engines
def year_of(iso: str | None) -> int | None:
    if iso and re.match(r"\d{4}", iso):
        return int(iso[:4])
    return None


def parse_iso(iso: str | None) -> date | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        m = re.match(r"(\d{4})", iso)
        return date(int(m.group(1)), 12, 31) if m else None


def number_key(number: str | None) -> str | None:
    """'310/KH-UBND' and '310 / kh-ubnd' → '310/KH-UBND' (the key citations are resolved with)."""
    if not number:
        return None
    return re.sub(r"\s+", "", number).upper().replace("Đ", "D")


def doc_date(meta: Metadata) -> str | None:
    return meta.issued_date or meta.published_date


def doc_province(doc: Document) -> str | None:
    return canonical_province(doc.metadata.province) or doc.metadata.province


def indicator_province(ind: Indicator, doc: Document) -> str | None:
    if ind.location and ind.location.level in (None, "province"):
        return canonical_province(ind.location.name) or doc_province(doc)
    return doc_province(doc)


def summary_of(doc: Document) -> DocumentSummary:
    meta = doc.metadata.model_copy(update={"province": doc_province(doc)})
    return DocumentSummary(id=doc.id, source=doc.source, metadata=meta, n_indicators=len(doc.indicators),
                           n_mentions=len(doc.mentions))


def doc_ref(doc: Document) -> DocRef:
    m = doc.metadata
    return DocRef(id=doc.id, source=doc.source, number=m.number, doc_type=m.doc_type, title=m.title,
                  issuer=m.issuer, issued_date=doc_date(m), province=doc_province(doc))


def indicator_records(doc: Document) -> list[IndicatorRecord]:
    ref = doc_ref(doc)
    out = []
    for i, ind in enumerate(doc.indicators):
        # a target's deadline is the end of its period; reported figures have periods, not deadlines
        deadline = ind.period.end if ind.kind == "target" and ind.period and ind.period.end else None
        out.append(IndicatorRecord(id=f"{doc.id}:{i}", doc_id=doc.id, ordinal=i, province=indicator_province(ind, doc),
                                   deadline=deadline, indicator=ind, document=ref))
    return out


def cited_keys(doc: Document) -> list[str]:
    keys = {number_key(m.normalized.number) for m in doc.mentions_of("reference")}
    keys.discard(None)
    keys.discard(number_key(doc.metadata.number))
    return sorted(k for k in keys if k)


def agencies_of(doc: Document) -> list[str]:
    names = {m.normalized.canonical for m in doc.mentions_of("agency")}
    names.update(a.canonical for ind in doc.indicators for a in ind.agencies)
    return sorted(names)


def make_highlight(text: str, parsed: ParsedQuery) -> dict | None:
    hl = highlight(text, parsed)
    return hl.as_dict() if hl else None


class SearchBackend(ABC):
    """Index documents and their indicators, search both with filters and facets, get by id, delete."""

    name: str = "base"

    @abstractmethod
    def ensure_setup(self) -> None:
        """Create what the engine needs (idempotent)."""

    @abstractmethod
    def index_documents(self, docs: Iterable[Document]) -> int:
        """Upsert documents (by id) and replace their indicators; returns how many documents were written."""

    @abstractmethod
    def delete_document(self, doc_id: str) -> bool: ...

    @abstractmethod
    def get_document(self, doc_id: str) -> Document | None: ...

    @abstractmethod
    def search_documents(self, query: DocumentQuery) -> DocumentResults: ...

    @abstractmethod
    def search_indicators(self, query: IndicatorQuery) -> IndicatorResults: ...

    def search_documents_json(self, query: DocumentQuery) -> bytes:
        """The JSON of :meth:`search_documents` (an engine may write it without building the models)."""
        return self.search_documents(query).model_dump_json().encode()

    def search_indicators_json(self, query: IndicatorQuery) -> bytes:
        """The JSON of :meth:`search_indicators` (an engine may write it without building the models)."""
        return self.search_indicators(query).model_dump_json().encode()

    # threads for a search not answered from a cache (CHITIEU_SEARCH_THREADS overrides it): a client waiting on the
    # network lets the event loop go on only from a thread
    search_threads = 16

    def cached_documents_json(self, query: DocumentQuery) -> bytes | None:
        """The JSON of :meth:`search_documents_json` when it was answered before and is still current, without
        searching (cheap enough for the event loop); None when it must be searched."""
        return None

    def cached_indicators_json(self, query: IndicatorQuery) -> bytes | None:
        """As :meth:`cached_documents_json`, for :meth:`search_indicators_json`."""
        return None

    def new_documents_json(self, query: DocumentQuery) -> bytes:
        """:meth:`search_documents_json` once :meth:`cached_documents_json` found nothing (not looked up again)."""
        return self.search_documents_json(query)

    def new_indicators_json(self, query: IndicatorQuery) -> bytes:
        """:meth:`search_indicators_json` once :meth:`cached_indicators_json` found nothing."""
        return self.search_indicators_json(query)

    @abstractmethod
    def find_by_number(self, number: str, limit: int = 10) -> list[DocumentSummary]:
        """Indexed documents whose own number is ``number``."""

    @abstractmethod
    def citing(self, number: str, limit: int = 50) -> list[DocumentSummary]:
        """Indexed documents that cite ``number``."""

    @abstractmethod
    def count(self) -> dict[str, int]:
        """How many documents and indicators are indexed."""

    def cache_stats(self) -> dict[str, dict[str, int]]:
        """This process's search caches: hits, misses, size (none for an engine that keeps its own)."""
        return {}

    def generation(self) -> object | None:
        """A token that changes whenever what a search could find changes (None: unknown, or changing now): the
        key under which whole responses may be kept (:mod:`search_api.response_cache`)."""
        return None

    def iter_indicators(self, query: IndicatorQuery, batch: int = 500) -> Iterator[IndicatorRecord]:
        """Every indicator matching ``query`` (page by page)."""
        page = 1
        while True:
            res = self.search_indicators(query.model_copy(update={"page": page, "size": batch, "facets": False}))
            yield from res.hits
            if page * batch >= res.total or not res.hits:
                return
            page += 1

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the backend holds."""
