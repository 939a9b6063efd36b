"""Header metadata of a document: number, issuer, place and date, type and title (trích yếu), signer, recipients;
for news the headline, publication date and author. The language knowledge is in ``metadata_patterns.yaml``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

from corpus.model import Metadata

PATTERNS = Path(__file__).resolve().parent / "metadata_patterns.yaml"
HEADER_LINES = 60


def province_of(text: str) -> str | None:
    """The canonical province named in a text, by the locations extractor's gazetteer (None while that module
    cannot be imported)."""
    finder = _province_finder()
    return finder(text) if finder else None


_FINDER: list = []


def _province_finder() -> Callable[[str], str | None] | None:
    if not _FINDER:
        try:  # published by the locations extractor
            from extractors.locations.gazetteer import province_of as found
        except Exception:  # not there (yet): no province rather than a failed read
            return None
        _FINDER.append(found)
    return _FINDER[0]


@dataclass(frozen=True)
class _Patterns:
    doc_types: dict[str, str]            # lower → written form
    motto: list[re.Pattern[str]]
    agencies: dict[str, str]
    levels: list[str]
    titles: dict[str, str]
    signer_prefix: list[re.Pattern[str]]
    properties: dict[str, str]
    recipients: re.Pattern[str]
    number: re.Pattern[str]
    date_line: re.Pattern[str]
    published: re.Pattern[str]
    eff_signing: re.Pattern[str]
    eff_date: re.Pattern[str]
    byline: list[re.Pattern[str]]
    source: re.Pattern[str]
    not_headline: list[re.Pattern[str]]
    adopted: re.Pattern[str]
    eff_after: re.Pattern[str]
    number_words: dict[str, int]
    self_issuer: re.Pattern[str]
    self_issuer_window: int
    province_mention: re.Pattern[str]
    central_issuers: list[str]
    central_cities: list[str]
    published_lines: list[re.Pattern[str]]
    english_months: dict[str, int]
    header_splits: list[re.Pattern[str]]
    place_named: set[str]
    parent_named: set[str]
    fields: list[str]
    body_openers: re.Pattern[str]
    subject_line: re.Pattern[str]
    letter_type: str
    letter_title_prefix: str
    self_ministry: re.Pattern[str]
    self_ministry_min: int
    home_bodies: list[tuple[re.Pattern[str], str]]
    type_codes: dict[str, str]


@lru_cache
def patterns() -> _Patterns:
    d = yaml.safe_load(PATTERNS.read_text(encoding="utf-8"))

    def rx(p: str) -> re.Pattern[str]:
        return re.compile(p, re.I)

    return _Patterns(
        doc_types={t.lower(): t for t in d["doc_types"]},
        motto=[rx(p) for p in d["motto_lines"]],
        agencies={k.lower(): v for k, v in d["agency_names"].items()},
        levels=sorted(d["unit_levels"], key=len, reverse=True),
        titles={t.lower(): t for t in d["signer_titles"]},
        signer_prefix=[rx(p) for p in d["signer_prefixes"]],
        properties={k.lower(): v for k, v in d["properties"].items()},
        recipients=rx(d["recipients_label"]),
        number=rx(d["number_label"]),
        date_line=rx(d["date_line"]),
        published=rx(d["published_label"]),
        eff_signing=rx(d["effective_from_signing"]),
        eff_date=rx(d["effective_from_date"]),
        byline=[rx(p) for p in d["byline_prefixes"]],
        source=rx(d["source_prefix"]),
        not_headline=[rx(p) for p in d["not_headline"]],
        adopted=rx(d["adopted_date"]),
        eff_after=rx(d["effective_after_days"]),
        number_words={k.lower(): v for k, v in d["number_words"].items()},
        self_issuer=rx(d["self_issuer"]),
        self_issuer_window=d["self_issuer_window"],
        province_mention=rx(d["province_mention"]),
        central_issuers=d["central_issuers"],
        central_cities=d["central_cities"],
        published_lines=[rx(x) for x in d["published_lines"]],
        english_months=d["english_months"],
        header_splits=[re.compile(x) for x in d["header_splits"]],
        place_named={x.lower() for x in d["place_named_agencies"]},
        parent_named={x.lower() for x in d["parent_named_agencies"]},
        fields=sorted(d["agency_fields"], key=len, reverse=True),
        body_openers=rx(d["body_openers"]),
        subject_line=rx(d["subject_line"]),
        letter_type=d["letter_type"],
        letter_title_prefix=d["letter_title_prefix"],
        self_ministry=re.compile(d["self_ministry"]),
        self_ministry_min=d["self_ministry_min"],
        type_codes={k.upper(): v for k, v in d["type_codes"].items()},
        home_bodies=[(re.compile(r"\s+".join(map(re.escape, k.split())), re.I), v)
                     for k, v in d["home_bodies"].items()],
    )


# ---------------------------------------------------------------- small helpers
def _iso(y: str | int, m: str | int, d: str | int) -> str | None:
    try:
        y, m, d = int(y), int(m), int(d)
    except ValueError:
        return None
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _date_value(value: str) -> str | None:
    m = re.search(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    if m:
        return _iso(m.group(3), m.group(2), m.group(1))
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", value)
    return _iso(*m.groups()) if m else None


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _title_case(name: str) -> str:
    return " ".join(_cap(w) if w.isalpha() or "-" not in w else "-".join(_cap(p) for p in w.split("-"))
                    for w in name.split())


def _number(raw: str) -> str:
    return re.sub(r"\s+", "", raw).rstrip(".,;").upper()


def _lines(text: str) -> list[str]:
    """The text's lines with spaces collapsed; header lines that a two-column layout ran together are split."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    splits = patterns().header_splits
    out: list[str] = []
    for i, line in enumerate(lines):
        pending = [line]
        while pending:
            cur = pending.pop(0)
            m = next((m for rx in splits if i < HEADER_LINES and (m := rx.match(cur))), None)
            if m:
                pending[:0] = [m.group("a"), m.group("b")]
            else:
                out.append(cur)
    return out


