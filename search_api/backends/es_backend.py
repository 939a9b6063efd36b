"""The Elasticsearch engine: the official client, mappings defined here, versioned indexes behind aliases.

``chitieu-documents`` → ``chitieu-documents-v1`` and ``chitieu-indicators`` → ``chitieu-indicators-v1``. The analysis
chain needs no plugin: words are cut on anything not a letter or digit (as the tantivy backend does), lowercased,
and every text field has an ASCII-folded sub-field (``.folded``). Setup is idempotent; loading goes through
``helpers.bulk``; documents are upserted by id and their indicators replaced.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch.exceptions import BadRequestError

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
from search_api.textutil import ParsedQuery

VERSION = "v1"

ANALYSIS = {
    "tokenizer": {"vi_words": {"type": "pattern", "pattern": "[^\\p{L}\\p{N}]+"}},
    "analyzer": {
        "vi_text": {"type": "custom", "tokenizer": "vi_words", "filter": ["lowercase"]},
        "vi_folded": {"type": "custom", "tokenizer": "vi_words", "filter": ["lowercase", "asciifolding"]},
    },
}
KW = {"type": "keyword"}
TEXT = {"type": "text", "analyzer": "vi_text", "fields": {"folded": {"type": "text", "analyzer": "vi_folded"}}}
STORED_ONLY = {"type": "keyword", "index": False, "doc_values": False}

DOC_MAPPING = {"dynamic": "strict", "properties": {
    "id": KW, "text": TEXT, "title": TEXT, "number_key": KW, "doc_type": KW, "issuer": KW, "province": KW,
    "metric": KW, "kind": KW, "agency": KW, "cites": KW, "year": {"type": "integer"}, "issued": {"type": "date"},
    "meta": STORED_ONLY, "body": STORED_ONLY}}
IND_MAPPING = {"dynamic": "strict", "properties": {
    "id": KW, "doc_id": KW, "kind": KW, "metric": KW, "unit": KW, "province": KW, "agency": KW, "doc_type": KW,
    "issuer": KW, "subject": TEXT, "sentence": TEXT, "value": {"type": "double"}, "deadline": {"type": "date"},
    "deadline_year": {"type": "integer"}, "year": {"type": "integer"}, "payload": STORED_ONLY}}


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, prefix: str = "chitieu", client: Elasticsearch | None = None) -> None:
        self.url = url
        self.es = client or Elasticsearch(url, request_timeout=60)
        self.docs_alias, self.inds_alias = f"{prefix}-documents", f"{prefix}-indicators"
        self.docs_index, self.inds_index = f"{self.docs_alias}-{VERSION}", f"{self.inds_alias}-{VERSION}"
        self.ensure_setup()

    # ------------------------------------------------------------ setup
    def ensure_setup(self) -> None:
        for index, alias, mapping in ((self.docs_index, self.docs_alias, DOC_MAPPING),
                                      (self.inds_index, self.inds_alias, IND_MAPPING)):
            if not self.es.indices.exists(index=index):
                try:
                    self.es.indices.create(index=index, settings={"analysis": ANALYSIS}, mappings=mapping,
                                           aliases={alias: {}})
                except BadRequestError as exc:  # created meanwhile by another process
                    if "resource_already_exists" not in str(exc):
                        raise
            if not self.es.indices.exists_alias(name=alias, index=index):
                self.es.indices.put_alias(index=index, name=alias)

    def drop_all(self) -> None:
        """Delete this backend's indexes (tests)."""
        self.es.indices.delete(index=[self.docs_index, self.inds_index], ignore_unavailable=True)

    # ------------------------------------------------------------ writing
    def _doc_source(self, doc: Document) -> dict:
        m = doc.metadata
        issued = parse_iso(doc_date(m))
        return {"id": doc.id, "text": doc.text, "title": m.title, "number_key": number_key(m.number),
                "doc_type": m.doc_type, "issuer": m.issuer, "province": doc_province(doc),
                "metric": sorted({i.metric for i in doc.indicators}), "kind": sorted({i.kind for i in doc.indicators}),
                "agency": agencies_of(doc), "cites": cited_keys(doc), "year": issued.year if issued else None,
                "issued": issued.isoformat() if issued else None,
                "meta": summary_of(doc).model_dump_json(exclude_none=True),
                "body": doc.model_dump_json(exclude={"text"})}

    @staticmethod
    def _ind_source(rec: IndicatorRecord) -> dict:
        ind = rec.indicator
        deadline = parse_iso(rec.deadline)
        return {"id": rec.id, "doc_id": rec.doc_id, "kind": ind.kind, "metric": ind.metric, "unit": ind.unit,
                "province": rec.province, "agency": sorted({a.canonical for a in ind.agencies}),
                "doc_type": rec.document.doc_type, "issuer": rec.document.issuer, "subject": ind.subject,
                "sentence": ind.sentence, "value": float(ind.value) if ind.value is not None else None,
                "deadline": deadline.isoformat() if deadline else None,
                "deadline_year": deadline.year if deadline else None, "year": year_of(rec.document.issued_date),
                "payload": rec.model_dump_json()}

    def index_documents(self, docs: Iterable[Document], chunk: int = 500) -> int:
        n = 0
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= chunk:
                n += self._write(batch)
                batch = []
        if batch:
            n += self._write(batch)
        self.es.indices.refresh(index=[self.docs_alias, self.inds_alias])
        return n

    def _write(self, docs: list[Document]) -> int:
        ids = [d.id for d in docs]
        self.es.delete_by_query(index=self.inds_alias, query={"terms": {"doc_id": ids}}, refresh=True,
                                conflicts="proceed")
        actions: list[dict] = []
        for doc in docs:
            actions.append({"_op_type": "index", "_index": self.docs_alias, "_id": doc.id, "_source": self._doc_source(doc)})
            actions.extend({"_op_type": "index", "_index": self.inds_alias, "_id": rec.id,
                            "_source": self._ind_source(rec)} for rec in indicator_records(doc))
        helpers.bulk(self.es, actions, chunk_size=1000, request_timeout=120)
        return len(docs)

    def delete_document(self, doc_id: str) -> bool:
        try:
            self.es.delete(index=self.docs_alias, id=doc_id, refresh=True)
        except NotFoundError:
            return False
        self.es.delete_by_query(index=self.inds_alias, query={"term": {"doc_id": doc_id}}, refresh=True,
                                conflicts="proceed")
        return True

    # ------------------------------------------------------------ reading
    def get_document(self, doc_id: str) -> Document | None:
        try:
            src = self.es.get(index=self.docs_alias, id=doc_id, source_includes=["text", "body"])["_source"]
        except NotFoundError:
            return None
        data = json.loads(src["body"])
        data["text"] = src.get("text") or ""
        return Document.model_validate(data)

    def count(self) -> dict[str, int]:
        return {"documents": int(self.es.count(index=self.docs_alias)["count"]),
                "indicators": int(self.es.count(index=self.inds_alias)["count"])}

    def _summaries(self, query: dict, limit: int) -> list[DocumentSummary]:
        res = self.es.search(index=self.docs_alias, query=query, size=limit, source_includes=["meta"])
        return [DocumentSummary.model_validate_json(h["_source"]["meta"]) for h in res["hits"]["hits"]]

    def find_by_number(self, number: str, limit: int = 10) -> list[DocumentSummary]:
        key = number_key(number)
        return self._summaries({"term": {"number_key": key}}, limit) if key else []

    def citing(self, number: str, limit: int = 50) -> list[DocumentSummary]:
        key = number_key(number)
        return self._summaries({"term": {"cites": key}}, limit) if key else []

    # ------------------------------------------------------------ query building
    @staticmethod
    def _text_query(parsed: ParsedQuery, fields: list[tuple[str, float]]) -> list[dict]:
        """One required clause per word or phrase: exact field boosted, folded sub-field, plus a proximity boost."""
        musts = []
        for clause in parsed.clauses:
            phrase = " ".join(clause.words)
            should = []
            for name, boost in fields:
                should.append({"match_phrase": {name: {"query": phrase, "boost": boost * 2}}})
                should.append({"match_phrase": {f"{name}.folded": {"query": phrase, "boost": boost}}})
            musts.append({"bool": {"should": should, "minimum_should_match": 1}})
        return musts

    @staticmethod
    def _proximity(parsed: ParsedQuery, field: str) -> list[dict]:
        singles = [c.words[0] for c in parsed.clauses if not c.is_phrase and not c.quoted]
        if len(singles) < 2:
            return []
        words = " ".join(singles)
        return [{"match_phrase": {field: {"query": words, "slop": 1, "boost": 3.0}}},
                {"match_phrase": {f"{field}.folded": {"query": words, "slop": 1, "boost": 1.5}}}]

    @staticmethod
    def _range(field: str, lo: object, hi: object) -> dict:
        r = {}
        if lo is not None:
            r["gte"] = lo.isoformat() if hasattr(lo, "isoformat") else lo
        if hi is not None:
            r["lte"] = hi.isoformat() if hasattr(hi, "isoformat") else hi
        return {"range": {field: r}}

    @staticmethod
    def _aggs(names: tuple[str, ...]) -> dict:
        return {n: {"terms": {"field": n, "size": 50}} for n in names}

    @staticmethod
    def _facets(res: dict, names: tuple[str, ...]) -> dict[str, list[FacetCount]]:
        aggs = res.get("aggregations", {})
        return {n: [FacetCount(value=b["key"], count=b["doc_count"]) for b in aggs.get(n, {}).get("buckets", [])]
                for n in names}

    def _doc_filters(self, q: DocumentQuery) -> list[dict]:
        out = [{"term": {n: getattr(q, n)}} for n in ("doc_type", "issuer", "metric", "kind", "agency")
               if getattr(q, n)]
        if q.province:
            out.append({"term": {"province": canonical_province(q.province) or q.province}})
        if q.year_from is not None or q.year_to is not None:
            out.append(self._range("year", q.year_from, q.year_to))
        return out

    def _ind_filters(self, q: IndicatorQuery) -> list[dict]:
        out = [{"term": {n: getattr(q, n)}} for n in ("kind", "metric", "agency", "doc_type", "issuer", "doc_id")
               if getattr(q, n)]
        if q.province:
            out.append({"term": {"province": canonical_province(q.province) or q.province}})
        if q.year_from is not None or q.year_to is not None:
            out.append(self._range("year", q.year_from, q.year_to))
        if q.min_value is not None or q.max_value is not None:
            out.append(self._range("value", q.min_value, q.max_value))
        if q.deadline_from is not None or q.deadline_to is not None:
            out.append(self._range("deadline", q.deadline_from, q.deadline_to))
        return out

    def _ind_query(self, query: IndicatorQuery) -> dict:
        parsed = query.parsed()
        musts = self._text_query(parsed, [("sentence", 1.0), ("subject", 2.0)]) if not parsed.empty else []
        return {"bool": {"must": musts or [{"match_all": {}}], "should": self._proximity(parsed, "subject"),
                         "filter": self._ind_filters(query)}}

    # ------------------------------------------------------------ searching
    def search_documents(self, query: DocumentQuery) -> DocumentResults:
        parsed = query.parsed()
        musts = self._text_query(parsed, [("text", 1.0), ("title", 2.0)]) if not parsed.empty else []
        body = {"bool": {"must": musts or [{"match_all": {}}], "should": self._proximity(parsed, "text"),
                         "filter": self._doc_filters(query)}}
        want_text = query.highlight and not parsed.empty
        res = self.es.search(index=self.docs_alias, query=body, size=query.size,
                             from_=(query.page - 1) * query.size, track_total_hits=True,
                             source_includes=["meta", "text"] if want_text else ["meta"],
                             aggs=self._aggs(DOC_FACETS) if query.facets else None)
        hits = []
        for h in res["hits"]["hits"]:
            hit = DocumentHit.model_validate_json(h["_source"]["meta"])
            hit.score = float(h.get("_score") or 0.0)
            if want_text:
                hit.highlight = make_highlight(h["_source"].get("text", ""), parsed)
            hits.append(hit)
        return DocumentResults(total=res["hits"]["total"]["value"], page=query.page, size=query.size, hits=hits,
                               facets=self._facets(res, DOC_FACETS) if query.facets else {})

    def search_indicators(self, query: IndicatorQuery) -> IndicatorResults:
        res = self.es.search(index=self.inds_alias, query=self._ind_query(query), size=query.size,
                             from_=(query.page - 1) * query.size, track_total_hits=True,
                             source_includes=["payload"], sort=["_score", {"id": "asc"}],
                             aggs=self._aggs(IND_FACETS) if query.facets else None)
        hits = [IndicatorRecord.model_validate_json(h["_source"]["payload"]) for h in res["hits"]["hits"]]
        return IndicatorResults(total=res["hits"]["total"]["value"], page=query.page, size=query.size, hits=hits,
                                facets=self._facets(res, IND_FACETS) if query.facets else {})

    def iter_indicators(self, query: IndicatorQuery, batch: int = 500) -> Iterator[IndicatorRecord]:
        """Every match, through the scroll helper (no 10,000-hit window)."""
        for h in helpers.scan(self.es, index=self.inds_alias, query={"query": self._ind_query(query)},
                              size=batch, source_includes=["payload"], preserve_order=False):
            yield IndicatorRecord.model_validate_json(h["_source"]["payload"])

    def close(self) -> None:
        self.es.close()
