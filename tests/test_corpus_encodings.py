"""Text files in the encodings Vietnamese documents come in, made from the seed texts, decoded back exactly."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import jsonschema
import pytest
import yaml

from corpus.bundled import DATA_DIR
from corpus.reader import read

from helpers.legacy_encoder import encode_cp1258, encode_tcvn3, encode_vni, tcvn3_can_encode

SEEDS = [next(DATA_DIR.glob("002_*.txt")), next(DATA_DIR.glob("000_*.txt")),
         next(DATA_DIR.glob("NguyenQuocBao97_*00264658.txt"))]
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _seed(path: Path) -> str:
    return read(path).text


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:20])
def test_vni_copy_decodes_exactly(tmp_path: Path, seed: Path) -> None:
    text = _seed(seed)
    path = tmp_path / "vni.txt"
    path.write_bytes(encode_vni(text))
    doc = read(path, segmented=False)
    assert doc.encoding == "vni"
    assert doc.text == text
    assert doc.ok and not doc.errors


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:20])
def test_tcvn3_copy_decodes_exactly(tmp_path: Path, seed: Path) -> None:
    # TCVN3 has no toned capitals (those were typed in a capitals-only font): the copy keeps the lines it can hold
    lines = [ln for ln in _seed(seed).split("\n") if tcvn3_can_encode(ln)]
    text = "\n".join(lines)
    assert len(text) > 1000
    path = tmp_path / "tcvn3.txt"
    path.write_bytes(encode_tcvn3(text))
    doc = read(path, segmented=False)
    assert doc.encoding == "tcvn3"
    assert doc.text == text


def test_encoders_are_not_identity_and_tables_cover_every_letter() -> None:
    letters = "aăâeêioôơuưy"
    tones = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
    every = [unicodedata.normalize("NFC", base + tone) for base in letters for tone in tones] + ["đ"]
    text = " ".join(every) + " " + " ".join(c.upper() for c in every)
    vni = encode_vni(text)
    assert vni != text.encode("utf-8")
    from corpus.encoding import decode_legacy

    assert decode_legacy(vni.decode("latin-1"), "vni") == text
    small = " ".join(every) + " Ă Â Ê Ô Ơ Ư Đ"
    assert decode_legacy(encode_tcvn3(small).decode("latin-1"), "tcvn3") == small


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "cp1258"])
def test_unicode_and_windows_1258_copies(tmp_path: Path, codec: str) -> None:
    text = _seed(SEEDS[0])
    data = encode_cp1258(text) if codec == "cp1258" else text.encode(codec)
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(data)
    doc = read(path, segmented=False)
    assert doc.text == text, codec
    assert doc.ok
    if codec == "cp1258":
        assert doc.encoding == "cp1258"


def test_vni_mojibake_saved_as_utf8_is_repaired(tmp_path: Path) -> None:
    text = _seed(SEEDS[2])
    path = tmp_path / "mojibake.txt"
    path.write_text(encode_vni(text).decode("cp1252", errors="strict"), encoding="utf-8")
    doc = read(path, segmented=False)
    assert doc.text == text
    assert doc.encoding.startswith("vni")


def test_plain_utf8_is_left_alone(tmp_path: Path) -> None:
    text = "Giá trị sản xuất tăng 12,5% so với cùng kỳ; © 2024 Cổng thông tin — “Sở Y tế”."
    path = tmp_path / "plain.txt"
    path.write_text(text, encoding="utf-8")
    doc = read(path)
    assert doc.text == text and doc.encoding == "utf-8"


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_legacy_tables_match_schema(name: str) -> None:
    schema = json.loads((CORPUS / "legacy" / "legacy.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads((CORPUS / "legacy" / f"{name}.json").read_text(encoding="utf-8")), schema)


@pytest.mark.parametrize("data", ["legacy/syllables.json", "metadata_patterns.yaml", "section_patterns.yaml",
                                  "html_furniture.yaml"])
def test_corpus_data_files_match_schema(data: str) -> None:
    path = CORPUS / data
    schema_path = path.with_name(path.name.rsplit(".", 1)[0] + ".schema.json")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    loaded = json.loads(path.read_text(encoding="utf-8")) if path.suffix == ".json" else yaml.safe_load(
        path.read_text(encoding="utf-8"))
    jsonschema.validate(loaded, schema)
