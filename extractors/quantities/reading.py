"""Reading one number where the master regex found it: its value, what qualifies it, and whether it counts at all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractors import numbers as num
from extractors.context import Context
from extractors.quantities.lexicon import Lexicon, Unit

_LINE_START = re.compile(r"(?:^|\n)[ \t]*(?:[-+*•][ \t]*)?[\"“‘']?(?:[a-zđ][.)][ \t]*)?$")
_SECTION = re.compile(r"\d+(?:\.\d+)+\.?")
_SPACED_MARK = re.compile(r"[ \t][.)](?:[ \t]|$)", re.MULTILINE)
_LETTERS_BEFORE = re.compile(r"([^\W\d_]+)$")
_FILE_EXT = re.compile(r"\.[A-Za-z]{2,4}(?![^\W\d_])")
_CLOCK = re.compile(r"[:hg]\d{2}(?!\d)")
_LABEL_LETTER = re.compile(r"[ \t]?[A-Z](?![^\W\d_])")
_NONSPACE = re.compile(r"\S")
_OPEN = "(\"'“‘[:;,-–"
_CLOSE = ".,;:)\"'”’]!?…"
_TOKEN = re.compile(r"\S+")
_BLANK = re.compile(r"[ \t]+")
_UPPER_AFTER = re.compile(r"[ \t]+[^\W\d_]")
_YEAR_AFTER = re.compile(r"[ \t]+\d{4}(?!\d)")
_SPACE_WORD = re.compile(r"[ \t]+([^\W\d_]+)")
_SENTENCE_END = re.compile(r"[.;!?\n](?!\d)")
_DIGITS_ONLY = re.compile(r"\d+")
_PHONE = re.compile(r"0\d{8,}")
_LETTER = re.compile(r"[^\W\d_]")
_NEG = re.compile(r"(?:^|(?<=[\s(]))(?:-|(?:âm)[ \t]+)$", re.IGNORECASE)
_CENTS_AND = re.compile(r"[ \t]+(?:và[ \t]+)?")
_YEAR_DIGITS = re.compile(r"\d{4}")
_WINDOW = 48


@dataclass
class Found:
    start: int
    end: int
    value: Decimal
    unit: str | None = None
    denominator: Decimal | None = None
    comparator: str | None = None
    value_max: Decimal | None = None
    change: str | None = None
    from_start: bool = False   # "từ N" read as a minimum, undone when a range or a new level follows


@dataclass
class _Num:
    start: int
    end: int
    value: Decimal
    words: bool          # written in words
    scaled: bool         # a scale word (nghìn, triệu, tỷ) or suffix (K, M) applied
    tokens: int = 1
    structured: bool = False


def _words_value(text: str, start: int, end: int) -> tuple[Decimal, int, int, bool] | None:
    """Longest number at the start of the word phrase text[start:end] → (value, end offset, tokens, structured)."""
    spans = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    toks = [text[s:e].lower() for s, e in spans]
    got = num.parse_words(toks)
    if got is None:
        return None
    value, used = got
    used_toks = toks[:used]
    structured = any(t in num.TEN or t in num.TENS or t in num.HUNDRED or t in num.SCALES for t in used_toks)
    return value, spans[used - 1][1], used, structured


def _number_at(text: str, pos: int, lx: Lexicon, allow_words: bool = True) -> _Num | None:
    """A number starting exactly at ``pos`` (digits or words), with its spoken decimal and scale words."""
    m = lx.number.match(text, pos)
    if m is None:
        return None
    if m.group("d") is not None:
        raw = m.group("d")
        v = num.parse_digits(raw)
        if v is None:
            return None
        n = _Num(m.start("d"), m.end(), v, False, False)
        letter = text[n.end:n.end + 1]
        suffix = num.DIGIT_SUFFIXES.get(letter)
        if letter in num.INTEGER_SUFFIX_NOT and "," not in raw:
            suffix = None
        if suffix and not _LETTER.match(text, n.end + 1):
            n.value, n.end, n.scaled = n.value * suffix, n.end + 1, True
    else:
        if not allow_words:
            return None
        got = _words_value(text, m.start(), m.end())
        if got is None:
            return None
        v, end, used, structured = got
        n = _Num(m.start(), end, v, True, any(text[m.start():end].lower().endswith(s) for s in num.SCALES), used,
                 structured)
    dec = lx.spoken_decimal.match(text, n.end)
    if dec is not None and n.value == n.value.to_integral_value():
        if dec.group(1):
            n.value, n.end = num.with_fraction(n.value, dec.group(1)) or n.value, dec.end()
        else:
            frac = num.parse_word_phrase(dec.group(2))
            if frac is not None and frac < 10:
                n.value, n.end = num.with_fraction(n.value, str(int(frac))) or n.value, dec.end()
    sc = lx.scale_tail.match(text, n.end)
    if sc is not None and not n.words:
        factor = Decimal(1)
        for w in sc.group(0).split():
            factor *= num.SCALES[w.lower()]
        n.value, n.end, n.scaled = num.DEC.multiply(n.value, factor), sc.end(), True
    return n


def _unit_at(text: str, pos: int, lx: Lexicon, ctx: Context, words: str | None) -> tuple[Unit, int] | None:
    best: tuple[Unit, int] | None = None
    for pat in (lx.unit_cs, lx.unit_ci):
        m = pat.match(text, pos)
        if m is None:
            continue
        form = m.group(1)
        u = lx.units.get(form) or lx.units.get(form.lower())
        if u is None:
            continue
        if best is None or m.end() > best[1]:
            best = (u, m.end())
    if best is None:
        return None
    u, end = best
    if ctx.is_taken(pos, end):
        return None
    nxt = _SPACE_WORD.match(text, end)
    if nxt is not None and nxt.group(1).lower() in u.not_before:
        return None
    if u.time and words is not None and words.lower() in num.DIGITS and num.DIGITS[words.lower()] == 5:
        return None  # "năm tháng", "năm năm": not five months
    return u, end


def _clean_edges(text: str, start: int, end: int) -> bool:
    left = text[start - 1] if start else " "
    right = text[end] if end < len(text) else " "
    after = text[end + 1] if end + 1 < len(text) else " "
    return (left.isspace() or left in _OPEN) and (right.isspace() or right in _CLOSE
                                                  or (right in "-–" and after.isspace()))


def _time_taken_after(text: str, pos: int, lx: Lexicon, ctx: Context) -> bool:
    m = lx.unit_ci.match(text, pos)
    if m is None:
        return False
    u = lx.units.get(m.group(1).lower())
    return u is not None and u.time and ctx.is_taken(m.start(1), m.end())


def _cue_before(text: str, start: int, lx: Lexicon) -> tuple[str, str, int, bool] | None:
    """The cue word right before ``start``: (role, value, where it starts, whether ':' or 'là' follows it).

    The last few words are looked up in a dictionary, longest first (a regex over the window is much slower)."""
    lo = max(0, start - _WINDOW)
    nl = text.rfind("\n", lo, start)
    if nl >= 0:
        lo = nl + 1
    spans = [(m.start() + lo, m.end() + lo) for m in _TOKEN.finditer(text[lo:start])]
    if not spans:
        return None
    sep = False
    last_s, last_e = spans[-1]
    if text[last_e - 1] == ":" and last_e - last_s > 1:
        spans[-1] = (last_s, last_e - 1)
        sep = True
    elif text[last_s:last_e] == ":" or text[last_s:last_e].lower() == "là":
        spans.pop()
        sep = True
        if spans and text[spans[-1][1] - 1] == ":":
            spans[-1] = (spans[-1][0], spans[-1][1] - 1)
    for k in range(min(lx.cue_words, len(spans)), 0, -1):
        part = spans[-k:]
        first_s, _ = part[0]
        # the first word may carry an opening mark: "(trên 10%", "“hơn 5"
        while first_s < part[0][1] and not text[first_s].isalnum() and text[first_s] not in "#":
            first_s += 1
        phrase = " ".join([text[first_s:part[0][1]], *(text[a:b] for a, b in part[1:])]).lower()
        kind = lx.before_kind.get(phrase)
        if kind is not None:
            return kind[0], kind[1], first_s, sep
    return None


def change_before_multiple(text: str, start: int, lx: Lexicon) -> tuple[str, int] | None:
    """``tăng gấp 3 lần``, ``giảm gấp đôi``: the change word before the multiple's lead (cues.yaml multiples) that
    ends right before ``start``, as (direction, where the change word starts)."""
    lead = lx.multiple_before.search(text, max(0, start - 12), start)
    if lead is None:
        return None
    cue = _cue_before(text, lead.start(), lx)
    if cue is None or cue[0] != "change" or cue[3]:
        return None
    return cue[1], cue[2]


def _money_context(text: str, start: int, end: int, lx: Lexicon) -> bool:
    lo = max(0, start - 200)
    hi = min(len(text), end + 120)
    window_start = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        window_start = m.end()
    m2 = _SENTENCE_END.search(text, end, hi)
    window_end = m2.start() if m2 else hi
    return lx.money_context.search(text, window_start, window_end) is not None


def _rejected_digits(text: str, n: _Num, lx: Lexicon) -> bool:
    s, e = n.start, n.end
    before = text[s - 1] if s else " "
    if before.isalpha():  # khoảng1.230 (a missing space) is read; H5N1, QL1A, m2 are not
        word = _LETTERS_BEFORE.search(text, max(0, s - 12), s)
        w = word.group(1) if word else ""
        if w.lower() not in lx.before_kind and w not in lx.units and w.lower() not in lx.units:
            return True
    if s >= 1 and text[s - 1] == ":" and s >= 2 and text[s - 2].isdigit():
        return True  # 10:13:21
    if _CLOCK.match(text, e) or _FILE_EXT.match(text, e) or _LABEL_LETTER.fullmatch(text[e:e + 2]) and \
            not _LETTER.match(text, e + 2):
        return True
    if before == "/" or (before in ".," and s >= 2 and text[s - 2].isdigit()):
        return True
    if before == "-" and s >= 2 and text[s - 2].isalnum():
        return True  # KH-123, COVID-19
    raw = text[s:e]
    if _PHONE.fullmatch(raw.replace(".", "").replace(" ", "")) and "," not in raw:
        return True
    after = text[e:e + 2]
    if after[:1] == "/" and _LETTER.match(after[1:2] or " "):
        return True  # 77/KH-UBND not claimed as a reference
    return False


def _is_list_number(text: str, n: _Num) -> bool:
    if not _LINE_START.search(text, max(0, n.start - 12), n.start):
        return False
    if text[n.end:n.end + 1] in (".", ")") or _SPACED_MARK.match(text, n.end):
        return True  # 1. · 2) · "1 . Văn bản" (tokenized text: a space before the mark)
    # 2.1 Phòng Y tế: a section number
    return bool(_SECTION.fullmatch(text, n.start, n.end) and (up := _UPPER_AFTER.match(text, n.end))
                and up.group(0).strip()[0].isupper())


@dataclass
class State:
    found: list[Found] = field(default_factory=list)
    blocked_end: int = -1      # where the last number read as a label ended (lần thứ 3 và 4: 4 is one too)


def restatement_end(text: str, m: re.Match, lx: Lexicon, state: State) -> int | None:
    """Where a number in words restating the amount before it ends: 76.699.000.000đ (bảy mươi sáu tỷ, ...)."""
    if m.group("w") is None:
        return None
    got = _words_value(text, m.start(), m.end())
    if got is None or not got[3]:
        return None
    r = lx.restatement.search(text, max(0, m.start() - 16), m.start())
    if r is None:
        return None
    if r.group(0).startswith("(") and not (state.found and 0 <= r.start() - state.found[-1].end <= 1):
        return None
    close = text.find(")", m.start(), m.start() + 400)
    nl = text.find("\n", m.start())
    ends = [e for e in (close, nl) if e >= 0]
    return min(ends) if ends else len(text)


def read_at(text: str, m: re.Match, ctx: Context, lx: Lexicon, state: State) -> Found | None:
    """The quantity whose number the master regex found at ``m``, or None when it is no quantity."""
    if ctx.is_taken(m.start(), m.end()):
        return None
    n = _number_at(text, m.start(), lx)
    if n is None or ctx.is_taken(n.start, n.end):
        return None
    if not n.words and (_rejected_digits(text, n, lx) or _is_list_number(text, n)):
        return None
    if not n.words and text[n.start - 1:n.start] == "(" and text[n.end:n.end + 1] == ")":
        return None  # (1), (2): list markers
    words = text[n.start:n.end] if n.words else None
    q = Found(n.start, n.end, n.value)
    # --- left: sign, cue
    neg = _NEG.search(text, max(0, n.start - 4), n.start)
    if neg is not None and not n.words and (neg.group(0) != "-" or text[n.start - 1] == "-"):
        if neg.group(0).strip() == "-" and n.start >= 2 and text[n.start - 2:n.start - 1].isdigit():
            neg = None
        if neg is not None:
            q.value, q.start = -q.value, neg.start()
    prefix_money = lx.prefix_money.search(text, max(0, n.start - 6), n.start) if not n.words else None
    if prefix_money is not None:
        q.start = min(q.start, prefix_money.start())
    cue = _cue_before(text, q.start, lx)
    range_start = None
    blocked = chained = False
    if state.blocked_end >= 0 and (lx.distributor.fullmatch(text, state.blocked_end, n.start)
                                   or _BLANK.fullmatch(text, state.blocked_end, n.start)):
        blocked = chained = True  # lần thứ 3 và 4 · chương trình 134, 135 · hotline 1900 1234
    if cue is not None:
        role, value, cue_start, sep = cue
        if role == "none":
            cue = None
        elif role == "block":
            blocked, chained = True, False
        if role == "vague" and (n.words or text[cue_start:q.start].strip().lower() != "mỗi"):
            return None
        if role == "soft":
            cue = ("soft", "", cue_start, sep)
        elif role == "cmp":
            q.comparator, q.start = value, cue_start
            inner = _cue_before(text, cue_start, lx)
            if inner is not None and inner[0] == "change":
                q.change, q.start = inner[1], inner[2]
        elif role == "change":
            q.change, q.start = value, cue_start
        elif role == "range":
            range_start = text[cue_start:q.start].strip().lower()
            q.start = cue_start
            inner = _cue_before(text, cue_start, lx)
            if inner is not None and inner[0] == "change":
                q.change, q.start = inner[1], inner[2]
            elif inner is not None and inner[0] == "cmp":
                q.comparator, q.start = inner[1], inner[2]
    # --- right: range before the unit (80-85%, từ 3 đến 5 tỷ, giữa 1,1 và 1,3 đô la)
    end = n.end
    lone_word = n.words and n.tokens == 1 and range_start is None
    high = None if lone_word else _range_after(text, n, lx, ctx, range_start)
    if high is not None:
        if high.scaled and not n.scaled and high.value > 0:
            scale = _scale_of(text, high)
            q.value *= scale
        if high.value > q.value:
            q.value_max, end = high.value, high.end
            n_scaled = n.scaled or high.scaled
        else:
            high = None
            n_scaled = n.scaled
    else:
        n_scaled = n.scaled
    # --- ratio: 27/27 xã, 18/142 xã
    if high is None and text[end:end + 1] == "/":
        den = _number_at(text, end + 1, lx, allow_words=False)
        if den is not None and den.start == end + 1:
            if text[den.end:den.end + 1] == "/" or ctx.is_taken(den.start, den.end):
                return None  # a date: 7/4/2022
            q.denominator, end = den.value, den.end
    # --- the unit
    got = _unit_at(text, end, lx, ctx, words)
    unit: Unit | None = None
    if got is not None:
        unit, end = got
        q.unit = unit.unit
    elif prefix_money is not None:
        form = prefix_money.group(1)
        u = lx.units.get(form) or lx.units.get(form.lower())
        if u is not None:
            unit, q.unit = u, u.unit
    if q.unit is None and high is None and q.denominator is None \
            and lx.multiple_before.search(text, max(0, q.start - 12), q.start):
        q.unit = lx.multiple_unit  # tăng gấp 3 so với năm 2015: "lần" implied
    if q.change is None and cue is None and (ch := change_before_multiple(text, q.start, lx)) is not None:
        q.change, q.start = ch  # tăng gấp 3 lần: the change word before "gấp" gives the direction
    duration_end = end
    if unit is not None and unit.money:
        end, q.value = _cents(text, end, q.value, lx, ctx)
    if unit is not None and high is None and range_start is not None:
        high2 = _range_after(text, _Num(end, end, q.value, False, False), lx, ctx, range_start)
        if high2 is not None and high2.value > q.value:
            u2 = _unit_at(text, high2.end, lx, ctx, None)
            if u2 is None or u2[0].unit == unit.unit:
                q.value_max, end = high2.value, (u2[1] if u2 else high2.end)
                high = high2
    if unit is None and n_scaled and _money_context(text, q.start, end, lx):
        q.unit = "đồng"
    # --- ratio written after the unit: 4.391,5 ha/4.302,19
    if q.denominator is None and unit is not None and text[end:end + 1] == "/":
        den = _number_at(text, end + 1, lx, allow_words=False)
        if den is not None and _unit_at(text, den.end, lx, ctx, None) is None and not ctx.is_taken(den.start, den.end) \
                and not _rate_base(text, end, den, lx):
            q.denominator, end = den.value, den.end
    # per-unit tails: đồng / người / tháng, triệu đồng/1 ha
    if unit is not None:
        for _ in range(3):
            pu = lx.per_unit.match(text, end)
            if pu is None or ctx.is_taken(pu.start(), pu.end()):
                break
            end = pu.end()
            whole = _unit_at(text, pu.start("word"), lx, ctx, None)  # 110 bé trai/100 bé gái: the whole measure word
            if whole is not None and whole[1] > end:
                end = whole[1]
    sfx = lx.suffix_cmp.match(text, end)
    if sfx is not None:
        q.comparator, end = lx.suffix_cmp_kind[sfx.group(1).lower()], sfx.end()
    elif range_start is not None and high is None and q.comparator is None and range_start in lx.range_start_alone:
        q.comparator, q.from_start = lx.range_start_alone[range_start], True
    q.end = end
    # a label (Điều 2, tổ 8) takes no unit; "căn hộ: 4 phòng", "đường 20.000 đồng" are counts all the same
    # a number after a label's list is a count all the same when a counted noun follows: mức độ 1, 12 trường
    if blocked and not (unit is not None and (unit.money or unit.unit == "%" or (cue is not None and cue[3])
                                              or (chained and not unit.time))):
        state.blocked_end = n.end
        return None
    if _not_a_quantity(text, n, q, unit, cue, lx, ctx, duration_end):
        return None
    # a comparator said once covers a list: khoảng 85 HTX và 6.600 tổ hợp tác
    if q.comparator is None and state.found:
        prev = state.found[-1]
        if prev.comparator and prev.end <= q.start and lx.shared_cmp.fullmatch(text, prev.end, q.start):
            q.comparator = prev.comparator
    return q


def _not_a_quantity(text: str, n: _Num, q: Found, unit: Unit | None, cue, lx: Lexicon, ctx: Context,
                    duration_end: int) -> bool:
    if lx.block_after.match(text, q.end) or (q.unit is None and lx.date_after.match(text, n.end)):
        return True
    if q.end < len(text) and text[q.end].isalnum() and not n.words:
        return True  # 5%5%, 12kgx: glued to what follows
    if q.unit is None and not n.words and not _clean_edges(text, q.start, q.end):
        return True  # 1a, #12@: glued to letters or symbols, an identifier or noise
    if q.unit is None and (_FILE_EXT.match(text, q.end) or _time_taken_after(text, n.end, lx, ctx)):
        return True  # 33-858.jpg · 6 [tháng cuối năm 2023], 5 [năm 2011-2015]: part of a file name or a date
    if unit is not None and unit.time:
        if lx.time_after.match(text, duration_end) or lx.date_after.match(text, duration_end) \
                or _YEAR_AFTER.match(text, duration_end):
            return True  # 3 năm qua, sau 10 ngày kể từ, 31 tháng 5: a period or a date, not an amount
        up = _UPPER_AFTER.match(text, duration_end)
        if up is not None and up.group(0).strip()[0].isupper():
            return True  # 85 năm Ngày Bác Hồ về nước, 23 tháng Chạp
        if lx.plan_before.search(text, max(0, n.start - 80), n.start):
            return True  # kế hoạch phát triển kinh tế - xã hội 5 năm
    if q.unit is None and q.denominator is not None and q.denominator <= 12 and q.value <= 31:
        return True  # 27/1, 26/6: a day and month
    if q.denominator is not None and 1 <= q.value <= 12 and _YEAR_DIGITS.fullmatch(text, n.end + 1, n.end + 5) \
            and 1900 <= q.denominator <= 2100:
        return True  # tháng 6, 7/2024: a month and year
    raw = text[n.start:n.end]
    if q.unit is None and q.comparator is None and not n.words and len(raw) == 4 and raw.isdigit() \
            and 1900 <= int(raw) <= 2100:
        return True  # a year the dates extractor left
    if q.unit is not None and not (unit is not None and unit.money) and q.comparator is None and q.change is None \
            and q.value_max is None and not n.words and len(raw) == 4 and raw.isdigit() and 1900 <= int(raw) <= 2100 \
            and lx.year_before.search(text, max(0, n.start - 16), n.start):
        return True  # Đến 2030 hộ nghèo giảm: a year, then the subject of the sentence
    if n.words:
        whole = _NONSPACE.search(text, 0, n.start) is None and _NONSPACE.search(text, n.end) is None
        toks = text[n.start:n.end].lower().split()
        if whole:
            return False
        if toks[0] in num.SCALES or all(t in num.SCALES or t in num.HUNDRED for t in toks):
            return True  # a bare "tỷ", "trăm", "triệu năm": the digits before it were not a quantity
        if not (q.unit is not None or (n.structured and n.tokens > 1)):
            return True
        if n.tokens == 1 and toks[0] in lx.ambiguous and q.unit not in lx.lone_units and \
                not (unit is not None and unit.money):
            return True  # một = "a", năm = "year", không = "not"
    if cue is not None and cue[0] == "soft" and q.unit is None:
        return True  # Đề án số 318: a label, not a count
    return False


def _scale_of(text: str, n: _Num) -> Decimal:
    """The factor that the scale words or suffix of ``n`` applied (5 tỷ → 1e9)."""
    m = re.search(r"(?:[ \t]*(?:" + "|".join(num.SCALES) + r"))+$", text[n.start:n.end], re.IGNORECASE)
    if m is None:
        suf = num.DIGIT_SUFFIXES.get(text[n.end - 1:n.end])
        return Decimal(suf or 1)
    factor = Decimal(1)
    for w in m.group(0).split():
        factor *= num.SCALES[w.lower()]
    return factor


def _range_after(text: str, n: _Num, lx: Lexicon, ctx: Context, range_start: str | None) -> _Num | None:
    pat = lx.between_conn if range_start == "giữa" else lx.range_conn
    c = pat.match(text, n.end)
    if c is None:
        return None
    high = _number_at(text, c.end(), lx)
    if high is None or ctx.is_taken(high.start, high.end):
        return None
    if high.words and not high.structured and high.tokens == 1 and range_start is None:
        return None
    if text[high.end:high.end + 1] == "/" and text[high.end + 1:high.end + 2].isdigit():
        return None
    return high


def _rate_base(text: str, slash: int, den: _Num, lx: Lexicon) -> bool:
    """``/100.000 dân``, ``/1 vạn dân``: a power of ten and a word after the slash are the base of a rate, no fraction."""
    pu = lx.per_unit.match(text, slash)
    if pu is None or pu.group("base") is None:
        return False
    v = den.value
    return v >= 1 and v == v.to_integral_value() and str(int(v)).rstrip("0") == "1"


def _cents(text: str, end: int, value: Decimal, lx: Lexicon, ctx: Context) -> tuple[int, Decimal]:
    """2 đô la và 23 xen · 2 đô 23 xu · hai đô 23 (at the end of the phrase)."""
    if value != value.to_integral_value():
        return end, value
    sep = _CENTS_AND.match(text, end)
    if sep is None:
        return end, value
    c = _number_at(text, sep.end(), lx)
    if c is None or c.value >= 100 or c.value != c.value.to_integral_value() or ctx.is_taken(c.start, c.end):
        return end, value
    u = _unit_at(text, c.end, lx, ctx, None)
    if u is not None and u[0].cents:
        return u[1], value + c.value / 100
    if u is None and not c.words and "và" not in text[end:sep.end()] and \
            not _LETTER.search(text[c.end:c.end + 2]) and _DIGITS_ONLY.fullmatch(text[c.start:c.end]):
        return c.end, value + c.value / 100
    return end, value
