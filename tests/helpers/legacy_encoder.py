"""Encoders to the legacy Vietnamese font encodings, written from the Unicode decomposition of each letter
(base letter + vowel modifier + tone) and the published code charts — independently of the decoding tables in
corpus/legacy/, so a round trip through both checks the tables."""

from __future__ import annotations

import unicodedata

TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # none, huyền, hỏi, ngã, sắc, nặng
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"


def _split(ch: str) -> tuple[str, str, str]:
    """'ộ' -> ('o', '\u0302', '\u0323'): base, vowel modifier, tone."""
    nfd = unicodedata.normalize("NFD", ch)
    base, rest = nfd[0], nfd[1:]
    modifier = "".join(c for c in rest if c in (CIRCUMFLEX, BREVE, HORN))
    tone = "".join(c for c in rest if c in TONES[1:])
    if len(modifier) + len(tone) != len(rest):
        raise ValueError(f"not a Vietnamese letter: {ch!r}")
    return base, modifier, tone


# ---------------------------------------------------------------- TCVN3 (ABC)
# The TCVN 5712:1993 VN3 chart: for each lowercase vowel, the bytes of its tones in the order huyền, hỏi, ngã, sắc, nặng.
_TCVN3_TONED = {
    "a": "B5 B6 B7 B8 B9", "ă": "BB BC BD BE C6", "â": "C7 C8 C9 CA CB", "e": "CC CE CF D0 D1",
    "ê": "D2 D3 D4 D5 D6", "i": "D7 D8 DC DD DE", "o": "DF E1 E2 E3 E4", "ô": "E5 E6 E7 E8 E9",
    "ơ": "EA EB EC ED EE", "u": "EF F1 F2 F3 F4", "ư": "F5 F6 F7 F8 F9", "y": "FA FB FC FD FE",
}
# The untoned modified letters: capitals A1..A7 then small A8..AE in the order ă â ê ô ơ ư đ.
_TCVN3_PLAIN = "ăâêôơưđ"


def _other(ch: str) -> int | None:
    """A non-letter outside ASCII (quotes, dashes, no-break space) is written as in Windows-1252."""
    if ch.isalpha():
        return None
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return None


def tcvn3_byte(ch: str) -> int | None:
    if ch.isascii():
        return ord(ch)
    if not ch.isalpha():
        return _other(ch)
    lower = ch.lower()
    if lower in _TCVN3_PLAIN:
        return (0xA1 if ch != lower else 0xA8) + _TCVN3_PLAIN.index(lower)
    base, modifier, tone = _split(ch)
    if ch != lower:
        return None  # toned capitals are not in the chart
    letter = unicodedata.normalize("NFC", base + modifier)
    if letter not in _TCVN3_TONED or not tone:
        return None
    return int(_TCVN3_TONED[letter].split()[TONES.index(tone) - 1], 16)


def tcvn3_can_encode(text: str) -> bool:
    return all(tcvn3_byte(c) is not None for c in unicodedata.normalize("NFC", text))


def encode_tcvn3(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        b = tcvn3_byte(ch)
        if b is None:
            raise ValueError(f"TCVN3 has no code for {ch!r}")
        out.append(b)
    return bytes(out)


# ---------------------------------------------------------------- VNI Windows
# A letter is its ASCII base followed by one mark byte; capitals take the capital form of the mark.
_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRCUMFLEX = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
# Letters VNI writes as one byte: horned o/u (as base), đ, the toned i's and ỵ.
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î"}


def _vni_char(ch: str) -> str:
    if ch.isascii():
        return ch
    if not ch.isalpha():
        code = _other(ch)
        if code is None:
            raise ValueError(f"VNI has no code for {ch!r}")
        return bytes([code]).decode("latin-1")
    upper = ch != ch.lower()
    lower = ch.lower()
    fix = str.upper if upper else (lambda s: s)
    if lower in _VNI_SINGLE:
        return fix(_VNI_SINGLE[lower])
    base, modifier, tone = _split(lower)
    if modifier == HORN:
        return fix(_VNI_SINGLE[unicodedata.normalize("NFC", base + HORN)] + (_VNI_TONE[tone] if tone else ""))
    if modifier == CIRCUMFLEX:
        return fix(base + _VNI_CIRCUMFLEX[tone])
    if modifier == BREVE:
        return fix(base + _VNI_BREVE[tone])
    if modifier == "" and tone:
        return fix(base + _VNI_TONE[tone])
    raise ValueError(f"VNI has no code for {ch!r}")


def encode_vni(text: str) -> bytes:
    return "".join(_vni_char(c) for c in unicodedata.normalize("NFC", text)).encode("latin-1")


# ---------------------------------------------------------------- Windows-1258
def encode_cp1258(text: str) -> bytes:
    """Windows-1258 has the modified letters (â ă ê ô ơ ư đ) precomposed and the tones as combining marks."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii() or not ch.isalpha():
            out.append(ch)
            continue
        base, modifier, tone = _split(ch)
        out.append(unicodedata.normalize("NFC", base + modifier) + tone)
    return "".join(out).encode("cp1258")
