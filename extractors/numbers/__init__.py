"""Vietnamese numerals, shared by the extractors: written digits and number words.

Digits: ``.`` groups thousands and ``,`` is the decimal mark (``1.200.000``, ``12,676``); a ``.`` followed by one or
two digits is read as a decimal (``1.5``). Words: ``hai mươi mốt nghìn không trăm mười một`` = 21011. The words
themselves are data (``words.yaml``). Values are computed with :class:`decimal.Decimal` so that large integers stay
exact; :func:`to_number` turns them into ``int`` (when integral) or ``float``.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import yaml

_HERE = Path(__file__).resolve().parent
MAX_DIGITS = 24  # longer digit strings are identifiers, not quantities: read as nothing rather than wrongly
DEC = Context(prec=80)


@lru_cache(maxsize=1)
def words() -> dict:
    return yaml.safe_load((_HERE / "words.yaml").read_text(encoding="utf-8"))


def _alt(items) -> str:
    return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))


W = words()
DIGITS: dict[str, int] = W["digits"]
AFTER_TENS: dict[str, int] = W["after_tens"]
TEN: frozenset[str] = frozenset(W["ten"])
TENS: frozenset[str] = frozenset(W["tens"])
HUNDRED: frozenset[str] = frozenset(W["hundred"])
SCALES: dict[str, int] = W["scales"]
JOINERS: frozenset[str] = frozenset(W["zero_joiners"])
NEGATIVE: frozenset[str] = frozenset(W["negative"])
DECIMAL_POINTS: frozenset[str] = frozenset(W["decimal_points"])
DIGIT_SUFFIXES: dict[str, int] = W["digit_suffixes"]
NOT_SCALE_BEFORE: list[str] = W["not_scale_before"]
NOT_AFTER_TENS: frozenset[str] = frozenset(W["not_after_tens"])
INTEGER_SUFFIX_NOT: frozenset[str] = frozenset(W["integer_suffix_not"])

NUMBER_WORDS: frozenset[str] = frozenset(
    [*DIGITS, *AFTER_TENS, *TEN, *TENS, *HUNDRED, *SCALES, *JOINERS])

# --- regex fragments (strings, to be embedded in the extractors' big alternations)
DIGIT_RUN = r"(?:\d[\d.,]*\d|\d|,\d+)"
_NOT_SCALE = r"(?!\s+(?:" + _alt(NOT_SCALE_BEFORE) + r")(?!\w))"
SCALE_WORD = r"(?:" + _alt(SCALES) + r")(?!\w)" + _NOT_SCALE
SCALE_TAIL = r"(?:\s*" + SCALE_WORD + r")+"  # 25.000 tỷ · 43,5 nghìn tỷ
NUMBER_WORD = r"(?:" + _alt(NUMBER_WORDS) + r")(?!\w)" + _NOT_SCALE
WORD_PHRASE = NUMBER_WORD + r"(?:[ \t]+" + NUMBER_WORD + r")*"

_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_PLAIN = re.compile(r"\d+(?:,\d+)?|,\d+")
_DOT_DECIMAL = re.compile(r"\d+\.\d{1,2}")


def parse_digits(s: str) -> Decimal | None:
    """A written number (``4.059``, ``12,676``, ``1.5``, ``,77``) or None if it is not one well-formed number."""
    if sum(c.isdigit() for c in s) > MAX_DIGITS:
        return None
    if _THOUSANDS.fullmatch(s) or _PLAIN.fullmatch(s):
        t = s.replace(".", "").replace(",", ".")
    elif _DOT_DECIMAL.fullmatch(s):
        t = s
    else:
        return None
    if t.startswith("."):
        t = "0" + t
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def scale_of(word: str) -> int:
    return SCALES[word.lower()]


def parse_words(tokens: list[str]) -> tuple[Decimal, int] | None:
    """Read the longest number at the start of ``tokens`` (lower-case words). Returns (value, words used)."""
    total = Decimal(0)
    cur = 0
    last: str | None = None
    last_digit = 0
    last_scale = 0
    used = 0
    for i, w in enumerate(tokens):
        if w in DIGITS:
            if last == "digit" or (last in ("ten", "tens") and w in NOT_AFTER_TENS):
                break
            if last == "hundred" and not (i + 1 < len(tokens) and tokens[i + 1] in TENS):
                break  # hai trăm năm is two hundred years; 205 is hai trăm linh năm
            d = DIGITS[w]
            cur += d
            last, last_digit = "digit", d
        elif w in AFTER_TENS:
            if last == "tens" or (last == "ten" and AFTER_TENS[w] == 5):
                cur += AFTER_TENS[w]
                last, last_digit = "unit", AFTER_TENS[w]
            else:
                break
        elif w in TEN:
            if last in ("digit", "ten", "tens", "unit"):
                break
            cur += 10
            last = "ten"
        elif w in TENS:
            if last == "digit" and last_digit >= 1 and cur % 100 < 10:
                cur += last_digit * 9
            elif last is None and w == "chục":
                cur = 10
            else:
                break
            last = "tens"
        elif w in HUNDRED:
            if last == "digit" and cur == last_digit:
                cur = last_digit * 100
            elif last in (None, "scale") and cur == 0:
                cur = 100
            else:
                break
            last = "hundred"
        elif w in JOINERS:
            if last != "hundred":
                break
            last = "joiner"
            continue  # a joiner never ends a number
        elif w in SCALES:
            s = SCALES[w]
            if last == "joiner":
                break
            if last == "scale" and s > last_scale:
                total = DEC.multiply(total + cur, s)
            else:
                total = DEC.add(total, DEC.multiply(Decimal(cur or 1), s))
            cur = 0
            last, last_scale = "scale", s
        else:
            break
        used = i + 1
    if used == 0:
        return None
    return DEC.add(total, Decimal(cur)), used


def parse_word_phrase(phrase: str) -> Decimal | None:
    """A whole phrase of number words, or None when it is not exactly one number."""
    toks = phrase.lower().split()
    got = parse_words(toks)
    if got is None or got[1] != len(toks):
        return None
    return got[0]


def with_fraction(whole: Decimal, fraction_digits: str) -> Decimal | None:
    """``2`` + ``23`` → 2.23 (spoken decimals: hai phẩy 23, 2 chấm 23)."""
    if not fraction_digits.isdigit():
        return None
    return DEC.add(whole, Decimal("0." + fraction_digits))


def to_number(d: Decimal) -> int | float:
    if d == d.to_integral_value():
        return int(d)
    return float(d)
