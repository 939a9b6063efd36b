"""The grammar of Vietnamese document symbols (số ký hiệu) and of the words around them, compiled from symbols.yaml.

``310/KH-UBND`` · ``14-NQ/TU`` · ``163/2024/QH15`` · ``341/TTr-CAT-PV11`` · ``117/2007/TTLT / BTC-BLĐTBXH``
· ``Đề án số 318``.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from extractors.agencies.gazetteer import LOWER, UPPER

DATA: dict = yaml.safe_load((Path(__file__).resolve().parent / "symbols.yaml").read_text(encoding="utf-8"))

_L = f"{UPPER}{LOWER}"
_SP = r"[ \t]+"


def _words(ws: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", _SP) for w in sorted(set(ws), key=len, reverse=True))


TYPE_BY_WORD: dict[str, str] = {}
TYPE_BY_ABBR: dict[str, str] = {}
TYPE_BY_CODE: dict[str, str] = {}
for _t in DATA["doc_types"]:
    for _w in _t["words"]:
        TYPE_BY_WORD[re.sub(r"\s+", " ", _w).casefold()] = _t["name"]
    for _a in _t.get("abbreviations", []):
        TYPE_BY_ABBR[_a] = _t["name"]
    for _c in _t["codes"]:
        TYPE_BY_CODE[_c.upper()] = _t["name"]
BARE_WITHOUT_SO = set(DATA["bare_without_so"])
GENERIC = {w.casefold() for w in DATA["generic_words"]}
ISSUER_CODES: list[tuple[re.Pattern, str, bool]] = [
    (re.compile(rf"(?:{d['code']})"), d["issuer"], bool(d.get("local", False))) for d in DATA["issuer_codes"]
]
KNOWN_CODES = set(TYPE_BY_CODE) | {"UBND", "UB", "HĐND", "LT", "TU", "TW", "HU", "CP", "TTG"}

_NUM = r"(?<![\w.,/\-])(?<!\d:)\d{1,6}"  # not the year of a standard: QCVN 01-1:2018/BYT
_CW = rf"[{_L}][{_L}0-9&]*"
_CAP = rf"[{UPPER}](?:[{UPPER}0-9&]{{1,11}}|[{UPPER}0-9&]{{0,10}}[{LOWER}])"
# "30/TTr. SXD": an upper-case code after a dot, when the symbol plainly ends after it
_DOTTED = (rf"\.[ \t]?[{UPPER}][{UPPER}0-9&]{{1,11}}(?:[-/]{_CW})*(?![{_L}0-9])"
           rf"(?=[ \t]*(?:[,;:.)\]\n]|\Z|(?i:{_words(DATA['after_dotted_code'])})(?![{_L}])))")
SYMBOL = re.compile(
    rf"(?P<num>{_NUM})(?P<sep>/(?:\d{{4}}/)?|-)"
    rf"(?P<code>{_CW}(?:[-/]{_CW}|[ \t]?[-/][ \t]?{_CAP}(?![{_L}])|{_DOTTED})*)(?![{_L}0-9])"
)
_DOC_WORDS = _words([w for t in DATA["doc_types"] for w in t["words"]] + DATA["generic_words"])
_ABBRS = _words([a for t in DATA["doc_types"] for a in t.get("abbreviations", [])])
_FILLERS = _words(DATA["fillers"])
_TYPE_WORDS = _words([w for t in DATA["doc_types"] for w in t["words"]])
# "Luật Phòng, chống ma túy số 73/2021/QH14": up to ten words of a name, none of them "số" or a capitalized type word
_NAME_WORD = rf"(?!(?i:số)(?![{_L}])|(?:{_TYPE_WORDS})(?![{_L}]))[{_L}0-9]+,?"
PREFIX = re.compile(
    rf"(?<![{_L}])(?:(?P<named>(?i:{_words(DATA['named_types'])})(?:{_SP}{_NAME_WORD}){{1,10}}{_SP}(?i:số))"
    rf"|(?:(?P<word>(?i:{_DOC_WORDS}))|(?P<abbr>{_ABBRS}))"
    rf"(?:(?:{_SP}(?i:{_FILLERS}))?(?:{_SP}(?P<so>(?i:số)))?|(?:{_SP}[{LOWER}]+){{1,2}}{_SP}(?P<so2>(?i:số))))"
    rf"[ \t]*:?[ \t]*\Z"
)
NAMED_TYPE = re.compile(rf"(?i:{_words(DATA['named_types'])})(?![{_L}])")
# the document's own number on its header line: "Luật số: 91/2015/QH13", "Bộ luật số: 45/2019/QH14"
OWN_HEADER = re.compile(rf"[ \t]*(?:(?i:{_TYPE_WORDS}){_SP})?(?i:số|số hiệu|số ký hiệu)[ \t]*:[ \t]*\Z")
BARE = re.compile(
    rf"(?<![{_L}])(?P<word>(?i:{_DOC_WORDS}))(?:{_SP}(?i:{_FILLERS}))?{_SP}(?:(?P<so>(?i:số))[ \t]*:?[ \t]*)?"
    rf"(?P<num>\d{{1,5}})(?![\w/\-]|[.,]\d|{_SP}(?i:năm|tháng|quý|giai đoạn|lần|điều|khoản|người|xã|%))"
)
_DATE = r"(?P<d>\d{1,2})(?:[/.\-](?P<m>\d{1,2})[/.\-]|[ \t]+tháng[ \t]+(?P<m2>\d{1,2})[ \t]+năm[ \t]+)(?P<y>\d{4})"
DATE_AFTER = re.compile(rf"[ \t]*,?[ \t]*(?:(?i:ban hành)[ \t]+)?(?i:ngày){_SP}{_DATE}")
DATE_BEFORE = re.compile(rf"(?i:ngày){_SP}{_DATE}(?![\d/])[^.;\n]{{0,100}}?(?i:ban hành|ký|phê duyệt)[^.;\n]{{0,12}}\Z")
OF_AFTER = re.compile(r"[ \t]*,?[ \t]*(?i:của|do)[ \t]+(?:(?P<title>(?:Bộ trưởng|Chủ tịch|Giám đốc|Thủ trưởng|Trưởng ban|"
                      r"Tổng cục trưởng|Cục trưởng|Tổng Giám đốc|Bí thư)[ \t]+))?")
ISSUED_BY = re.compile(r"[ \t]*(?:(?i:đã)[ \t]+)?(?i:ban hành|ký ban hành|ký|phê duyệt|xây dựng)[ \t]+\Z")
OWN_LINE = re.compile(r"^[ \t]*(?i:số|số hiệu|số ký hiệu)[ \t]*:?[ \t]*\Z")


def normalize_number(symbol: str) -> str:
    return re.sub(r"\s+", "", symbol).upper()


def code_parts(normalized: str) -> list[str]:
    """The code tokens of a normalized symbol, without its number and year: ``14-NQ/TU`` → ``[NQ, TU]``."""
    parts = [p for p in re.split(r"[-/.]", normalized) if p]
    return [p for p in parts[1:] if not p.isdigit()]
