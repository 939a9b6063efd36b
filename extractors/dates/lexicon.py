"""The dates lexicon (lexicon.yaml), loaded once, NFC-normalized, with helpers that turn word lists into regexes."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PATH = Path(__file__).with_name("lexicon.yaml")


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {_nfc(str(k)): _nfc(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    return _nfc(yaml.safe_load(PATH.read_text(encoding="utf-8")))


def words(items) -> str:
    """An alternation of words or phrases, longest first; a space in a phrase matches any run of white space."""
    phrases = sorted({str(w).strip() for w in items if str(w).strip()}, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in phrases) + ")"


def key(text: str) -> str:
    """The lookup key of a matched phrase: lower case, single spaces."""
    return " ".join(text.lower().split())
