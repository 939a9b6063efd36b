"""Settings: one pydantic-settings class (``CHITIEU_`` environment variables), read through one cached function."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
# facets of a search matching more records than this are counted over a sample of them: with 10,000, a new search
# at 100,000 documents cost 8.4 ms of CPU against 10.2 ms with 20,000 and 12.8 ms exact, and the sampled counts
# of the ten largest buckets were off by 2.2% (median; 8.8% at the 90th percentile) (`chitieu bench facets`)
FACET_SAMPLE_ABOVE = 10_000


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHITIEU_", extra="ignore")

    backend: Literal["tantivy", "elasticsearch"] = "tantivy"
    index_dir: Path = REPO_ROOT / "var" / "index"
    es_url: str | None = None
    es_index_prefix: str = "chitieu"
    api_key: str | None = None
    upload_max_bytes: int = 20 * 1024 * 1024
    max_page_size: int = 100
    max_query_chars: int = 1000
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    # threads per worker for searches not answered from the cache (0: on the event loop, as the cached ones);
    # unset: the backend's own choice (tantivy searches on the loop; Elasticsearch, waiting on the network, in 16)
    search_threads: int | None = Field(None, ge=0, le=64)
    # a search matching more records than this counts its facets over a random sample of about this many (the
    # response's facet_sample says so; exact_facets=true asks for every match); 0: always every match
    facet_sample_above: int = Field(FACET_SAMPLE_ABOVE, ge=0)


@lru_cache
def get_settings() -> Settings:
    return Settings()
