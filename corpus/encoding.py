"""Decode the bytes of a text file: Unicode (UTF-8, UTF-16/32 with or without BOM), Windows-1258, and Vietnamese
typed in the legacy TCVN3 (ABC) and VNI font encodings.

The legacy encodings are not told by their bytes: every candidate decoding is scored by how Vietnamese it reads
(syllables that fit the Vietnamese syllable, against characters that no Vietnamese text has) and the best one wins.
The mapping tables and the syllable parts are data (``corpus/legacy/*.json``).
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import charset_normalizer

LEGACY_DIR = Path(__file__).resolve().parent / "legacy"
LEGACY_ENCODINGS = ("tcvn3", "vni")

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_ALLOWED_CONTROL = {"\t", "\n", "\r", "\f", "\v"}
# Non-letters that ordinary Vietnamese text uses; any other non-ASCII non-letter counts as mojibake.
_COMMON_SYMBOLS = set("\u00a0“”‘’–—…•°§€±×÷«»·№")


class DecodeError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Decoded:
    text: str
    encoding: str
    warning: str | None = None  # a short code when the result is a best effort


@lru_cache
def legacy_table(name: str) -> dict[str, str]:
    data = json.loads((LEGACY_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data["map"]


@lru_cache
def _legacy_pattern(name: str) -> re.Pattern[str]:
    keys = sorted(legacy_table(name), key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys))


def decode_legacy(text: str, name: str) -> str:
    """Convert text whose characters are the bytes of a TCVN3/VNI file read as Windows-1252 (the tables' keys
    are all in U+00A0..U+00FF, where Windows-1252 and latin-1 agree), longest match first."""
    table = legacy_table(name)
    return _legacy_pattern(name).sub(lambda m: table[m.group(0)], text)


@lru_cache
def _syllable_re() -> tuple[re.Pattern[str], frozenset[str], frozenset[str]]:
    data = json.loads((LEGACY_DIR / "syllables.json").read_text(encoding="utf-8"))

    def alt(items: list[str]) -> str:
        return "|".join(re.escape(x) for x in sorted(items, key=len, reverse=True))

    pattern = re.compile(f"(?:{alt(data['onsets'])})?(?:{alt(data['nuclei'])})(?:{alt(data['codas'])})?")
    letters = set()
    for part in data["onsets"] + data["nuclei"] + data["codas"]:
        letters.update(part)
    letters.update("abcdefghijklmnopqrstuvwxyzđ")
    return pattern, frozenset(data["tone_marks"]), frozenset(letters)


def _strip_tone(word: str, tones: frozenset[str]) -> tuple[str, int]:
    nfd = unicodedata.normalize("NFD", word)
    kept = [c for c in nfd if c not in tones]
    return unicodedata.normalize("NFC", "".join(kept)), len(nfd) - len(kept)


def vietnamese_score(text: str) -> float:
    """Per token: +1 for a syllable with Vietnamese letters that fits the syllable grammar, -2 for a token with
    non-ASCII letters that does not, -1 for each odd non-ASCII symbol. Normalized by the number of tokens."""
    pattern, tones, _ = _syllable_re()
    text = unicodedata.normalize("NFC", text)
    score = 0.0
    tokens = re.findall(r"[^\W\d_]+", text)
    for token in tokens:
        if token.isascii():
            continue
        bare, n_tones = _strip_tone(token.lower(), tones)
        if n_tones <= 1 and pattern.fullmatch(bare):
            score += 1
        else:
            score -= 2
    odd = sum(1 for c in text if ord(c) > 127 and not c.isalpha() and c not in _COMMON_SYMBOLS
              and not unicodedata.category(c).startswith("Z"))
    score -= odd
    return score / max(1, len(tokens))


def _is_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and chr(b) not in _ALLOWED_CONTROL)
    return controls > max(4, len(sample) // 50)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    for ratio, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if ratio > 0.2:
            try:
                text = data[: len(data) - len(data) % 2].decode(codec)
            except UnicodeDecodeError:
                continue
            if not _is_binary(text.encode("utf-8")):
                return codec
    return None


def _cp1252(data: bytes) -> str:
    """Windows-1252, with the five bytes it leaves undefined read as latin-1."""
    return codecs.charmap_decode(data, "strict", _CP1252)[0]


_CP1252 = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))


def _single_byte_candidates(data: bytes) -> list[tuple[str, str]]:
    out = [("cp1258", data.decode("cp1258", errors="replace")), ("cp1252", _cp1252(data))]
    guess = charset_normalizer.from_bytes(data[:200_000]).best()
    if guess is not None and guess.encoding not in {"cp1258", "latin_1", "iso8859_1"}:
        try:
            out.append((guess.encoding, data.decode(guess.encoding)))
        except (UnicodeDecodeError, LookupError):
            pass
    return out


def _with_legacy(candidates: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = list(candidates)
    for encoding, text in candidates:
        if encoding not in {"cp1252", "utf-8"}:
            continue
        sample = text[:200_000]
        if not any(0xA0 <= ord(c) <= 0xFF for c in sample):
            continue
        if encoding == "utf-8" and any(ord(c) > 0xFF and c.isalpha() for c in sample):
            continue  # real Unicode Vietnamese (ơ, ư, ả, ệ …): legacy bytes read as latin-1 never give these
        for legacy in LEGACY_ENCODINGS:
            label = legacy if encoding == "cp1252" else f"{legacy} (in utf-8)"
            out.append((label, decode_legacy(text, legacy)))
    return out


def _best(candidates: list[tuple[str, str]]) -> tuple[str, str, float]:
    scored = [(vietnamese_score(text[:200_000]), i, enc, text) for i, (enc, text) in enumerate(candidates)]
    # a legacy reading must be clearly better; ties go to the earlier (plainer) candidate
    scored = [(s - (0.1 if enc.startswith(LEGACY_ENCODINGS) else 0.0), i, enc, t) for s, i, enc, t in scored]
    score, _, enc, text = max(scored, key=lambda s: (round(s[0], 6), -s[1]))
    return enc, text, score


def decode_bytes(data: bytes) -> Decoded:
    """Decode a text file's bytes; raises :class:`DecodeError` for empty or binary data."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise DecodeError("empty", "the file is empty (no text)")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):] if codec != "utf-8-sig" else data
            try:
                return Decoded(body.decode(codec), codec.replace("-sig", ""))
            except UnicodeDecodeError:
                return Decoded(body.decode(codec, errors="replace"), codec, "decode_errors")
    codec = _utf16_without_bom(data)
    if codec:
        return Decoded(data[: len(data) - len(data) % 2].decode(codec), codec)
    if _is_binary(data):
        raise DecodeError("binary", "the file holds binary data, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:  # a multi-byte character cut at the end of a capped read
            text = data[: exc.start].decode("utf-8", errors="strict") if exc.start else ""
            candidates = [("utf-8", text)]
        else:
            # a UTF-8 file with a few bad bytes stays UTF-8 (bad bytes replaced, with a warning) when that reads
            # better than any single-byte encoding
            candidates = [("utf-8 (bad bytes replaced)", data.decode("utf-8", errors="replace")),
                          *_single_byte_candidates(data)]
    else:
        candidates = [("utf-8", text)]
    encoding, text, score = _best(_with_legacy(candidates))
    warning = None
    if encoding.startswith("utf-8 (bad"):
        encoding, warning = "utf-8", "decode_errors"
    elif score < 0 and any(ord(c) > 127 for c in text[:200_000]):
        warning = "unknown_encoding"
    return Decoded(text, encoding, warning)
