"""The gold set: hand-made annotations in the format of ``corpus/gold/README.md``."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from corpus.bundled import DATA_DIR, GOLD_DIR


class _Gold(BaseModel):
    model_config = ConfigDict(extra="allow")


class GoldIndicator(_Gold):
    text: str
    value: float | int | None = None
    denominator: float | int | None = None
    unit: str | None = None
    comparator: str | None = None
    value_max: float | int | None = None
    kind: str | None = None
    subject: str | None = None
    period_end: str | None = None
    period: str | None = None
    location: str | None = None
    agencies: list[str] = Field(default_factory=list)


class GoldDate(_Gold):
    text: str
    start: str | None = None
    end: str | None = None
    grain: str | None = None


class GoldReference(_Gold):
    text: str
    number: str
    doc_type: str | None = None
    date: str | None = None
    issuer: str | None = None


class GoldAgency(_Gold):
    name: str
    canonical: str
    role: str | None = None


class GoldLocation(_Gold):
    name: str
    level: str | None = None
    province: str | None = None


class GoldDocument(_Gold):
    file: str
    metadata: dict = Field(default_factory=dict)
    indicators: list[GoldIndicator] = Field(default_factory=list)
    dates: list[GoldDate] = Field(default_factory=list)
    references: list[GoldReference] = Field(default_factory=list)
    agencies: list[GoldAgency] = Field(default_factory=list)
    locations: list[GoldLocation] = Field(default_factory=list)


def load_gold(gold_dir: Path | None = None) -> list[GoldDocument]:
    gold_dir = gold_dir or GOLD_DIR
    return [GoldDocument.model_validate(json.loads(p.read_text(encoding="utf-8")))
            for p in sorted(gold_dir.glob("*.json"))]


def document_path(gold: GoldDocument, data_dir: Path | None = None) -> Path:
    return (data_dir or DATA_DIR) / gold.file
