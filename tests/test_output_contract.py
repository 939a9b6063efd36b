"""The output contract of DESIGN.md: `chitieu extract --format jsonl` validates against the exported schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema

from corpus.bundled import DATA_DIR
from corpus.schema import SCHEMA_PATH, render

ROOT = Path(__file__).resolve().parents[1]
CHITIEU = [sys.executable, "-m", "search_api.cli"]


def test_schema_file_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render(), "run `python -m corpus.schema`"


def test_extract_jsonl_validates_and_goes_on_after_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    seeds = sorted(DATA_DIR.glob("00*.txt"))[:3]
    out = subprocess.run([*CHITIEU, "extract", str(seeds[0]), str(bad), *map(str, seeds[1:]), "--format", "jsonl"],
                         capture_output=True, text=True, cwd=ROOT, env={**os.environ}, timeout=600)
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert len(lines) == 4
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    for obj in lines:
        jsonschema.validate(obj, schema)
        for m in obj["mentions"]:
            assert obj["text"][m["start"]:m["end"]] == m["text"]
        for ind in obj["indicators"]:
            assert obj["text"][ind["start"]:ind["end"]] == ind["text"]
    assert lines[1]["errors"], "the unreadable file carries its error"
    assert lines[1]["source"].endswith("broken.pdf")
    for good in (lines[0], lines[2], lines[3]):
        assert good["text"], "good files are read"
        assert not [e for e in good["errors"] if e["severity"] == "error"], good["errors"]
