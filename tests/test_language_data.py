"""Language knowledge is data: every data file under extractors/ and models/ validates against its schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA_FILES = sorted(
    p for d in ("extractors", "models") for p in (ROOT / d).rglob("*.yaml") if p.name != "examples.yaml"
)


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_data_file_matches_schema(path: Path) -> None:
    schema_path = path.with_suffix(".schema.json")
    assert schema_path.exists(), f"{path.name} has no schema beside it ({schema_path.name})"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
