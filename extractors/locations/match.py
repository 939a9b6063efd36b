"""Finding place names in a text: one pass over its syllables, with dictionary look-ups (no regex per name).

A candidate is a span plus what it may be (level, the gazetteer units of that name); ``resolve.py`` then picks
the unit with the document's province and date.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from extractors.context import Context
from extractors.locations.gazetteer import TOKEN, Unit, ambiguous, index, key_of, load_yaml

_SPACES = re.compile(r"[ \t\u00a0]{1,3}")
_HYPHEN = re.compile(r"[ \t\u00a0]{0,2}[-‐–][ \t\u00a0]{0,2}")
_APOSTROPHE = re.compile(r"['’ʼ‘]")  # "Đắk N'Drung", "Nâm N’Jang"
_DOT_SPACE = re.compile(r"\.?[ \t\u00a0]{0,2}")
_NEWLINE = re.compile("\n")
_SENTENCE_END = re.compile(r"[.!?:;\n\r\"“”(\[]|^\s*$")
MAX_SYLLABLES = 6
_ROMAN = re.compile(r"(?:X{0,2})(?:IX|IV|V?I{0,3})")


@dataclass
class Candidate:
    start: int
    end: int
    level: str                          # country | province | district | commune | village
    units: list[Unit] = field(default_factory=list)
    prefixed: bool = False
    prefix_start: int | None = None     # where the kind word starts ("huyện" of "huyện Kỳ Sơn")
    code: str | None = None             # for countries: ISO code
    name: str | None = None             # for villages: the written name with its kind word


@dataclass(frozen=True)
class Prefix:
    words: str
    levels: tuple[str, ...]
    name: str
    type: str | None = None     # the unit type the kind word names, when it is not the word itself ("xã đảo")
    dot: str | None = None      # "optional": a dot may close the word ("TP. Vinh"); "required": it must ("Q.1")
    stands_for: str | None = None  # the kind word an abbreviation stands for ("Q." → "quận")


@functools.cache
def prefixes() -> dict[str, Prefix]:
    out = {}
    for p in load_yaml("levels.yaml")["prefixes"]:
        out[key_of(p["words"])] = Prefix(p["words"], tuple(p["levels"]), p["name"], p.get("type"), p.get("dot"),
                                         p.get("stands_for"))
    return out


def _stems_of(keys) -> frozenset[str]:
    """The leading syllables of each key ("hà", "hà tĩnh" of "hà tĩnh")."""
    out: set[str] = set()
    for k in keys:
        words = k.split(" ")
        out.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    return frozenset(out)


@functools.cache
def _prefix_stems() -> frozenset[str]:
    return _stems_of(prefixes())


@functools.cache
def _unit_stems() -> frozenset[str]:
    return _stems_of(index())


@functools.cache
def _bare_stems() -> frozenset[str]:
    bare_c, cued_c, _ = countries()
    return _unit_stems() | _stems_of(bare_c) | _stems_of(cued_c)


@functools.cache
def countries() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    data = load_yaml("countries.yaml")
    bare: dict[str, str] = {}
    cued: dict[str, str] = {}
    for c in data["countries"]:
        for n in c["names"]:
            bare[key_of(n)] = c["code"]
        for n in c.get("after_cue", []):
            cued[key_of(n)] = c["code"]
    return bare, cued, frozenset(key_of(w) for w in data.get("cues", []))


@functools.cache
def stop_lines() -> frozenset[str]:
    return frozenset(key_of(s) for s in load_yaml("boilerplate.yaml")["stop_lines"])


@functools.cache
def surnames() -> frozenset[str]:
    return frozenset(key_of(s) for s in load_yaml("person_names.yaml")["surnames"])


@functools.cache
def honorifics() -> frozenset[str]:
    return frozenset(key_of(s) for s in load_yaml("person_names.yaml").get("honorifics", []))


@functools.cache
def _caps_of_key() -> dict[str, tuple[bool, ...]]:
    """For each gazetteer key, which syllables the official name capitalizes."""
    out: dict[str, tuple[bool, ...]] = {}
    for k, units in index().items():
        toks = TOKEN.findall(units[0].name)
        out[k] = tuple(t[:1].isupper() or t[:1].isdigit() for t in toks)
    return out


def body_end(text: str) -> int:
    """Where the article ends: the first "related news" line of a web page, else the end of the text."""
    stops = stop_lines()
    pos = 0
    for line in text.splitlines(keepends=True):
        if len(line) < 40 and key_of(line.strip().rstrip(":")) in stops:
            return pos
        pos += len(line)
    return len(text)


class _Text:
    """The syllables of a text with what the matcher asks about them."""

    def __init__(self, text: str, limit: int) -> None:
        self.text = text
        self.spans = [(m.start(), m.end()) for m in TOKEN.finditer(text, 0, limit)]
        self.low = [text[s:e].lower() for s, e in self.spans]
        self.cap = [text[s].isupper() or text[s].isdigit() for s, _ in self.spans]
        self._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self._lower_line: dict[int, bool] = {}
        # computed once: whether syllable i and i+1 are joined, and how many syllables the joined run from i holds
        n = len(self.spans)
        self._join = [self._gap_joins(i) for i in range(n - 1)] + [False] if n else []
        self.run = [1] * n
        for i in range(n - 2, -1, -1):
            if self._join[i]:
                self.run[i] = self.run[i + 1] + 1

    def _gap_joins(self, i: int) -> bool:
        g = self.text[self.spans[i][1]:self.spans[i + 1][0]]
        return g == " " or bool(_SPACES.fullmatch(g) or _HYPHEN.fullmatch(g) or _APOSTROPHE.fullmatch(g))

    def __len__(self) -> int:
        return len(self.spans)

    def gap(self, i: int) -> str:
        """Text between syllable i and i+1."""
        return self.text[self.spans[i][1]:self.spans[i + 1][0]]

    def joined(self, i: int, dot: bool = False) -> bool:
        """Syllables i and i+1 belong to one name (spaces or a hyphen between them, no line break)."""
        if i + 1 >= len(self.spans):
            return False
        if self._join[i]:
            return True
        return dot and bool(_DOT_SPACE.fullmatch(self.gap(i)))

    def in_lower_line(self, i: int) -> bool:
        """The line holding syllable i is written in lower case (a lower-cased title or heading)."""
        line = bisect.bisect_right(self._line_starts, self.spans[i][0]) - 1
        if line not in self._lower_line:
            start = self._line_starts[line]
            end = self._line_starts[line + 1] if line + 1 < len(self._line_starts) else len(self.text)
            chunk = self.text[start:end]
            # counted with C-level maps; the letters only when the capitals leave it open
            self._lower_line[line] = sum(map(str.isupper, chunk)) <= 1 and sum(map(str.isalpha, chunk)) >= 12
        return self._lower_line[line]

    def titlecase(self, i: int) -> bool:
        s, e = self.spans[i]
        w = self.text[s:e]
        return w[:1].isupper() and (len(w) == 1 or not w[1:].isupper()) and not w[:1].isdigit()

    def sentence_start(self, i: int) -> bool:
        if i == 0:
            return True
        return bool(_SENTENCE_END.search(self.gap(i - 1)))

    def reach(self, i: int, stems: frozenset[str]) -> int:
        """How many syllables from i, joined into one name, begin some key (``stems``: every key's leading
        syllables): a key of more syllables cannot start at i, so the look-ups stop there."""
        low = self.low
        if i >= len(low) or low[i] not in stems:
            return 0
        n, top, k = 1, min(MAX_SYLLABLES, self.run[i]), low[i]
        while n < top:
            k = f"{k} {low[i + n]}"
            if k not in stems:
                break
            n += 1
        return n

    def key(self, i: int, n: int) -> str | None:
        """Key of syllables i..i+n-1 when they are joined into one name, else None."""
        if i + n > len(self.spans) or n > self.run[i]:
            return None
        return " ".join(self.low[i:i + n])

    def caps_ok(self, i: int, n: int, key: str) -> bool:
        expected = _caps_of_key().get(key)
        if expected is None or len(expected) != n:
            return all(self.cap[i:i + n])
        return all(c or not e for c, e in zip(self.cap[i:i + n], expected, strict=True))


def _cap_run(t: _Text, j: int, max_n: int = 4) -> int:
    """Length of the run of capitalized syllables from j (joined, not a kind word)."""
    n = 0
    pre = prefixes()
    while j + n < len(t) and n < max_n and t.cap[j + n] and t.low[j + n] not in pre:
        if n and not t.joined(j + n - 1):
            break
        n += 1
    return n


def _match_prefix(t: _Text, i: int, province_hint: str | None) -> tuple[Candidate, int] | None:
    pre = prefixes()
    for plen in range(t.reach(i, _prefix_stems()), 0, -1):
        pk = t.key(i, plen)
        if pk is None or pk not in pre:
            continue
        p = pre[pk]
        j = i + plen
        if j >= len(t) or not t.joined(j - 1, dot=p.dot is not None):
            continue
        if p.dot == "required" and not (t.gap(j - 1).startswith(".")
                                        and t.text[t.spans[i][0]:t.spans[j - 1][1]].isupper()):
            continue  # "Q.1", "P. Bến Nghé": a capital letter and its dot
        if p.levels == ("village",):
            got = _match_village(t, i, j, p)
        else:
            got = _match_unit_after_prefix(t, i, j, p)
        if got:
            return got
    return None


def _match_village(t: _Text, i: int, j: int, p: Prefix) -> tuple[Candidate, int] | None:
    s0 = t.spans[i][0]
    if p.name in ("number", "number_or_name") and (t.low[j].isdigit() or _ROMAN.fullmatch(t.text[t.spans[j][0]:t.spans[j][1]])):
        end_tok = j
    elif p.name in ("name", "number_or_name") and not t.cap[i] and not t.low[j].isdigit():
        n = _cap_run(t, j, 3)
        if n == 0:
            return None
        end_tok = j + n - 1
    else:
        return None
    e = t.spans[end_tok][1]
    return Candidate(s0, e, "village", prefixed=True, prefix_start=s0,
                     name=" ".join(t.text[s0:e].split())), end_tok + 1


def _match_unit_after_prefix(t: _Text, i: int, j: int, p: Prefix) -> tuple[Candidate, int] | None:
    idx = index()
    lower_line = t.in_lower_line(j)
    for n in range(t.reach(j, _unit_stems()), 0, -1):
        k = t.key(j, n)
        if k is None or k not in idx:
            continue
        units = [u for u in idx[k] if u.level in p.levels]
        if not units or (p.dot == "required" and n < 2):
            continue  # after "Q."/"P.": a number or a known name of two syllables ("Q.Anh", "P.V" sign bylines)
        # a province after "tỉnh"/"thành phố" may be written in any case; lower units need capitals or a
        # lower-cased line (where an all-lower name must not be a common word)
        if not t.caps_ok(j, n, k):
            provincial = any(u.level == "province" for u in units)
            # "huyện Thường tín": a capitalized first syllable after the kind word is the writer's casing slip
            slip = n >= 2 and t.cap[j] and not t.low[j].isdigit()
            if not (provincial or slip or (lower_line and k not in ambiguous())):
                continue
        return (Candidate(t.spans[j][0], t.spans[j + n - 1][1], _level(units, p), units, True,
                          t.spans[i][0]), j + n)
    # numbered units ("quận 1", "phường 12") keep the kind word in their name
    if t.low[j].isdigit() and p.levels != ("province",):
        k = f"{p.stands_for or t.low[i]} {t.low[j]}" if len(p.words.split()) == 1 else None
        units = [u for u in idx.get(k or "", []) if u.level in p.levels]
        e = t.spans[j][1]
        name = f"{p.stands_for} {t.low[j]}" if p.stands_for else " ".join(t.text[t.spans[i][0]:e].split())
        return Candidate(t.spans[i][0], e, p.levels[-1], units, True, t.spans[i][0], name=name), j + 1
    # a capitalized name the gazetteer lacks (renamed, merged or new unit; after "tỉnh" a foreign or former
    # province of two syllables or more: "tỉnh Svay Rieng", "tỉnh Hà Tây")
    if p.dot == "required":
        return None
    n = _cap_run(t, j)
    if "province" in p.levels and len(p.levels) == 1:
        if n < 2 or t.text[t.spans[j][0]:t.spans[j][1]] in not_names() or t.text[t.spans[j][0]:t.spans[j][1]].isupper():
            return None
        return Candidate(t.spans[j][0], t.spans[j + n - 1][1], "province", [], True, t.spans[i][0]), j + n
    if n and not (n == 1 and t.text[t.spans[j][0]:t.spans[j][1]].isupper() and len(t.low[j]) > 1):
        return Candidate(t.spans[j][0], t.spans[j + n - 1][1], p.levels[-1], [], True, t.spans[i][0]), j + n
    return None


def _level(units: list[Unit], p: Prefix) -> str:
    for lv in p.levels:
        if any(u.level == lv for u in units):
            return lv
    return p.levels[-1]


def _match_bare(t: _Text, i: int) -> tuple[Candidate, int] | None:
    longest = t.reach(i, _bare_stems())
    if not longest or (not t.cap[i] and not t.in_lower_line(i)):
        return None
    idx = index()
    bare_c, cued_c, cues = countries()
    # a capitalized syllable glued to a previous titlecased one is part of a person's or another name
    glued_before = (i > 0 and t.cap[i] and t.titlecase(i - 1) and t.joined(i - 1) and not t.sentence_start(i - 1)
                    and t.low[i - 1] not in prefixes())
    for n in range(longest, 0, -1):
        k = t.key(i, n)
        if k is None:
            continue
        code = bare_c.get(k) or (cued_c.get(k) if i > 0 and t.low[i - 1] in cues else None)
        units = idx.get(k) if k not in prefix_only() else None
        if code is None and not units:
            continue
        caps = t.caps_ok(i, n, k) if units else all(t.cap[i:i + n])
        if not caps and (not t.in_lower_line(i) or k in ambiguous()):
            continue
        if glued_before:
            return None
        if units and _after_honorific(t, i):
            return None  # "ông Hòa Bình", "Thiếu tá Tân Lập": a person
        if code:
            if _closes_organization(t.text, t.spans[i][0]):
                return None
            return Candidate(t.spans[i][0], t.spans[i + n - 1][1], "country", code=code), i + n
        # an all-capitals heading ("MỤC 1. HỢP ĐỒNG MUA BÁN", "CÁC TỘI PHÁ HOẠI HÒA BÌNH") says nothing by its
        # capitals: only a province whose name is no common word is read there without a kind word
        shouting = all(t.text[t.spans[x][0]:t.spans[x][1]].isupper() for x in range(i, i + n))
        provinces = [u for u in units if u.level == "province"]
        if shouting and (not provinces or k in ambiguous()):
            continue
        if provinces:
            return Candidate(t.spans[i][0], t.spans[i + n - 1][1], "province", provinces), i + n
        if not caps or n < 2 or t.low[i] in surnames() or k in ambiguous():
            continue
        glued_after = (i + n < len(t) and t.joined(i + n - 1) and t.titlecase(i + n)
                       and t.low[i + n] not in prefixes())
        if glued_after:
            continue
        lower = [u for u in units if u.level in ("district", "commune")]
        if lower:
            return Candidate(t.spans[i][0], t.spans[i + n - 1][1], "bare", lower), i + n
    return None


def _after_honorific(t: _Text, i: int) -> bool:
    """Syllable i follows a word that addresses or ranks a person ("ông", "đồng chí", "Đại úy")."""
    words = honorifics()
    return any(i - n >= 0 and t.joined(i - 1) and t.key(i - n, n) in words for n in (1, 2))


@functools.cache
def prefix_only() -> frozenset[str]:
    return frozenset(key_of(w) for w in load_yaml("ambiguous.yaml").get("prefix_only", []))


@functools.cache
def _organization_heads() -> tuple[re.Pattern, frozenset[str]]:
    data = load_yaml("countries.yaml")
    alts = sorted((r"\s+".join(re.escape(w) for w in h.split()) for h in data.get("organization_heads", [])),
                  key=len, reverse=True)
    rx = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE) if alts else re.compile(r"(?!)")
    return rx, frozenset(key_of(w) for w in data.get("prepositions", []))


_CLAUSE_END = re.compile(r"[,.;:()\[\]\n\"“”]")


def _closes_organization(text: str, start: int) -> bool:
    """A country name at ``start`` ends an organization's or a state's name ("Mặt trận Tổ quốc Việt Nam")."""
    before = text[max(0, start - 60):start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    before = before[cut:]
    heads, preps = _organization_heads()
    last = None
    for m in heads.finditer(before):
        last = m
    if last is None:
        return False
    between = before[last.end():].lower().split()
    return not any(w in preps for w in between)


@functools.cache
def _compounds() -> tuple[re.Pattern, re.Pattern]:
    data = load_yaml("compounds.yaml")

    def rx(items: list[str]) -> re.Pattern:
        alts = sorted((r"\s+".join(re.escape(w) for w in p.split()) for p in items), key=len, reverse=True)
        return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)

    return rx(data["always"]), rx(data["lowercase"])


def _in_compound(text: str, cand: Candidate) -> bool:
    """The kind word of a prefixed candidate is part of a common word ("văn bản Quy phạm", "xã hội an toàn")."""
    p = cand.prefix_start
    if p is None:
        return False
    lo = max(0, p - 16)
    always, lower = _compounds()
    for m in always.finditer(text, lo, min(len(text), cand.end + 24)):
        if m.start() <= p < m.end():
            return True
    for m in lower.finditer(text, lo, min(len(text), cand.end + 24)):
        name = text[cand.start:cand.end]
        # "xã hội an toàn" is a common word; so is "KINH TẾ - XÃ HỘI" in a heading, whose capitals say nothing
        if m.start() <= p < m.end() and (name == name.lower() or (name.isupper() and text[p:cand.start].isupper())):
            return True
    return False


@functools.cache
def not_names() -> frozenset[str]:
    return frozenset(load_yaml("levels.yaml").get("not_names", []))


def _alt(items) -> str:
    return "|".join(sorted((r"\s+".join(re.escape(x) for x in str(i).split()) for i in items), key=len, reverse=True))


@functools.cache
def _list_grammar() -> tuple[re.Pattern, re.Pattern, dict[str, str]]:
    data = load_yaml("levels.yaml")["lists"]
    opener = rf"(?P<opener>{_alt(data['openers'])})" + ("?" if data.get("unopened") else "")
    head = re.compile(rf"(?<!\w)(?:{_alt(data['quantifiers'])}|\d{{1,3}})\s+(?P<kind>{_alt(data['kinds'])})"
                      rf"[ \t]*{opener}[ \t]*", re.IGNORECASE)
    joiner = re.compile(rf"[ \t]*(?:{_alt(data['joiners'])})[ \t]*")
    return head, joiner, {key_of(k): v for k, v in data["kinds"].items()}


_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ‘][^\W\d_]+)*")


def _list_items(text: str, limit: int) -> list[Candidate]:
    """The units of a list after a plural kind word: "các xã: Mường So, Nậm Xe và Khổng Lào"."""
    head, joiner, kinds = _list_grammar()
    idx = index()
    pre = prefixes()
    out: list[Candidate] = []
    for h in head.finditer(text, 0, limit):
        level = kinds[key_of(h.group("kind"))]
        known_only = h.group("opener") is None   # "các huyện Hương Khê, Vũ Quang": gazetteer names only
        pos = h.end()
        while pos < limit:
            words: list[re.Match] = []
            p = pos
            while len(words) < 4 and (w := _WORD.match(text, p)) and w.group()[0].isupper():
                words.append(w)
                p = w.end()
                if not re.match(r"[ \t]\S", text[p:p + 2]):
                    break
                p += 1
            if not words:
                break
            s, e = words[0].start(), words[-1].end()
            units = [u for u in idx.get(key_of(text[s:e]), []) if u.level == level]
            # an unknown name must look like one: not a kind or agency word, nor a single capitalized word
            if not units and (known_only or len(words) < 2 or key_of(words[0].group()) in pre
                              or words[0].group() in not_names()):
                break
            out.append(Candidate(s, e, level, units, True))
            j = joiner.match(text, e)
            if j is None or j.end() == e:
                break
            pos = j.end()
    return out


def _coordinated(text: str, cand: Candidate) -> Candidate | None:
    """"tỉnh Pray Veng và Svay Rieng": a second unknown province joined to a first one."""
    m = re.compile(r"[ \t]+và[ \t]+((?:[^\W\d_]+[ \t]){1,3}[^\W\d_]+)(?!\w)").match(text, cand.end)
    if m is None:
        return None
    words = m.group(1).split()
    if not all(w[0].isupper() for w in words) or words[0] in not_names() or key_of(m.group(1)) in index():
        return None
    return Candidate(m.start(1), m.end(1), "province", [], True, None)


def find_candidates(text: str, ctx: Context) -> list[Candidate]:
    limit = body_end(text)
    t = _Text(text, limit)
    out: list[Candidate] = []
    i = 0
    while i < len(t):
        got = _match_prefix(t, i, ctx.province) or _match_bare(t, i)
        if got and _in_compound(text, got[0]):
            got = None
        if got:
            cand, i = got
            out.append(cand)
            if cand.level == "province" and not cand.units and (co := _coordinated(text, cand)):
                out.append(co)
                while i < len(t) and t.spans[i][0] < co.end:
                    i += 1
        else:
            i += 1
    items = _list_items(text, limit)
    if items:
        out = [c for c in out if not any(c.start < x.end and x.start < c.end for x in items)] + items
        out.sort(key=lambda c: c.start)
    return out
