"""Header metadata of the five seed documents against their hand-made gold (corpus/gold/*.json)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from corpus.bundled import DATA_DIR
from corpus.gold import document_path, load_gold
from corpus.metadata import extract_metadata
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


def test_news_publication_line_gives_the_published_date() -> None:
    doc = read(next(DATA_DIR.glob("004_*.txt")))   # opens with "Tuesday, July 21, 2020, 10:13:21 AM"
    assert doc.metadata.published_date == "2020-07-21"


def test_headless_documents_issuer_and_province_against_gold() -> None:
    """Documents without their header (the multiclass corpus): issuer and province from the body's own
    directions and the province it names, over every gold document."""
    right = total = 0
    misses = []
    for gold in load_gold():
        got = read(document_path(gold)).metadata
        for field in ("issuer", "province", "doc_type"):
            if gold.metadata.get(field):
                total += 1
                ok = _norm(getattr(got, field)) == _norm(gold.metadata[field])
                right += ok
                if not ok:
                    misses.append((document_path(gold).name, field, getattr(got, field)))
    assert total >= 40 and right / total >= 0.9, misses


_EXAMPLES = yaml.safe_load((Path(__file__).resolve().parents[1] / "corpus" / "metadata_examples.yaml")
                           .read_text(encoding="utf-8"))["examples"]


@pytest.mark.parametrize("case", _EXAMPLES, ids=[f"{i}-{c['text'][:30]}" for i, c in enumerate(_EXAMPLES)])
def test_metadata_example(case: dict) -> None:
    meta = extract_metadata(case["text"])
    got = {k: getattr(meta, k) for k in case["expect"]}
    assert got == case["expect"]
