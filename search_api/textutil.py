"""Text helpers shared by every backend: diacritic folding, tokenizing user text, parsing queries, highlighting.

User text is never handed to an engine's query parser: it is cut into words here (any character that is not a
letter or a digit separates words, so ``"():*^~[]{}\\`` are plain separators) and queries are built from terms.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from corpus.normalize import normalize_text

WORD = re.compile(r"[^\W_]+")
MAX_TOKEN_BYTES = 40  # tantivy's default tokenizer drops longer tokens


class _FoldTable(dict):
    """str.translate table built on demand: one character in, one character out (length preserving)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            out = "d"
        else:
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()
            out = base if len(base) == 1 else (ch.lower() if len(ch.lower()) == 1 else ch)
        self[code] = out
        return out


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lowercase and drop the diacritics (NFD, combining marks removed, đ → d), one character for one.

    ``len(fold(s)) == len(s)`` always holds, so offsets found in the folded text index the original.
    """
    return text.translate(_FOLD)


MAX_HIGHLIGHT_MATCHES = 400  # the best passage is sought among the first matches: bounded work per hit


def tokens(text: str) -> list[str]:
    """The words of ``text`` as the index sees them: lowercased, split on anything not a letter or digit."""
    return [t for t in WORD.findall(text.lower()) if len(t.encode("utf-8")) < MAX_TOKEN_BYTES]


@dataclass
class Clause:
    """One required part of a query: a single word, or a phrase (words that must be adjacent)."""

    words: list[str]  # lowercased, diacritics kept
    quoted: bool = False

    @property
    def folded(self) -> list[str]:
        return [fold(w) for w in self.words]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.clauses

    @property
    def all_words(self) -> list[str]:
        return [w for c in self.clauses for w in c.words]


def parse_query(q: str | None) -> ParsedQuery:
    """``"phòng chống" ma tuy 4.059`` → phrase(phòng chống), word(ma), word(tuy), phrase(4 059)."""
    if not q:
        return ParsedQuery()
    q = normalize_text(q)
    clauses: list[Clause] = []
    rest: list[str] = []
    parts = q.split('"')
    for i, part in enumerate(parts):
        # odd parts are inside a pair of quotes; a final unpaired quote is just a separator
        inside = i % 2 == 1 and i < len(parts) - 1
        if inside:
            words = tokens(part)
            if words:
                clauses.append(Clause(words, quoted=True))
        else:
            rest.append(part)
    for chunk in " ".join(rest).split():
        words = tokens(chunk)
        if words:
            clauses.append(Clause(words))
    return ParsedQuery(clauses)


@dataclass
class Highlight:
    fragment: str
    start: int  # offset of the fragment in Document.text
    spans: list[tuple[int, int]]  # matched words, offsets within the fragment

    def to_html(self) -> str:
        out, pos = [], 0
        for s, e in self.spans:
            out.append(html.escape(self.fragment[pos:s]))
            out.append("<mark>" + html.escape(self.fragment[s:e]) + "</mark>")
            pos = e
        out.append(html.escape(self.fragment[pos:]))
        return "".join(out)

    def as_dict(self) -> dict:
        return {"fragment": self.fragment, "start": self.start, "spans": [list(s) for s in self.spans],
                "html": self.to_html()}


def _word_pattern(words: list[str]) -> str:
    return r"[\W_]+".join(re.escape(w) for w in words)


@lru_cache(maxsize=1)
def _fold_array():  # -> numpy.ndarray
    """``fold`` as a lookup table over UTF-16 code units (built once, about 0.1 s): each character of the Basic
    Multilingual Plane to its folded form, surrogates (the halves of the other planes' characters) to themselves."""
    import numpy as np

    table = np.arange(0x10000, dtype=np.uint16)
    for code in range(0x41, 0x10000):
        folded = ord(_FOLD[code])
        if not 0xD800 <= code < 0xE000 and folded < 0x10000:  # a few ideographs fold to another plane: kept
            table[code] = folded
    return table


def fold_bmp(text: str) -> str:
    """``fold`` for the characters of the Basic Multilingual Plane (every letter of Vietnamese), the others kept
    as they are; one table lookup over the whole string (about 10x faster on a document than ``fold``).
    Length preserving, as ``fold`` is."""
    import numpy as np

    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    return _fold_array().take(units).tobytes().decode("utf-16-le", "surrogatepass")


@lru_cache(maxsize=256)
def _query_patterns(folded_words: tuple[tuple[str, ...], ...]) -> tuple[re.Pattern[str], ...]:
    """One pattern per distinct folded word or phrase of the query, longest first (the order in which one regex
    alternation of them would try them), each to search in the folded text. Each starts with its literal word,
    which the regex engine scans for quickly (an alternation of words is scanned position by position). The
    word boundary before a match is checked by the caller."""
    ordered = sorted({_word_pattern(list(w)) for w in folded_words}, key=len, reverse=True)
    return tuple(re.compile(p + r"(?![^\W_])") for p in ordered)


def _candidates(folded: str, patterns: tuple[re.Pattern[str], ...], pos: int) -> list[tuple[int, int, int]]:
    """(start, pattern rank, end) of every match of each pattern from ``pos`` on, in the order an alternation of
    the patterns would meet them: leftmost first, then the first pattern matching there."""
    return sorted((m.start(), k, m.end()) for k, p in enumerate(patterns) for m in p.finditer(folded, pos))


def _matches(folded: str, patterns: tuple[re.Pattern[str], ...], limit: int) -> list[tuple[int, int, str]]:
    """Whole-word matches of the query's patterns in the folded text (start, end, folded form), the first
    ``limit``: what searching with the alternation of the patterns again and again would find, each search
    starting where the last match ended (one character further when the last one began inside a word)."""
    out: list[tuple[int, int, str]] = []
    cands = _candidates(folded, patterns, 0)
    pos = i = 0
    while len(out) < limit and i < len(cands):
        s, _k, e = cands[i]
        i += 1
        if s >= pos and s and folded[s - 1].isalnum():  # inside a word: look again one character further
            pos = s + 1
        elif s >= pos:
            out.append((s, e, folded[s:e]))
            pos = e
            continue
        if e > pos and not folded[s:e].isalnum():
            # a phrase passed over: a match of the same phrase starting inside it, which the phrase's own scan
            # stepped over, may be the next one: scan again from here (words cannot overlap themselves)
            cands, i = _candidates(folded, patterns, pos), 0
    return out


def highlight(text: str, query: ParsedQuery, width: int = 240) -> Highlight | None:
    """The passage of ``text`` (about ``width`` characters) holding the most distinct query words, matched
    with or without diacritics; phrases are matched as phrases. None when nothing matches."""
    if query.empty or not text:
        return None
    patterns = _query_patterns(tuple(tuple(c.folded) for c in query.clauses))
    # folding keeps one character for one: offsets found in the folded text index the original
    matches = _matches(fold_bmp(text), patterns, MAX_HIGHLIGHT_MATCHES)
    if not matches:
        return None
    exact_forms = {" ".join(c.words) for c in query.clauses}
    exact = [1 if text[s:e].lower() in exact_forms else 0 for (s, e, _w) in matches]
    # the window starting at each match, slid over the matches in one pass (two pointers)
    best, best_score = 0, -1
    seen: dict[str, int] = {}
    n_exact = 0
    j = 0
    for i, (s, _e, _w) in enumerate(matches):
        while j < len(matches) and matches[j][0] < s + width:
            seen[matches[j][2]] = seen.get(matches[j][2], 0) + 1
            n_exact += exact[j]
            j += 1
        score = len(seen) * 10 + n_exact
        if score > best_score:
            best, best_score = i, score
        w = matches[i][2]
        seen[w] -= 1
        if not seen[w]:
            del seen[w]
        n_exact -= exact[i]
    first = matches[best][0]
    start = max(0, first - width // 4)
    # begin at a word boundary
    while start > 0 and not text[start - 1].isspace() and first - start < width // 2:
        start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace() and end - start < width + 30:
        end += 1
    spans = [(s - start, min(e, end) - start) for (s, e, _w) in matches if s >= start and s < end]
    return Highlight(fragment=text[start:end], start=start, spans=spans)
