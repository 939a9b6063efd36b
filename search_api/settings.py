"""Settings: one pydantic-settings class (``CHITIEU_`` environment variables), read through one cached function."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
# facets of a search matching more records than this are counted over a sample of them. `chitieu bench facets
# --runs 5` (100,000 documents, schema v5: sampled facets counted in the sample indexes; 300 new searches, the median
# of 5 runs): CPU per new search 13.1 ms exact, 9.7 ms above 20,000, 7.6 above 10,000, 7.3 above 5,000, 7.4 above
# 2,000; relative error of the sampled counts of the ten largest buckets (median / p90) 2.3 % / 7.3 % above 20,000,
# 2.6 % / 10.2 % above 10,000, 3.1 % / 14.2 % above 5,000. Counting the facets of up to 20,000 matches cost about
# 2 ms more than of up to 10,000; below 10,000 the saving is under the spread between runs and the error grows.
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
    # whole search responses kept per process, answered again for the same URL while the index is unchanged (0: none)
    response_cache: int = Field(1024, ge=0)


@lru_cache
def get_settings() -> Settings:
    return Settings()
