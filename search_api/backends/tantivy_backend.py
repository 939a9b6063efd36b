"""The embedded engine (default): two tantivy indexes in a folder, nothing to start.

Text fields are indexed twice: as written (NFC, lowercased by the tokenizer) and ASCII-folded (``*_fold``);
queries are built term by term (never through tantivy's query parser) and ask both, the exact field boosted.
Filters are exact terms on raw fields and ranges on typed fields; facets are tantivy terms aggregations.

A search hit loads only what a results page shows: the documents index stores each document's summary (the JSON of
a :class:`DocumentSummary`) and its text (for the highlighted passage); the rest of the document (mentions,
indicators, sections) is stored in a third index, ``bodies``, read only by :meth:`TantivyBackend.get_document`
(tantivy reads a stored document whole: a large stored body made every hit several times slower).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sqlite3
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import diskcache
import tantivy as tv

from corpus.model import Document
from search_api.backends.base import (
    DOC_FACETS,
    IND_FACETS,
    DocumentHit,
    DocumentQuery,
    DocumentResults,
    DocumentSummary,
    FacetCount,
    IndicatorQuery,
    IndicatorRecord,
    IndicatorResults,
    SearchBackend,
    agencies_of,
    cited_keys,
    doc_date,
    doc_province,
    indicator_records,
    make_highlight,
    number_key,
    parse_iso,
    summary_of,
    year_of,
)
from search_api.provinces import canonical_province
from search_api.settings import FACET_SAMPLE_ABOVE
from search_api.textutil import ParsedQuery, fold

# v2: the document body moved to its own index; the summary stored in full (the hit's JSON is built from it)
# v3: word-pair fields (a two-word phrase is one term)
# v4: the sample field (facets counted over a fixed random share of the records)
# v5: the sample indexes (the records of the sample's first levels, in indexes of their own)
SCHEMA_VERSION = "v5"
Occur = tv.Occur
PAIRS_TOKENIZER = "pairs"  # the pair fields hold ready-made terms, one per whitespace-separated word


@functools.lru_cache(maxsize=1)
def _words_analyzer() -> tv.TextAnalyzer:
    """The words of a text as tantivy's default tokenizer indexes them (split on anything not a letter or a digit,
    tokens of 40 bytes or more dropped, lowercased)."""
    return (tv.TextAnalyzerBuilder(tv.Tokenizer.simple()).filter(tv.Filter.remove_long(40))
            .filter(tv.Filter.lowercase()).build())


def pair_terms(words: list[str]) -> list[str]:
    """Each word joined to the next (``a_b``: words are letters and digits only, so ``_`` never occurs in one)."""
    return list(map("_".join, zip(words, words[1:], strict=False)))


def _pairs_text(*texts: str | None) -> str:
    """The value of a pair field: the pairs of adjacent words of each text (none across two texts)."""
    analyze = _words_analyzer().analyze
    return " ".join(" ".join(pair_terms(analyze(t))) for t in texts if t)


# indicators of a document share their sentences: their pairs made once
_short_pairs_text = functools.lru_cache(maxsize=4096)(_pairs_text)


# ---------------------------------------------------------------- the sample of the records facets may count
# Each record falls in one of 64 slots by the hash of its id; sample level L (1..6) holds the slots below 64 / 2**L,
# a fixed random share 1/2**L of the records, and the record carries the term "L" of every level it is in: the
# sample of a level is one term to intersect with a query.
SAMPLE_SLOTS = 64
SAMPLE_LEVELS = 6


def sample_terms(record_id: str) -> list[str]:
    slot = zlib.crc32(record_id.encode()) % SAMPLE_SLOTS
    return [str(level) for level in range(1, SAMPLE_LEVELS + 1) if slot < SAMPLE_SLOTS >> level]


# The records of sample level SAMPLE_INDEX_LEVEL (a quarter) are also written to an index of their own, holding
# only what a query and its facets read (``documents-sample``, ``indicators-sample``): facets of a sampled search are
# counted there, where evaluating the query reads about a quarter of the postings. Intersecting the query with the
# level's term in the whole index saved little: the postings of a common word are dense, and seeking each one to the
# next sampled record decodes about as many blocks as reading them all.
SAMPLE_INDEX_LEVEL = 2


def sample_level(matches: int, above: int) -> int:
    """The sample level facets are counted at for a query of ``matches`` records: 0 (all of them) up to ``above``
    matches (or when ``above`` is 0), else the smallest level whose share of the matches is at most ``above``."""
    if above <= 0:
        return 0
    level = 0
    while level < SAMPLE_LEVELS and matches / (1 << level) > above:
        level += 1
    return level


def _in_sample_index(record_id: str) -> bool:
    return str(SAMPLE_INDEX_LEVEL) in sample_terms(record_id)


class _Records:
    """A record of the whole index and, when its id is in the sample index's level, its copy for the sample index,
    built together (each field's value computed once): a field goes to both, or (``sampled=False``: the exact texts
    and the stored values, which the sample index does not have) to the whole index's record only. The id and the
    sample terms are added first."""

    def __init__(self, record_id: str) -> None:
        self.full = tv.Document()
        self.sample = tv.Document() if _in_sample_index(record_id) else None
        self.add("id", record_id)
        for term in sample_terms(record_id):
            self.add("sample", term)

    def add(self, name: str, value: object, method: str = "add_text", sampled: bool = True) -> None:
        getattr(self.full, method)(name, value)
        if sampled and self.sample is not None:
            getattr(self.sample, method)(name, value)

    def write(self, full: tv.IndexWriter, sample: tv.IndexWriter) -> None:
        full.add_document(self.full)
        if self.sample is not None:
            sample.add_document(self.sample)


def _raw(sb: tv.SchemaBuilder, *names: str, stored: bool = False) -> None:
    for n in names:
        sb.add_text_field(n, stored=stored, fast=True, tokenizer_name="raw")


def _pairs(sb: tv.SchemaBuilder, full: bool) -> None:
    """``pairs`` and ``pairs_fold``: the adjacent word pairs of the searchable texts, as written (lowercased) and
    folded; counted per document (no positions). A phrase of two words is then one term to look up, not two
    posting lists and their positions to compare."""
    for n in ("pairs", "pairs_fold") if full else ("pairs_fold",):
        sb.add_text_field(n, tokenizer_name=PAIRS_TOKENIZER, index_option="freq")


def _doc_schema(full: bool = True) -> tv.Schema:
    """The documents index; ``full=False``: its sample index, holding what a query matches and its facets count
    (the folded texts, the filter and facet fields), nothing stored."""
    sb = tv.SchemaBuilder()
    sb.add_text_field("id", stored=full, tokenizer_name="raw")
    for n in ("text", "title"):
        if full:
            sb.add_text_field(n, stored=(n == "text"))
        sb.add_text_field(n + "_fold")
    _pairs(sb, full)
    _raw(sb, "number_key", "doc_type", "issuer", "province", "metric", "kind", "agency", "cites")
    sb.add_text_field("sample", tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_date_field("issued", indexed=True, fast=True)
    if full:
        sb.add_bytes_field("meta", stored=True, indexed=False)
    return sb.build()


def _body_schema() -> tv.Schema:
    sb = tv.SchemaBuilder()
    sb.add_text_field("id", stored=False, tokenizer_name="raw")
    sb.add_bytes_field("body", stored=True, indexed=False)
    return sb.build()


def _ind_schema(full: bool = True) -> tv.Schema:
    """The indicators index; ``full=False``: its sample index (as :func:`_doc_schema`)."""
    sb = tv.SchemaBuilder()
    sb.add_text_field("id", stored=full, tokenizer_name="raw")
    _raw(sb, "doc_id", "kind", "metric", "unit", "province", "agency", "doc_type", "issuer")
    sb.add_text_field("sample", tokenizer_name="raw", index_option="basic")
    for n in ("subject", "sentence"):
        if full:
            sb.add_text_field(n)
        sb.add_text_field(n + "_fold")
    _pairs(sb, full)
    sb.add_float_field("value", indexed=True, fast=True)
    sb.add_date_field("deadline", indexed=True, fast=True)
    sb.add_integer_field("deadline_year", indexed=True, fast=True)
    sb.add_integer_field("year", indexed=True, fast=True)
    if full:
        sb.add_bytes_field("payload", stored=True, indexed=False)
    return sb.build()


WRITER_WAIT_SECONDS = 120.0
# the facet fields holding one value per record (at most): a filter on one of them fixes its facet
DOC_SINGLE = ("province", "doc_type", "issuer", "year")
IND_SINGLE = ("kind", "metric", "unit", "province", "doc_type")
# facet counts cached per index generation (0 turns the cache off); not trusted in the first seconds after a commit
FACET_CACHE_SIZE = int(os.environ.get("CHITIEU_FACET_CACHE", "2048"))
FACET_CACHE_SETTLE_SECONDS = 2.0
# whole result pages (the JSON of a search) cached per index generation, as Solr's queryResultCache does
# (0 turns it off; `chitieu bench search` measures with and without)
RESULT_CACHE_SIZE = int(os.environ.get("CHITIEU_RESULT_CACHE", "1024"))
FACET_THREADS = 4


@functools.cache
def _facet_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=FACET_THREADS, thread_name_prefix="facets")


def _writer(index: tv.Index, heap: int, wait: float = WRITER_WAIT_SECONDS) -> tv.IndexWriter:
    """The index's one writer. Another process (the server taking an upload, a ``chitieu ingest``) may hold it
    for the length of a commit: wait for it rather than fail. A lock left by a killed process is a dead flock,
    never busy, so it does not block."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return index.writer(heap)
        except ValueError as exc:
            if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _dt(d: dt.date) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day)


