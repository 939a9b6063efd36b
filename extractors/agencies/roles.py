"""The role an agency plays in the clause it stands in (ANNOTATION.md §4): lead, support, assignee, issuer, mentioned.

Agencies written as a list ("Sở Y tế, Sở Tài chính và Công an tỉnh chủ trì") share the role of the list.
"""

from __future__ import annotations

import re

from extractors.agencies.data import ROLES

_BOUNDARY = re.compile(r"[.;!?\n]")
_TOKEN = 16          # the longest bullet or numbering token before an agency at the start of a line ("1.2.3.")
_LINE_WINDOW = 600   # how far the rest of a line is read for a task's wording ("- Sở Y tế: chủ trì ...")
_BULLET_START = re.compile(
    r"^[ \t]*(?:(?:" + "|".join(re.escape(b) for b in ROLES["bullets"]) + r")|\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}[.)]|[a-zđ]\)|[IVX]{1,4}\.)?[ \t]*$"
)


def _words(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(words, key=len, reverse=True))


# a position title between list items or after "của": "Giám đốc Sở Y tế", "của Bộ trưởng Bộ Tài chính"
_TITLE = rf"(?:(?:{_words(ROLES['titles'])})[ \t]+)"
# "Sở Nội vụ (Ban Thi đua - Khen thưởng)": the office in brackets acts with the body before it
_JOIN = re.compile(rf"^[ \t]*(?:,|;|và|,[ \t]*và|&|-|–|\()?[ \t]*{_TITLE}?$", re.IGNORECASE)
_EXECUTION = re.compile(rf"(?<!\w)(?:{_words(ROLES['execution'])})(?!\w)", re.IGNORECASE)
_DIRECTIVE = re.compile(rf"^[ \t]*(?:{_words(ROLES['directive_verbs'])})(?!\w)", re.IGNORECASE)
_HEADING_END = re.compile(r"^[ \t]*:[ \t]*$")
_NEXT_LINE_BULLET = re.compile(r"^[ \t]*(?:[-+•*–]|\d{1,2}[.)]|[a-zđ]\))?[ \t]*")


_ADVERBS = re.compile(rf"^(?:[ \t,]*(?:\([^()\n]{{1,20}}\)|(?:{_words(ROLES['adverbs'])})(?!\w)))+", re.IGNORECASE)
_AFTER = {role: re.compile(rf"^[ \t,:\-–)]*(?:{_words(ws)})(?!\w)", re.IGNORECASE)
          for role, ws in ROLES["after"].items()}
_ISSUE_DOC = re.compile(
    rf"^[ \t,]*(?:{_words(ROLES['issue_verbs'])})[ \t]+(?:\w+[ \t]+){{0,2}}?(?:{_words(ROLES['document_words'])})(?!\w)",
    re.IGNORECASE)
_AT_DOC = re.compile(rf"^[ \t,]*tại[ \t]+(?:{_words(ROLES['document_words'])})(?!\w)", re.IGNORECASE)
_BEFORE = {role: re.compile(rf"(?<!\w)(?:{_words(ws)})[ \t]*:?[ \t]*{_TITLE}?$", re.IGNORECASE)
           for role, ws in ROLES["before"].items()}
_DOC_CONTEXT = re.compile(rf"(?:{_words(ROLES['document_words'])})(?!\w)|\d+[-/][\w\-/]+", re.IGNORECASE)
_SUBJECTLESS_LEAD = re.compile(rf"(?:^|[.;:][ \t]*)(?:{_words(ROLES['subjectless']['lead'])})(?!\w)", re.IGNORECASE)
_SUBJECTLESS_SUPPORT = re.compile(rf"(?:{_words(ROLES['subjectless']['support'])})(?!\w)", re.IGNORECASE)
_ASSIGNEE_ADVERB = re.compile(r"(?:có|chịu)[ \t]+trách[ \t]+nhiệm", re.IGNORECASE)