def format_agency(raw: str) -> str | None:
    """'ỦY BAN NHÂN DÂN TỈNH NGHỆ AN' → 'UBND tỉnh Nghệ An'; 'Hội đồng nhân dân tỉnh kiên giang' → 'HĐND tỉnh
    Kiên Giang'; 'BAN NỘI CHÍNH TỈNH ỦY' → 'Ban Nội chính Tỉnh ủy'. None when no known agency name opens it."""
    p = patterns()
    low = " ".join(raw.split()).lower().strip(" .,;:")
    out: list[str] = []
    last = ""
    while low:
        for name in sorted(p.agencies, key=len, reverse=True):
            if low == name or low.startswith(name + " "):
                out.append(p.agencies[name])
                low = low[len(name):].strip()
                last = name
                break
        else:
            field = next((f for f in p.fields if out and (low == f.lower() or low.startswith(f.lower() + " "))),
                         None)
            if field:
                out.append(field)
                low = low[len(field):].strip()
                last = ""
                continue
            if last in p.place_named and not any(low == lv or low.startswith(lv + " ") for lv in p.levels):
                out.append(_title_case(low))
                break
            for level in p.levels:
                if low == level or low.startswith(level + " "):
                    rest = low[len(level):].strip()
                    out.append(level + (" " + _title_case(rest) if rest else ""))
                    low = ""
                    break
            else:
                if not out:
                    return None
                # the remaining words name the agency's field (Sở Y tế, Bộ Công an): first word capitalized; a
                # level word among them starts its place (Sở Nội vụ tỉnh Nghệ An, Ban Chỉ đạo 138 tỉnh Nghệ An)
                ws = low.split()
                cut = next((j for j in range(1, len(ws)) if any(
                    " ".join(ws[j:]) == lv or " ".join(ws[j:]).startswith(lv + " ") for lv in p.levels)), len(ws))
                out.append(" ".join([_cap(ws[0]), *ws[1:cut]]))
                low = " ".join(ws[cut:])
    return " ".join(out)


def _signer_title(line: str) -> str | None:
    p = patterns()
    low = line.lower().strip(" .:")
    for rxp in p.signer_prefix:
        low = rxp.sub("", low).strip()
    return p.titles.get(low)


