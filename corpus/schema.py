"""Export the JSON Schema of the output contract (one Document) to ``corpus/document.schema.json``.

Run ``python -m corpus.schema`` after changing corpus/model.py; a test checks the file is current.
"""

from __future__ import annotations

import json
from pathlib import Path

from corpus.model import Document

SCHEMA_PATH = Path(__file__).resolve().parent / "document.schema.json"


def document_schema() -> dict:
    return Document.model_json_schema(mode="serialization")


def render() -> str:
    return json.dumps(document_schema(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