def assign_roles(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The role of every agency at ``spans`` (sorted), lists sharing the role of the list."""
    roles: list[str] = ["mentioned"] * len(spans)
    for group in chains(spans, text):
        start, end = spans[group[0]][0], spans[group[-1]][1]
        role = role_of(text, start, end)
        if role == "mentioned" and _EXECUTION.search(_sentence_after(text, end)):
            role = "assignee"  # "Chánh Văn phòng UBND tỉnh, Giám đốc Sở ... chịu trách nhiệm thi hành Quyết định này"
        for i in group:
            roles[i] = role
    return roles


def _sentence_after(text: str, end: int) -> str:
    seg = text[end:end + 400]
    m = re.search(r"[.!?\n]", seg)
    return seg[:m.start()] if m else seg


def chains(spans: list[tuple[int, int]], text: str) -> list[list[int]]:
    """Indexes of agencies grouped into written lists."""
    groups: list[list[int]] = []
    for i, (s, _e) in enumerate(spans):
        if groups and _JOIN.match(text[spans[groups[-1][-1]][1]:s]):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _clause_before(text: str, start: int) -> tuple[str, int]:
    lo = max(0, start - 160)
    seg = text[lo:start]
    cut = max((m.end() for m in _BOUNDARY.finditer(seg)), default=0)
    return seg[cut:], lo + cut


def _clause_after(text: str, end: int) -> str:
    seg = text[end:end + 160]
    m = _BOUNDARY.search(seg)
    return seg[:m.start()] if m else seg


def role_of(text: str, start: int, end: int) -> str:
    """The role of the agency (or list of agencies) written at ``text[start:end]``."""
    after = _clause_after(text, end)
    adv = _ADVERBS.match(after)
    rest = after[adv.end():] if adv else after
    before, before_start = _clause_before(text, start)
    # "phối hợp với Ngân hàng ... triển khai các chương trình": the partner of a task, not the author of a document
    partner = bool(_BEFORE["support"].search(before))
    if _AFTER["issuer"].match(rest) or (_ISSUE_DOC.match(rest) and not partner) or _AT_DOC.match(after):
        return "issuer"
    if _AFTER["lead"].match(rest):
        return "lead"
    if _AFTER["support"].match(rest):
        return "support"
    if _BEFORE["issuer"].search(before) and _DOC_CONTEXT.search(before):
        return "issuer"
    if _BEFORE["support"].search(before):
        return "support"
    if _BEFORE["assignee"].search(before):
        return "assignee"
    prefix = _line_prefix(text, start)
    at_line_start = prefix is not None and bool(_BULLET_START.match(prefix))
    if at_line_start:
        line_rest, line_end = _line_rest(text, end)
        if _SUBJECTLESS_LEAD.search(line_rest):
            return "lead"
        if _DIRECTIVE.match(rest) and not prefix.strip():
            return "issuer"  # the author speaking in its own document: "Ủy ban nhân dân quận yêu cầu ..."
        if line_end >= 0 and _HEADING_END.match(line_rest):
            # a task heading ("4. Sở Tài chính:"): its tasks follow on the next line
            nxt, _ = _line_rest(text, line_end + 1)
            bullet = _NEXT_LINE_BULLET.match(nxt)
            first = nxt[bullet.end() if bullet else 0:]
            if _SUBJECTLESS_LEAD.match(first):
                return "lead"
            return "support" if _SUBJECTLESS_SUPPORT.match(first) else "assignee"
    if _AFTER["assignee"].match(rest) or (adv and _ASSIGNEE_ADVERB.search(adv.group(0))):
        return "assignee"
    if at_line_start and prefix.strip():
        return "assignee"
    return "mentioned"


def _line_prefix(text: str, start: int) -> str | None:
    """What stands between the start of the line and ``start`` when it can be a bullet (blanks, one short token,
    blanks), else None. Only that much is looked at, never the whole line: a document on one huge line costs
    no more per agency than one with short lines."""
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    j = i
    while j > 0 and i - j < _TOKEN and text[j - 1] not in " \t\n":
        j -= 1
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    return text[j:start] if j == 0 or text[j - 1] == "\n" else None


def _line_rest(text: str, pos: int) -> tuple[str, int]:
    """The rest of the line from ``pos`` (at most the clause window) and where the line ends (-1: not within it)."""
    line_end = text.find("\n", pos, pos + _LINE_WINDOW)
    return text[pos: line_end if line_end >= 0 else pos + _LINE_WINDOW], line_end