def _looks_like_name(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 5 or len(line) > 40:
        return False
    if not all(w[:1].isupper() and (w[1:].islower() or len(w) == 1) and w.isalpha() for w in words):
        return False
    p = patterns()
    low = line.lower()
    return format_agency(line) is None and low not in p.doc_types and not any(
        low.startswith(lv + " ") for lv in p.levels)


# ---------------------------------------------------------------- recasing an upper-case title
def recase(upper: str, body: str) -> str:
    """Write an upper-case title as the body writes the same words: the longest word sequences found in the
    body keep the body's casing; other words are lower-cased (codes with digits or '/' are kept)."""
    tokens = upper.split()
    body_tokens = [t for line in body.split("\n") if not _is_upper(line) for t in line.split()]
    index: dict[tuple[str, ...], tuple[str, ...]] = {}
    max_n = 8
    lowered = [t.lower() for t in body_tokens]
    for n in range(2, max_n + 1):
        for i in range(len(body_tokens) - n + 1):
            index.setdefault(tuple(lowered[i:i + n]), tuple(body_tokens[i:i + n]))
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for n in range(min(max_n, len(tokens) - i), 1, -1):
            key = tuple(t.lower() for t in tokens[i:i + n])
            if key in index:
                found = index[key]
                # punctuation stays as the title writes it; only the letters' case comes from the body
                out.extend(_same_word(t, f) for t, f in zip(tokens[i:i + n], found, strict=True))
                i += n
                break
        else:
            t = tokens[i]
            out.append(t if re.search(r"[\d/]", t) else t.lower())
            i += 1
    text = " ".join(out)
    return text[:1].upper() + text[1:]


def _same_word(title_token: str, body_token: str) -> str:
    core_t = title_token.strip(",.;:()“”\"'")
    core_b = body_token.strip(",.;:()“”\"'")
    if core_t.lower() == core_b.lower():
        return title_token.replace(core_t, core_b)
    return title_token.lower()


# ---------------------------------------------------------------- the parts of the header
def _properties(lines: list[str], hints: dict[str, str]) -> dict[str, str]:
    p = patterns()
    found = dict(hints)
    labels = sorted(p.properties, key=len, reverse=True)
    for line in lines[:HEADER_LINES]:
        low = line.lower()
        for label in labels:
            if low.startswith(label) and len(line) > len(label) + 1:
                rest = line[len(label):].lstrip(" :")
                if rest and not rest[0].isalpha() or (rest and p.properties[label] in ("issuer", "signer",
                                                                                        "doc_type", "field")):
                    found.setdefault(p.properties[label], rest.strip())
                break
    return found


def _header_end(lines: list[str]) -> int:
    """Index of the first body paragraph (a long sentence-case line that ends as a sentence or clause)."""
    for i, line in enumerate(lines[:HEADER_LINES]):
        if len(line) > 160 and not _is_upper(line) and line.endswith((".", ":", ";", ",")):
            return i
    return min(len(lines), HEADER_LINES)


def _issuer_block(lines: list[str], end: int) -> tuple[str | None, str | None]:
    """The upper-case lines at the top left (before the national motto), e.g. ỦY BAN NHÂN DÂN / TỈNH NGHỆ AN:
    the issuer, and the body above it when the issuer is written without it (UBND HUYỆN KỲ SƠN / PHÒNG GIÁO DỤC
    VÀ ĐÀO TẠO → Phòng Giáo dục và Đào tạo, UBND huyện Kỳ Sơn)."""
    p = patterns()
    motto_at = next((i for i, line in enumerate(lines[:end]) if p.motto[0].match(line)), None)
    if motto_at is None:
        return None, None
    block: list[str] = []
    for line in reversed(lines[:motto_at]):
        if not line:
            if block:
                continue
            continue
        if any(m.match(line) for m in p.motto[1:]) or p.number.match(line):
            continue
        if _is_upper(line) and len(line) < 80:
            block.insert(0, line)
        else:
            break
    if not block:
        return None, None
    # the lowest body of the block issues the document (UBND TỈNH X / SỞ Y TẾ → Sở Y tế ...); some are written
    # with their parent (Ban Tuyên giáo Tỉnh ủy Nghệ An)
    for k in range(len(block) - 1, 0, -1):
        low = block[k].lower()
        opener = next((a for a in sorted(p.agencies, key=len, reverse=True)
                       if low == a or low.startswith(a + " ")), None)
        if opener and (lowest := format_agency(" ".join(block[k:]))):
            above = format_agency(" ".join(block[:k]))
            parent = above if opener in p.parent_named else None
            return (f"{lowest} {parent}", None) if parent else (lowest, above)
    joined = " ".join(block)
    whole = format_agency(joined)
    if whole:
        return whole, None
    return format_agency(block[-1]) or format_agency(" ".join(block[-2:])), None


def _type_and_title(lines: list[str], end: int, body: str) -> tuple[str | None, str | None]:
    p = patterns()
    opened = _title_line_type(next((ln for ln in lines if ln), ""))[0] is not None
    for i, line in enumerate(lines[:end + 1]):
        low = line.lower().strip(" .:")
        # the type heading: in capitals (KẾ HOẠCH), or alone on its line as the type is written (Báo cáo) in a
        # text a title line does not open ("Quyết định:" in a decision's body is its operative word)
        if low in p.doc_types and (_is_upper(line) or (line == p.doc_types[low] and not opened)):
            title_lines: list[str] = []
            sentence = False
            for nxt in lines[i + 1:i + 8]:
                if not nxt:
                    if title_lines:
                        break
                    continue
                if any(m.match(nxt) for m in p.motto):
                    break
                if _is_upper(nxt) and not sentence:
                    title_lines.append(nxt)
                    continue
                if not title_lines and _sentence_title(nxt):
                    title_lines.append(nxt)
                    sentence = True
                    continue
                if sentence and nxt[:1].islower() and _sentence_title(nxt, first=False):
                    title_lines.append(nxt)   # a sentence-case title wrapped onto the next line
                    continue
                break
            title = None
            if title_lines:
                joined = " ".join(title_lines)
                title = (joined if sentence else recase(joined, body)).rstrip(" .")
            return p.doc_types[low], title
    return None, None


def _sentence_title(line: str, first: bool = True) -> bool:
    """A title written in sentence case under the type heading, not the body's first paragraph."""
    if first and not line[:1].isupper():
        return False
    if line.endswith((";", ":")) or (line.endswith(".") and len(line) > 200) or len(line) > 300:
        return False
    return not patterns().body_openers.match(line)


def _restore_case(title: str | None, body: str) -> str | None:
    """A title its source lower-cased ('… trên địa bàn tỉnh nghệ an', 'kế hoạch 77/kh-lt'): place names after a
    level word as the body writes them (tỉnh Nghệ An), document symbols in capitals (77/KH-LT). A title with a
    capital after its first letter is left as written."""
    if not title or any(c.isupper() for c in title[1:]):
        return title
    p = patterns()
    words = [w.upper() if re.search(r"\d", w) and re.search(r"[/-]", w) and re.search(r"[^\W\d_]", w) else w
             for w in title.split()]
    title = " ".join(words)
    levels = "|".join(re.escape(lv) for lv in p.levels)
    names: dict[str, str] = {}
    for m in re.finditer(rf"\b(?:{levels})\s+((?:[^\W\d_]+)(?:\s+[^\W\d_]+){{0,3}})", body, re.I):
        kept: list[str] = []
        for w in m.group(1).split():
            if not w[:1].isupper():
                break
            kept.append(w)
        if kept:
            names.setdefault(" ".join(kept).lower(), " ".join(kept))
    for low in sorted(names, key=len, reverse=True):
        title = re.sub(rf"(\b(?:{levels})\s+){re.escape(low)}(?!\w)", lambda m, n=names[low]: m.group(1) + n,
                       title)
    return title


def _title_line_type(line: str) -> tuple[str | None, str | None]:
    """'Nghị quyết về việc giao chỉ tiêu …' → ('Nghị quyết', 'về việc giao chỉ tiêu …')."""
    p = patterns()
    low = line.lower()
    for t in sorted(p.doc_types, key=len, reverse=True):
        if low.startswith(t + " "):
            rest = line[len(t):].strip()
            if rest[:1].islower():
                return p.doc_types[t], rest.rstrip(" .")
    return None, None


def _split_signature_line(line: str) -> tuple[str, str] | None:
    """'CHỦ TỊCH QUỐC HỘI Nguyễn Thị Kim Ngân' (a title in capitals and the name on one line) → its two parts."""
    words = line.split()
    k = 0
    while k < len(words) and words[k].isupper():
        k += 1
    if 0 < k < len(words):
        name = " ".join(words[k:])
        if _looks_like_name(name):
            return " ".join(words[:k]), name
    return None


def _signature(lines: list[str]) -> tuple[str | None, str | None]:
    """The signing authority (last title line) and the name after it, or on the same line after the title."""
    for i in range(len(lines) - 1, max(-1, len(lines) - 80), -1):
        both = _split_signature_line(lines[i])
        if both and (title := _signer_title(both[0])):
            return title, both[1]
        title = _signer_title(lines[i]) if _is_upper(lines[i]) or lines[i].lower().startswith(
            ("kt.", "tm.", "q.", "tl.")) else None
        if title:
            name = next((ln for ln in lines[i + 1:i + 8] if ln), None)
            return title, name if name and _looks_like_name(name) else None
    return None, None


def _recipients(lines: list[str]) -> list[str]:
    p = patterns()
    for i, line in enumerate(lines):
        m = p.recipients.match(line)
        if not m:
            continue
        out: list[str] = []
        first = m.group(1).strip()
        candidates = ([first] if first else []) + lines[i + 1:i + 40]
        for ln in candidates:
            if not ln:
                continue
            if ln[:1] in "-+•":
                item = ln.lstrip("-+• ").rstrip(" ;.,")
                if item:
                    out.append(item)
            elif out:
                break
        return out
    return []


def _article_end(lines: list[str]) -> int:
    from corpus.formats.html import furniture

    _, cut = furniture()
    for i, line in enumerate(lines):
        if any(c.match(line) for c in cut):
            return i
    return len(lines)


def _byline(lines: list[str]) -> tuple[str | None, str | None]:
    """(author, author's organization) from the last lines of an article."""
    p = patterns()
    end = _article_end(lines)
    tail = [ln for ln in lines[:end] if ln][-6:]
    source = None
    for ln in tail:
        for rxp in p.byline:
            m = rxp.match(ln)
            if m and _looks_like_name(m.group("name").strip(" .")):
                return m.group("name").strip(" ."), None
    for j in range(len(tail) - 1, -1, -1):
        ln = tail[j]
        if _looks_like_name(ln):
            org = format_agency(tail[j + 1]) if j + 1 < len(tail) else None
            return ln, org
        m = p.source.match(ln)
        if m and source is None and len(ln) < 80:
            source = m.group("name").strip()
    return source, None


def _headline(lines: list[str]) -> tuple[str | None, int | None]:
    p = patterns()
    nonempty = [(i, ln) for i, ln in enumerate(lines[:HEADER_LINES]) if ln]
    for k, (i, ln) in enumerate(nonempty):
        if len(ln) > 160:
            return None, None
        words = ln.split()
        if len(words) < 4 or ln.endswith((".", ":", ";")) or any(r.match(ln) for r in p.not_headline):
            continue
        if re.search(r"\d{1,2}:\d{2}|\b(?:19|20)\d{2}\b.*\b(?:AM|PM)\b", ln) or _date_value(ln) == ln:
            continue
        following = [x for _, x in nonempty[k + 1:k + 3]]
        if any(len(x) > 150 or (len(x) > 60 and x.endswith((".", ":"))) or p.published.match(x)
               for x in following):
            return ln, i
    return None, None


# ---------------------------------------------------------------- all together
def extract_metadata(text: str, hints: dict[str, str] | None = None) -> Metadata:
    p = patterns()
    lines = _lines(text)
    end = _header_end(lines)
    props = _properties(lines, hints or {})
    meta = Metadata()

    for line in lines[:end + 1]:
        m = p.number.match(line)
        if m and re.search(r"\d", m.group(1)):
            meta.number = _number(m.group(1))
            break
    for line in lines[:end + 1]:
        m = p.date_line.match(line)
        if m:
            meta.issued_date = _iso(m.group("y"), m.group("m"), m.group("d"))
            if m.group("place"):
                meta.place = m.group("place").strip()
            break

    meta.issuer, parent = _issuer_block(lines, end)
    meta.doc_type, meta.title = _type_and_title(lines, end, text)
    if meta.title is None:
        # an official letter: "V/v …" under its number
        subject = next((m for ln in lines[:end + 1] if (m := p.subject_line.match(ln))), None)
        if subject and (meta.number or meta.issuer):
            rest = subject.group("title").rstrip(" .")
            meta.title = f"{p.letter_title_prefix} {rest[:1].lower()}{rest[1:]}"
            meta.doc_type = meta.doc_type or p.letter_type
    official = bool(meta.number or meta.issuer or meta.doc_type)

    first = next((ln for ln in lines if ln), "")
    if meta.doc_type is None:
        doc_type, title = _title_line_type(first)
        if doc_type:
            meta.doc_type, meta.title = doc_type, _restore_case(title, text)
            official = True
            # the issuing body on the next line: 'Hội đồng nhân dân tỉnh kiên giang'
            second = next((ln for ln in lines[lines.index(first) + 1:] if ln), "")
            if len(second) < 120 and not meta.issuer:
                title_word = next((t for t in sorted(p.titles, key=len, reverse=True)
                                   if second.lower().startswith(t + " ")), None)
                rest = second[len(title_word):].strip() if title_word else second
                # a name alone on its line, not the body's first sentence ("Bộ Y tế đã ban hành …; …")
                issuer = format_agency(rest) if not re.search(r"[;.:]", rest) and len(rest.split()) <= 12 else None
                if issuer:
                    meta.issuer = issuer
                    if title_word:
                        meta.signer_title = p.titles[title_word]

    if meta.doc_type is None and meta.number:
        # the type code of its own symbol: 56/BC-UBND, 05-CT/TU, 27/2021/NQ-HĐND
        code = next((c for c in re.split(r"[/-]", meta.number)[1:] if c and not c.isdigit()), None)
        meta.doc_type = p.type_codes.get(code) if code else None
    # the property table fills what the header does not say
    if not meta.number and props.get("number"):
        meta.number = _number(props["number"])
    if not meta.issued_date and props.get("issued_date"):
        meta.issued_date = _date_value(props["issued_date"])
    if props.get("effective_date"):
        meta.effective_date = _date_value(props["effective_date"])
    if not meta.doc_type and props.get("doc_type"):
        meta.doc_type = p.doc_types.get(props["doc_type"].lower(), props["doc_type"])
    if props.get("field"):
        meta.field = props["field"]
    if props.get("signer"):
        meta.signer = props["signer"]
    if not meta.issuer and props.get("issuer"):
        meta.issuer = format_agency(props["issuer"]) or props["issuer"]

    if official:
        title_, signer = _signature(lines)
        meta.signer_title = meta.signer_title or title_
        meta.signer = meta.signer or signer
        meta.recipients = _recipients(lines)
        if not meta.issued_date:
            m = p.adopted.search(text)
            if m:
                meta.issued_date = _iso(m.group("y"), m.group("m"), m.group("d"))
        after = p.eff_after.search(text)
        if not meta.effective_date and meta.issued_date and after:
            n = after.group("n").lower()
            days = int(n) if n.isdigit() else p.number_words.get(n)
            if days:
                meta.effective_date = (date.fromisoformat(meta.issued_date) + timedelta(days=days)).isoformat()
        if not meta.effective_date and meta.issued_date and p.eff_signing.search(text):
            meta.effective_date = meta.issued_date
        elif not meta.effective_date:
            m = p.eff_date.search(text)
            if m:
                meta.effective_date = _iso(m.group("y"), m.group("m"), m.group("d"))
    else:
        headline, at = _headline(lines)
        meta.title = headline
        start = at if at is not None else 0
        for ln in lines[start:start + 6]:
            m = p.published.match(ln)
            if m:
                meta.published_date = _iso(m.group("y"), m.group("m"), m.group("d"))
                break
        if not meta.published_date:
            meta.published_date = _published_line([ln for ln in lines[:HEADER_LINES] if ln][:6])
        if not meta.published_date and (hints or {}).get("published_date"):
            meta.published_date = _date_value(hints["published_date"])
        author, org = _byline(lines)
        meta.author = author or (hints or {}).get("author")
        if org and not meta.issuer:
            meta.issuer = org

    if official and (not meta.issuer or _unnamed_level(meta.issuer)):
        meta.issuer = _self_issuer(text) or meta.issuer
    if official and not meta.issuer:
        meta.issuer = _self_ministry(text)
    # a central body's text names where it was signed (Hà Nội), not a province it is about
    place = None if _is_central(meta.issuer) else meta.place
    for source in (meta.issuer, place, props.get("issuer"), meta.title):
        if source:
            found = province_of(source)
            if found:
                meta.province = found
                break
    if not meta.province and parent:   # UBND HUYỆN KỲ SƠN / PHÒNG GIÁO DỤC VÀ ĐÀO TẠO
        meta.province = province_of(parent) or _unit_province(parent, meta.issued_date)
    if not meta.province and meta.issuer:
        meta.province = _unit_province(meta.issuer, meta.issued_date)
    level = _unnamed_level(meta.issuer)
    if not meta.province and not _is_central(meta.issuer):
        meta.province = main_province(text, level)
    if not meta.province and level:
        # a local text that names no province: a body only one province has says whose it is
        homes = {v for rxp, v in p.home_bodies if rxp.search(text)}
        if len(homes) == 1:
            meta.province = homes.pop()
    if meta.province and level in ("tỉnh", "thành phố"):
        # "UBND tỉnh" of a text about Long An is UBND tỉnh Long An; an unnamed "thành phố" is a city under the
        # central government
        if (level == "thành phố") == (meta.province in p.central_cities):
            meta.issuer = f"{meta.issuer} {meta.province}"
    return meta


def _published_line(lines: list[str]) -> str | None:
    """The date of a publication line at the top of a news page."""
    p = patterns()
    for ln in lines:
        for rxp in p.published_lines:
            m = rxp.match(ln)
            if m:
                gd = m.groupdict()
                month = p.english_months[gd["mon"].lower()] if gd.get("mon") else gd["m"]
                return _iso(gd["y"], month, gd["d"])
    return None


def _unnamed_level(issuer: str | None) -> str | None:
    """The level an issuer ends with when it names no place ("UBND tỉnh" → "tỉnh")."""
    if not issuer:
        return None
    return next((lv for lv in patterns().levels if issuer.lower().endswith(" " + lv)), None)


def _self_issuer(text: str) -> str | None:
    """The issuer a headless document names as the subject of its directions ("Ủy ban nhân dân tỉnh yêu cầu")."""
    p = patterns()
    for m in p.self_issuer.finditer(text, 0, min(len(text), p.self_issuer_window)):
        name = m.group("name").split()
        if all(w[:1].isupper() for w in name):
            return format_agency(" ".join([m.group("agency"), *name]))
    return None


def _unit_province(issuer: str, on: str | None) -> str | None:
    """The province of the district or commune an issuer names ("UBND huyện Thường Xuân" → Thanh Hóa), by the
    locations extractor's gazetteer, when one province alone has a unit of that level and name at the date."""
    try:  # published by the locations extractor
        from extractors.locations.gazetteer import index, key_of
    except Exception:
        return None
    low = issuer.lower()
    for level in patterns().levels:
        at = low.find(" " + level + " ")
        if at < 0:
            continue
        name = issuer[at + len(level) + 2:].strip()
        when = date.fromisoformat(on) if on else None
        found = {u.province for u in index().get(key_of(name), ())
                 if u.type.lower() == level and u.level != "province" and u.in_force(when)}
        return found.pop() if len(found) == 1 else None
    return None


def _self_ministry(text: str) -> str | None:
    """The ministry a headless text is by when it calls itself "Bộ": the one it names most often in full."""
    p = patterns()
    if len(p.self_ministry.findall(text)) < p.self_ministry_min:
        return None
    low = text.lower()
    counts = sorted(((low.count(f"bộ {f.lower()}"), f) for f in p.fields), reverse=True)
    if not counts or counts[0][0] == 0 or (len(counts) > 1 and counts[1][0] == counts[0][0]):
        return None
    return f"Bộ {counts[0][1]}"


def _is_central(issuer: str | None) -> bool:
    if not issuer:
        return False
    low = issuer.lower()
    return any(low == c.lower() or low.startswith(c.lower() + " ") for c in patterns().central_issuers)


def main_province(text: str, level: str | None = None) -> str | None:
    """The province a text names most with its level ("tỉnh Long An", "thành phố Hà Nội"); else the one named
    on most lines; without ``level`` a province needs two mentions; None on a tie for the first place or when none is named. With ``level`` (the
    unnamed level of the issuer: "tỉnh", "thành phố"), only the provinces of that kind count."""
    from collections import Counter

    p = patterns()
    counts: Counter[str] = Counter()
    for m in p.province_mention.finditer(text):
        found = province_of(m.group(0))
        if found:
            counts[found] += 1
    if not counts and level is None:  # a bare name ("Hà Nội") is weaker evidence than an unnamed "thành phố"
        for line in text.split("\n"):
            found = province_of(line) if line.strip() else None
            if found:
                counts[found] += 1
        counts = Counter({k: n for k, n in counts.items() if n >= 2})
    if level == "tỉnh":
        counts = Counter({k: n for k, n in counts.items() if k not in p.central_cities})
    elif level == "thành phố":
        counts = Counter({k: n for k, n in counts.items() if k in p.central_cities})
    if level is None:  # nothing says the text is local: one passing mention is no evidence
        counts = Counter({k: n for k, n in counts.items() if n >= 2})
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]
