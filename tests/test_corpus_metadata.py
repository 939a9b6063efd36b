"""Header metadata of the five seed documents against their hand-made gold (corpus/gold/*.json)."""

from __future__ import annotations

import pytest

from corpus.bundled import DATA_DIR
from corpus.gold import document_path, load_gold
from corpus.normalize import normalize_text
from corpus.reader import read

FIELDS = ("number", "doc_type", "title", "issuer", "place", "issued_date", "effective_date", "signer", "province",
          "field", "author", "published_date")
SEEDS = [g for g in load_gold() if document_path(g).name[:3].isdigit()]


def _norm(value: object) -> str:
    return " ".join(normalize_text(str(value)).split()).casefold()


def test_five_seed_documents_have_gold() -> None:
    assert len(SEEDS) == 5
    assert all(document_path(g).parent == DATA_DIR for g in SEEDS)


@pytest.mark.parametrize("gold", SEEDS, ids=lambda g: document_path(g).name[:3])
def test_seed_metadata_matches_gold(gold) -> None:
    got = read(document_path(gold)).metadata.model_dump(mode="json")
    want = gold.metadata if isinstance(gold.metadata, dict) else gold.metadata.model_dump(mode="json")
    checked = 0
    for field in FIELDS:
        if want.get(field) in (None, "", []):
            continue
        assert _norm(got.get(field)) == _norm(want[field]), f"{field}: {got.get(field)!r} != {want[field]!r}"
        checked += 1
    assert checked >= 1