def _dumps(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


class _Facets:
    """Facet counts as plain lists (what the aggregation gave), their JSON and their models, each made once."""

    __slots__ = ("raw", "total", "sample", "_json", "_models")

    def __init__(self, raw: dict[str, list[dict]], total: int | None = None, sample: float = 1.0) -> None:
        self.raw = raw
        self.total = total  # the number of matches of the query they were counted for, when known
        self.sample = sample  # the share of the matches counted (1.0: all)
        self._json: bytes | None = None
        self._models: dict[str, list[FacetCount]] | None = None

    def json(self) -> bytes:
        """``"facets":{…},"facet_sample":x`` (the two fields of a result written from them)."""
        if self._json is None:
            self._json = b'"facets":' + _dumps(self.raw) + b',"facet_sample":' + _dumps(self.sample)
        return self._json

    def models(self) -> dict[str, list[FacetCount]]:
        if self._models is None:
            self._models = {n: [FacetCount(**b) for b in v] for n, v in self.raw.items()}
        # a copy of the dict and lists: a caller may change its results without touching the cache
        return {n: list(v) for n, v in self._models.items()}


def _results_json(total: int, page: int, size: int, hits: bytes, facets: _Facets) -> bytes:
    """The JSON of a DocumentResults / IndicatorResults (same fields, same order as pydantic writes them)."""
    return b'{"total":%d,"page":%d,"size":%d,"hits":[' % (total, page, size) + hits + b"]," + facets.json() + b"}"


class _SharedStore:
    """The store shared by the processes of one index folder, opened when first used (an ingest never opens it).
    Only a cache: when it cannot be opened, read or written (a full disk, a locked database), the search goes on
    without it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._cache: diskcache.Cache | None = None
        self.failed = False

    def _open(self) -> diskcache.Cache | None:
        if self._cache is None and not self.failed:
            try:
                self._cache = diskcache.Cache(str(self.directory), size_limit=SHARED_CACHE_BYTES, timeout=0.05)
            except (OSError, sqlite3.Error):
                self.failed = True
        return self._cache

    def get(self, key: tuple) -> object | None:
        try:
            cache = self._open()
            return cache.get(key) if cache is not None else None
        except (OSError, sqlite3.Error, diskcache.Timeout):
            return None

    def set(self, key: tuple, value: object) -> None:
        try:
            cache = self._open()
            if cache is not None:
                cache.set(key, value)
        except (OSError, sqlite3.Error, diskcache.Timeout):
            pass

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None


class _Cache:
    """A bounded least-recently-used map in this process, in front of a store shared by every process that opens
    the same index folder (diskcache: SQLite in ``<index>/cache``): the server's workers answer from it what any
    of them computed. Safe across threads and processes; the keys carry the index generation."""

    def __init__(self, shared: _SharedStore | None, prefix: str) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._shared, self._prefix = shared, prefix
        self.hits = self.shared_hits = self.misses = 0

    def get(self, key: tuple | None) -> object | None:
        if key is None:
            return None
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self.hits += 1
                self._items.move_to_end(key)
                return hit
        hit = self._shared.get((self._prefix, *key)) if self._shared is not None else None
        with self._lock:
            if hit is None:
                self.misses += 1
            else:
                self.shared_hits += 1
                self._items[key] = hit
        return hit

    def put(self, key: tuple | None, value: object, size: int) -> None:
        if key is None or size <= 0:
            return
        with self._lock:
            self._items[key] = value
            while len(self._items) > size:
                self._items.popitem(last=False)
        if self._shared is not None:
            self._shared.set((self._prefix, *key), value)

    def stats(self) -> dict[str, int]:
        return {"hits": self.hits, "shared_hits": self.shared_hits, "misses": self.misses, "size": len(self._items)}


SHARED_CACHE_BYTES = 256 * 2**20


class TantivyBackend(SearchBackend):
    name = "tantivy"
    # a new search on the event loop: with 2 threads per worker the same bench gave 580 req/s and p95 150 ms
    # against 887 req/s and 49 ms (the searches hold the GIL between the engine's calls); with 1, a warmed server's
    # p95 at 500 req/s fell from 15-19 ms to 5.9 ms, but cold runs were no better and the closed loop slower
    # (671 req/s, p95 188 ms against 745 and 61; BENCHMARKS.md, session 5)
    search_threads = 0

    def __init__(self, index_dir: Path | str, writer_heap: int = 256_000_000,
                 facet_sample_above: int = FACET_SAMPLE_ABOVE) -> None:
        self.root = Path(index_dir)
        self.facet_sample_above = facet_sample_above
        self.writer_heap = writer_heap
        self._lock = threading.Lock()
        self.ensure_setup()

    # ------------------------------------------------------------ setup and writing
    def ensure_setup(self) -> None:
        names = ("documents", "indicators", "bodies", "documents-sample", "indicators-sample")
        dirs = {name: self.root / f"{name}-{SCHEMA_VERSION}" for name in names}
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        self.doc_schema, self.ind_schema, self.body_schema = _doc_schema(), _ind_schema(), _body_schema()
        self.doc_sample_schema, self.ind_sample_schema = _doc_schema(full=False), _ind_schema(full=False)
        self.docs = tv.Index(self.doc_schema, path=str(dirs["documents"]), reuse=True)
        self.inds = tv.Index(self.ind_schema, path=str(dirs["indicators"]), reuse=True)
        self.docs_sample = tv.Index(self.doc_sample_schema, path=str(dirs["documents-sample"]), reuse=True)
        self.inds_sample = tv.Index(self.ind_sample_schema, path=str(dirs["indicators-sample"]), reuse=True)
        pairs = tv.TextAnalyzerBuilder(tv.Tokenizer.whitespace()).build()
        for index in (self.docs, self.inds, self.docs_sample, self.inds_sample):
            index.register_tokenizer(PAIRS_TOKENIZER, pairs)
        shared = _SharedStore(self.root / f"cache-{SCHEMA_VERSION}") if RESULT_CACHE_SIZE else None
        self._shared_cache = shared
        # facet counts stay in the process: another worker reads the whole page from the shared store, and one more
        # SQLite write per new search (about 0.4 ms of CPU) bought only the pages after the first of a search
        self._facet_cache = _Cache(None, "facets")
        self._result_cache = _Cache(shared, "results")
        self.bodies = tv.Index(self.body_schema, path=str(dirs["bodies"]), reuse=True)

    def close(self) -> None:
        if self._shared_cache is not None:
            self._shared_cache.close()

    def _indexes(self) -> tuple[tv.Index, ...]:
        return (self.docs, self.inds, self.bodies, self.docs_sample, self.inds_sample)

    def reload(self) -> None:
        for index in self._indexes():
            index.reload()

    @staticmethod
    def _doc_records(doc: Document) -> _Records:
        """The document's record in the documents index, and in its sample index when it is in the sample."""
        m = doc.metadata
        r = _Records(doc.id)
        folded, folded_title = fold(doc.text), fold(m.title or "")
        r.add("text", doc.text, sampled=False)
        r.add("pairs", _pairs_text(m.title, doc.text), sampled=False)
        r.add("text_fold", folded)
        if m.title:
            r.add("title", m.title, sampled=False)
            r.add("title_fold", folded_title)
        r.add("pairs_fold", _pairs_text(folded_title, folded))
        for name, value in (("number_key", number_key(m.number)), ("doc_type", m.doc_type), ("issuer", m.issuer),
                            ("province", doc_province(doc))):
            if value:
                r.add(name, value)
        for name, values in (("metric", {i.metric for i in doc.indicators}), ("kind", {i.kind for i in doc.indicators}),
                             ("agency", agencies_of(doc)), ("cites", cited_keys(doc))):
            for v in sorted(values):
                r.add(name, v)
        issued = parse_iso(doc_date(m))
        if issued:
            r.add("year", issued.year, "add_integer")
            r.add("issued", _dt(issued), "add_date")
        # in full: a hit's JSON starts with it
        r.add("meta", summary_of(doc).model_dump_json().encode(), "add_bytes", sampled=False)
        return r

    @staticmethod
    def _body_fields(doc: Document) -> tv.Document:
        t = tv.Document()
        t.add_text("id", doc.id)
        t.add_bytes("body", doc.model_dump_json(exclude={"text"}).encode())
        return t

    @staticmethod
    def _ind_records(rec: IndicatorRecord) -> _Records:
        """The indicator's record in the indicators index, and in its sample index when it is in the sample."""
        ind = rec.indicator
        r = _Records(rec.id)
        r.add("doc_id", rec.doc_id)
        for name, value in (("kind", ind.kind), ("metric", ind.metric), ("unit", ind.unit), ("province", rec.province),
                            ("doc_type", rec.document.doc_type), ("issuer", rec.document.issuer)):
            if value:
                r.add(name, value)
        for a in sorted({a.canonical for a in ind.agencies}):
            r.add("agency", a)
        for name, value in (("subject", ind.subject), ("sentence", ind.sentence)):
            if value:
                r.add(name, value, sampled=False)
                r.add(name + "_fold", fold(value))
        r.add("pairs", _short_pairs_text(ind.subject, ind.sentence), sampled=False)
        r.add("pairs_fold", _short_pairs_text(fold(ind.subject or ""), fold(ind.sentence or "")))
        if ind.value is not None:
            r.add("value", float(ind.value), "add_float")
        deadline = parse_iso(rec.deadline)
        if deadline:
            r.add("deadline", _dt(deadline), "add_date")
            r.add("deadline_year", deadline.year, "add_integer")
        year = year_of(rec.document.issued_date)
        if year:
            r.add("year", year, "add_integer")
        r.add("payload", rec.model_dump_json().encode(), "add_bytes", sampled=False)
        return r

    def index_documents(self, docs: Iterable[Document]) -> int:
        n = 0
        with self._lock:
            small = max(self.writer_heap // 4, 20_000_000)
            dw = _writer(self.docs, self.writer_heap)
            iw, bw = _writer(self.inds, small), _writer(self.bodies, small)
            sdw, siw = _writer(self.docs_sample, small), _writer(self.inds_sample, small)
            # the documents index last: a document is found only once all is written
            writers = (sdw, siw, bw, iw, dw)
            try:
                for doc in docs:
                    for w, field in ((dw, "id"), (iw, "doc_id"), (bw, "id"), (sdw, "id"), (siw, "doc_id")):
                        w.delete_documents_by_term(field, doc.id)
                    self._doc_records(doc).write(dw, sdw)
                    bw.add_document(self._body_fields(doc))
                    for rec in indicator_records(doc):
                        self._ind_records(rec).write(iw, siw)
                    n += 1
                for w in writers:
                    w.commit()
            except BaseException:
                for w in writers:
                    w.rollback()
                raise
            finally:
                for w in writers:
                    w.wait_merging_threads()
            self.reload()
        return n

    def delete_document(self, doc_id: str) -> bool:
        if self.get_document(doc_id) is None:
            return False
        with self._lock:
            writers = [(_writer(index, 20_000_000), field) for index, field in (
                (self.docs_sample, "id"), (self.inds_sample, "doc_id"), (self.bodies, "id"), (self.inds, "doc_id"),
                (self.docs, "id"))]
            for w, field in writers:
                w.delete_documents_by_term(field, doc_id)
            for w, _field in writers:
                w.commit()
            for w, _field in writers:
                w.wait_merging_threads()
            self.reload()
        return True

    # ------------------------------------------------------------ reading
    def get_document(self, doc_id: str) -> Document | None:
        s = self.docs.searcher()
        hits = s.search(tv.Query.term_query(self.doc_schema, "id", doc_id), 1).hits
        if not hits:
            return None
        text = s.doc(hits[0][1]).get_first("text") or ""
        b = self.bodies.searcher()
        found = b.search(tv.Query.term_query(self.body_schema, "id", doc_id), 1).hits
        if not found:
            return None
        data = json.loads(bytes(b.doc(found[0][1]).get_first("body")))
        data["text"] = text
        return Document.model_validate(data)

    def count(self) -> dict[str, int]:
        return {"documents": self.docs.searcher().num_docs, "indicators": self.inds.searcher().num_docs}

    def _summaries(self, query: tv.Query, limit: int) -> list[DocumentSummary]:
        s = self.docs.searcher()
        return [DocumentSummary.model_validate_json(bytes(s.doc(a).get_first("meta")))
                for _score, a in s.search(query, limit).hits]

    def find_by_number(self, number: str, limit: int = 10) -> list[DocumentSummary]:
        key = number_key(number)
        return self._summaries(tv.Query.term_query(self.doc_schema, "number_key", key), limit) if key else []

    def citing(self, number: str, limit: int = 50) -> list[DocumentSummary]:
        key = number_key(number)
        return self._summaries(tv.Query.term_query(self.doc_schema, "cites", key), limit) if key else []

    # ------------------------------------------------------------ query building
    @staticmethod
    def _text_query(schema: tv.Schema, parsed: ParsedQuery, fields: list[tuple[str, float]]) -> tv.Query:
        """Every clause must match in one of ``fields`` (exact or folded); exact matches and phrases weigh more.

        A word matches its exact or folded form in any of the fields (one union of the four). A phrase is looked
        up as word pairs: each pair of adjacent words must be in ``pairs_fold`` (for two words that is the whole
        phrase; a longer phrase must also be found as such in a folded field); its exact pairs, in ``pairs``,
        weigh more. Words typed side by side rank first when they are side by side in the text (their pairs)."""
        q = tv.Query
        musts: list[tuple[Occur, tv.Query]] = []
        for clause in parsed.clauses:
            if clause.is_phrase:
                musts.append((Occur.Must, TantivyBackend._phrase_query(schema, clause.words, clause.folded, fields)))
                continue
            union = []
            for name, boost in fields:
                union.append(q.boost_query(q.term_query(schema, name, clause.words[0]), boost * 2))
                union.append(q.boost_query(q.term_query(schema, name + "_fold", clause.folded[0]), boost))
            musts.append((Occur.Must, q.boolean_query([(Occur.Should, x) for x in union])))
        singles = [c.words[0] for c in parsed.clauses if not c.is_phrase and not c.quoted]
        if len(singles) > 1:  # the words side by side, as typed, rank first
            musts.extend((Occur.Should, q.boost_query(q.term_query(schema, "pairs", p), 3.0))
                         for p in pair_terms(singles))
            musts.extend((Occur.Should, q.boost_query(q.term_query(schema, "pairs_fold", p), 1.5))
                         for p in pair_terms([fold(w) for w in singles]))
        return q.boolean_query(musts)

    @staticmethod
    def _match_query(schema: tv.Schema, parsed: ParsedQuery, fields: tuple[str, ...]) -> tv.Query:
        """What :meth:`_text_query` matches, unscored and read from the folded fields only (a word's exact form
        folds to its folded one): each word in one of the folded ``fields``, each phrase's folded pairs (and,
        for more than two words, the phrase itself in one of them). Facets and counts need no more."""
        q = tv.Query
        musts: list[tuple[Occur, tv.Query]] = []
        for clause in parsed.clauses:
            if clause.is_phrase:
                parts = [(Occur.Must, q.term_query(schema, "pairs_fold", p)) for p in pair_terms(clause.folded)]
                if len(clause.words) > 2:
                    parts.append((Occur.Must, q.boolean_query(
                        [(Occur.Should, q.phrase_query(schema, n + "_fold", clause.folded)) for n in fields])))
                musts.append((Occur.Must, q.boolean_query(parts)))
            else:
                musts.append((Occur.Must, q.boolean_query(
                    [(Occur.Should, q.term_query(schema, n + "_fold", clause.folded[0])) for n in fields])))
        return q.boolean_query(musts)

    @staticmethod
    def _phrase_query(schema: tv.Schema, words: list[str], folded: list[str],
                      fields: list[tuple[str, float]]) -> tv.Query:
        q = tv.Query
        top = max(b for _n, b in fields)
        parts: list[tuple[Occur, tv.Query]] = [
            (Occur.Must, q.boost_query(q.term_query(schema, "pairs_fold", p), top)) for p in pair_terms(folded)]
        parts += [(Occur.Should, q.boost_query(q.term_query(schema, "pairs", p), top * 2)) for p in pair_terms(words)]
        if len(words) > 2:  # the pairs may be apart: the phrase itself, read from the positions of those documents
            anywhere = [(Occur.Should, q.const_score_query(q.phrase_query(schema, n + "_fold", folded), 0.0))
                        for n, _b in fields]
            parts.append((Occur.Must, q.boolean_query(anywhere)))
        return q.boolean_query(parts)

    @staticmethod
    def _filter(schema: tv.Schema, field: str, value: object) -> tv.Query:
        return tv.Query.const_score_query(tv.Query.term_query(schema, field, value), 0.0)

    @staticmethod
    def _range(schema: tv.Schema, field: str, ftype: tv.FieldType, lo: object, hi: object) -> tv.Query:
        return tv.Query.const_score_query(tv.Query.range_query(schema, field, ftype, lo, hi), 0.0)

    def _combine(self, text_q: tv.Query | None, filters: list[tv.Query]) -> tv.Query:
        if text_q is None and not filters:
            return tv.Query.all_query()
        parts = ([(Occur.Must, text_q)] if text_q is not None else []) + [(Occur.Must, f) for f in filters]
        return tv.Query.boolean_query(parts)

    def _generation(self, index_dir: Path, searcher: tv.Searcher) -> tuple | None:
        """What identifies the searcher's view of an index: its meta.json (rewritten by every commit, by any
        process) and the searcher's counts. None just after a commit, while the reader may still be reloading."""
        try:
            st = (index_dir / "meta.json").stat()
        except OSError:
            return None
        if time.time() - st.st_mtime < FACET_CACHE_SETTLE_SECONDS:
            return None
        return (str(index_dir), st.st_mtime_ns, st.st_size, st.st_ino, searcher.num_docs, searcher.num_segments)

    def _cache_key(self, index_dir: Path, searcher: tv.Searcher, key: str, size: int) -> tuple | None:
        """The cache key of a query in the searcher's index generation and this engine's facet sampling (the
        caches are shared with every process reading the folder, which may sample otherwise; None: do not
        cache)."""
        gen = self._generation(index_dir, searcher) if size else None
        return None if gen is None else (gen, self.facet_sample_above, key)

    def generation(self) -> tuple | None:
        """Both collections' generations (each None in the seconds after a commit) and the facet sampling."""
        docs = self._generation(self.root / f"documents-{SCHEMA_VERSION}", self.docs.searcher())
        inds = self._generation(self.root / f"indicators-{SCHEMA_VERSION}", self.inds.searcher())
        return None if docs is None or inds is None else (docs, inds, self.facet_sample_above)

    def cache_stats(self) -> dict[str, dict[str, int]]:
        """Hits and misses of this process's caches (each server worker has its own)."""
        return {"results": self._result_cache.stats(), "facets": self._facet_cache.stats()}

    def _page(self, searcher: tv.Searcher, index_dir: Path, tq: tv.Query, size: int, page: int, want_facets: bool,
              key: str, names: tuple[str, ...], pinned: dict[str, object], schema: tv.Schema,
              match: Callable[[tv.Schema], tv.Query], sample: tuple[tv.Index, tv.Schema],
              exact: bool = False) -> tuple[int, list, _Facets]:
        """The total, the page's (score, address) pairs and the facets of a query.

        Facet counts are kept per index generation and query (page and size left out: paging reuses them), and
        with them the number of matches: when they are found, the search only ranks (tantivy then neither counts
        every match nor keeps a count collector beside the top-k one); otherwise it counts, and the facets are
        counted for ``match`` (the query's matches, unscored, built for the schema of the index it runs on): over
        every match up to ``facet_sample_above`` matches (or with ``exact``), else over the fixed random sample of
        the records that holds about that many of them (:func:`sample_level`, at least SAMPLE_INDEX_LEVEL),
        counted in the ``sample`` index (each count divided by the sample's share). Counting facets costs tantivy
        about 10-30 ns per match and field: for a query of 100,000 matches that was most of the time of a new
        search."""
        ck = self._cache_key(index_dir, searcher, key, FACET_CACHE_SIZE) if want_facets else None
        cached = self._facet_cache.get(ck)
        known = cached is not None and cached.total is not None
        counted = tuple(n for n in names if n not in pinned)
        offset = (page - 1) * size
        if not want_facets or known:
            res = searcher.search(tq, size, count=not known, offset=offset)
            return (res.count, res.hits, _NO_FACETS) if not want_facets else (cached.total, res.hits, cached)
        if exact or not self.facet_sample_above:
            # every match counted: in another thread while this one ranks (the engine lets go of the GIL)
            counting = _facet_pool().submit(self._facets, searcher, match(schema), counted)
            res = searcher.search(tq, size, count=True, offset=offset)
            facets = counting.result()
        else:
            res = searcher.search(tq, size, count=True, offset=offset)
            level = sample_level(res.count, self.facet_sample_above)
            if not level:
                facets = self._facets(searcher, match(schema), counted)
            else:
                level = max(level, SAMPLE_INDEX_LEVEL)
                index, sample_schema = sample
                sample_q = match(sample_schema)
                if level > SAMPLE_INDEX_LEVEL:
                    sample_q = tv.Query.boolean_query(
                        [(Occur.Must, sample_q), (Occur.Must, self._filter(sample_schema, "sample", str(level)))])
                facets = self._facets(index.searcher(), sample_q, counted, level=level, total=res.count)
        # a field of one value per record, filtered on, has that value in every match: nothing to count
        facets.raw = {n: facets.raw[n] if n not in pinned else
                      ([{"value": pinned[n], "count": res.count}] if res.count else []) for n in names}
        facets.total = res.count
        self._facet_cache.put(ck, facets, FACET_CACHE_SIZE)
        return res.count, res.hits, facets

    @staticmethod
    def _facets(searcher: tv.Searcher, query: tv.Query, names: tuple[str, ...], level: int = 0,
                total: int | None = None) -> _Facets:
        """Terms aggregations of ``names``; at a sample level, each count scaled up by the sample's share (and
        never above ``total``)."""
        aggs = {n: {"terms": {"field": n, "size": 50}} for n in names}
        res = searcher.aggregate(query, aggs)
        scale = 1 << level
        cap = total if total is not None else float("inf")
        out: dict[str, list[dict]] = {}
        for n in names:
            buckets = res.get(n, {}).get("buckets", [])
            out[n] = [{"value": int(b["key"]) if isinstance(b["key"], float) else b["key"],
                       "count": int(min(int(b["doc_count"]) * scale, cap))} for b in buckets]
        return _Facets(out, sample=1.0 / scale)

    def _common_filters(self, s: tv.Schema, q: DocumentQuery | IndicatorQuery, terms: tuple[str, ...]) -> list[tv.Query]:
        """The exact-term filters named, the province (canonical) and the year range: shared by both collections."""
        out = [self._filter(s, name, getattr(q, name)) for name in terms if getattr(q, name)]
        if q.province:
            out.append(self._filter(s, "province", canonical_province(q.province) or q.province))
        if q.year_from is not None or q.year_to is not None:
            out.append(self._range(s, "year", tv.FieldType.Integer, q.year_from, q.year_to))
        return out

    @staticmethod
    def _pinned(q: DocumentQuery | IndicatorQuery, single: tuple[str, ...]) -> dict[str, object]:
        """The fields of one value per record that a filter fixes, with that value (as indexed)."""
        out: dict[str, object] = {n: getattr(q, n) for n in single if n != "province" and getattr(q, n, None)}
        if q.province and "province" in single:
            out["province"] = canonical_province(q.province) or q.province
        if "year" in single and q.year_from is not None and q.year_from == q.year_to:
            out["year"] = q.year_from
        return out

    def _doc_filters(self, q: DocumentQuery, schema: tv.Schema | None = None) -> list[tv.Query]:
        return self._common_filters(schema or self.doc_schema, q, ("doc_type", "issuer", "metric", "kind", "agency"))

    def _ind_filters(self, q: IndicatorQuery, schema: tv.Schema | None = None) -> list[tv.Query]:
        s = schema or self.ind_schema
        out = self._common_filters(s, q, ("kind", "metric", "agency", "doc_type", "issuer", "doc_id"))
        if q.min_value is not None or q.max_value is not None:
            out.append(self._range(s, "value", tv.FieldType.Float, q.min_value, q.max_value))
        if q.deadline_from is not None or q.deadline_to is not None:
            lo = _dt(q.deadline_from) if q.deadline_from else None
            hi = _dt(q.deadline_to) if q.deadline_to else None
            out.append(self._range(s, "deadline", tv.FieldType.Date, lo, hi))
        return out

    # ------------------------------------------------------------ searching
    def _document_page(self, query: DocumentQuery) -> tuple[int, list[tuple[bytes, float, dict | None]], _Facets]:
        """The page of hits (stored summary JSON, score, highlight) and the facets: what both outputs are built of."""
        parsed = query.parsed()
        text_q = None if parsed.empty else self._text_query(self.doc_schema, parsed, [("text", 1.0), ("title", 2.0)])
        tq = self._combine(text_q, self._doc_filters(query))

        def match(schema: tv.Schema) -> tv.Query:
            return self._combine(None if parsed.empty else self._match_query(schema, parsed, ("text", "title")),
                                 self._doc_filters(query, schema))

        s = self.docs.searcher()
        key = query.model_dump_json(exclude={"page", "size", "highlight"}) if query.facets else ""
        total, found, facets = self._page(s, self.root / f"documents-{SCHEMA_VERSION}", tq, query.size, query.page,
                                          query.facets, key, DOC_FACETS, self._pinned(query, DOC_SINGLE),
                                          self.doc_schema, match, (self.docs_sample, self.doc_sample_schema),
                                          query.exact_facets)
        want_text = query.highlight and not parsed.empty
        hits = []
        for score, addr in found:
            stored = s.doc(addr)
            hl = make_highlight(stored.get_first("text") or "", parsed) if want_text else None
            hits.append((bytes(stored.get_first("meta")), float(score), hl))
        return total, hits, facets

    def search_documents(self, query: DocumentQuery) -> DocumentResults:
        total, page, facets = self._document_page(query)
        hits = []
        for meta, score, hl in page:
            hit = DocumentHit.model_validate_json(meta)
            hit.score, hit.highlight = score, hl
            hits.append(hit)
        return DocumentResults(total=total, page=query.page, size=query.size, hits=hits, facets=facets.models(),
                               facet_sample=facets.sample)

    def _result_key(self, name: str, query: DocumentQuery | IndicatorQuery) -> tuple | None:
        searcher = (self.docs if name == "documents" else self.inds).searcher()
        return self._cache_key(self.root / f"{name}-{SCHEMA_VERSION}", searcher, query.model_dump_json(),
                               RESULT_CACHE_SIZE)

    def _cached_json(self, name: str, query: DocumentQuery | IndicatorQuery, make) -> bytes:
        """The JSON of a search, from the result cache when this index generation answered the same query."""
        ck = self._result_key(name, query)
        hit = self._result_cache.get(ck)
        if hit is not None:
            return hit  # type: ignore[return-value]
        return self._new_json(ck, query, make)

    def _new_json(self, ck: tuple | None, query: DocumentQuery | IndicatorQuery, make) -> bytes:
        out = make(query)
        self._result_cache.put(ck, out, RESULT_CACHE_SIZE)
        return out

    def new_documents_json(self, query: DocumentQuery) -> bytes:
        return self._new_json(self._result_key("documents", query), query, self._documents_json)

    def new_indicators_json(self, query: IndicatorQuery) -> bytes:
        return self._new_json(self._result_key("indicators", query), query, self._indicators_json)

    def cached_documents_json(self, query: DocumentQuery) -> bytes | None:
        return self._result_cache.get(self._result_key("documents", query))  # type: ignore[return-value]

    def cached_indicators_json(self, query: IndicatorQuery) -> bytes | None:
        return self._result_cache.get(self._result_key("indicators", query))  # type: ignore[return-value]

    def search_documents_json(self, query: DocumentQuery) -> bytes:
        """The JSON of :meth:`search_documents`, written from the stored summaries with no model in between
        (cached per index generation)."""
        return self._cached_json("documents", query, self._documents_json)

    def _documents_json(self, query: DocumentQuery) -> bytes:
        total, page, facets = self._document_page(query)
        hits = b",".join(meta[:-1] + b',"score":' + _dumps(score) + b',"highlight":' + _dumps(hl) + b"}"
                         for meta, score, hl in page)
        return _results_json(total, query.page, query.size, hits, facets)

    def _indicator_page(self, query: IndicatorQuery) -> tuple[int, list[bytes], _Facets]:
        parsed = query.parsed()
        text_q = None if parsed.empty else self._text_query(self.ind_schema, parsed,
                                                             [("sentence", 1.0), ("subject", 2.0)])
        tq = self._combine(text_q, self._ind_filters(query))

        def match(schema: tv.Schema) -> tv.Query:
            return self._combine(None if parsed.empty else self._match_query(schema, parsed, ("sentence", "subject")),
                                 self._ind_filters(query, schema))

        s = self.inds.searcher()
        key = query.model_dump_json(exclude={"page", "size"}) if query.facets else ""
        total, found, facets = self._page(s, self.root / f"indicators-{SCHEMA_VERSION}", tq, query.size, query.page,
                                          query.facets, key, IND_FACETS, self._pinned(query, IND_SINGLE),
                                          self.ind_schema, match, (self.inds_sample, self.ind_sample_schema),
                                          query.exact_facets)
        payloads = [bytes(s.doc(a).get_first("payload")) for _sc, a in found]
        return total, payloads, facets

    def search_indicators(self, query: IndicatorQuery) -> IndicatorResults:
        total, payloads, facets = self._indicator_page(query)
        hits = [IndicatorRecord.model_validate_json(p) for p in payloads]
        return IndicatorResults(total=total, page=query.page, size=query.size, hits=hits, facets=facets.models(),
                               facet_sample=facets.sample)

    def search_indicators_json(self, query: IndicatorQuery) -> bytes:
        """The JSON of :meth:`search_indicators`: the stored records (each the JSON of an IndicatorRecord) as is
        (cached per index generation)."""
        return self._cached_json("indicators", query, self._indicators_json)

    def _indicators_json(self, query: IndicatorQuery) -> bytes:
        total, payloads, facets = self._indicator_page(query)
        return _results_json(total, query.page, query.size, b",".join(payloads), facets)


_NO_FACETS = _Facets({})
