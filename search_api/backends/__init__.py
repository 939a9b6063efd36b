"""Search backends behind one interface: tantivy (embedded default) and Elasticsearch."""

from __future__ import annotations

from search_api.backends.base import SearchBackend
from search_api.settings import Settings


def make_backend(settings: Settings, backend: str | None = None, es_url: str | None = None,
                 index_dir: str | None = None) -> SearchBackend:
    """The backend the settings (or the explicit arguments) name, set up and ready."""
    kind = backend or settings.backend
    if kind == "elasticsearch":
        from search_api.backends.es_backend import ElasticsearchBackend

        url = es_url or settings.es_url
        if not url:
            raise ValueError("the Elasticsearch backend needs a URL (--es-url or CHITIEU_ES_URL)")
        return ElasticsearchBackend(url, prefix=settings.es_index_prefix)
    from search_api.backends.tantivy_backend import TantivyBackend

    return TantivyBackend(index_dir or settings.index_dir, facet_sample_above=settings.facet_sample_above)


__all__ = ["SearchBackend", "make_backend"]
