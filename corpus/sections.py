"""Sections: numbered headings (I., 1., 2.1., a), Điều 1., Chương II) and upper-case headings of the body, as a
tree whose spans index Document.text. A section ends where the next heading of the same or a higher level
starts. The kinds of headings are data (``section_patterns.yaml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from corpus.model import Section

PATTERNS = Path(__file__).resolve().parent / "section_patterns.yaml"


@dataclass(frozen=True)
class _Kinds:
    kinds: list[tuple[str, re.Pattern[str] | None]]
    upper_max: int
    upper_not: list[re.Pattern[str]]
    title_max: int
    roman_lower_letters: str
    roman_lower_not_marks: str


@lru_cache
def kinds() -> _Kinds:
    d = yaml.safe_load(PATTERNS.read_text(encoding="utf-8"))
    return _Kinds(
        kinds=[(k["name"], re.compile(k["pattern"], re.I) if k["pattern"] else None) for k in d["kinds"]],
        upper_max=d["upper_max_chars"],
        upper_not=[re.compile(p, re.I) for p in d["upper_not"]],
        title_max=d["title_max_chars"],
        roman_lower_letters=d["roman_lower_letters"],
        roman_lower_not_marks=d["roman_lower_not_marks"],
    )


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _title(rest: str, limit: int) -> str:
    rest = rest.strip()
    if len(rest) <= limit:
        return rest
    m = re.search(r"[:.;](?:\s|$)", rest)
    if m and m.start() < limit:
        return rest[: m.start()].strip()
    return rest[:limit].rsplit(" ", 1)[0]


def _body_start(lines: list[tuple[int, str]]) -> int:
    """Offset of the first body paragraph; upper-case headings are looked for after it only."""
    for offset, line in lines:
        if len(line.strip()) > 160 and not _is_upper(line):
            return offset
    return 0


def _heading(line: str, k: _Kinds) -> tuple[str, str, str] | None:
    """(kind, label, title) when the line is a numbered heading."""
    for name, pattern in k.kinds:
        if pattern is None:
            continue
        m = pattern.match(line)
        if m:
            label = " ".join(m.group("label").split())
            rest = line[m.end():]
            if name == "roman" and not _roman(label, k):
                continue
            if name in ("arabic", "alpha") and not rest[:1].isalpha() and rest[:1] not in "“\"(":
                continue
            return name, label, _title(rest, k.title_max)
    return None


def _roman(label: str, k: _Kinds) -> bool:
    """A valid roman numeral; written in lower case ("ii.", "Iv -") only with the letters and marks the data allows."""
    numeral = label.rstrip(".)-– ")
    if not re.fullmatch(r"(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})", numeral.upper()):
        return False
    if numeral.isupper():
        return True
    return all(c in k.roman_lower_letters for c in numeral.lower()) and label[-1] not in k.roman_lower_not_marks


def find_sections(text: str) -> list[Section]:
    k = kinds()
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    body_start = _body_start(lines)
    found: list[tuple[str, str, str, int]] = []  # kind, label, title, start
    for i, (start, line) in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        head = _heading(stripped, k)
        if head and not head[2]:  # "I ." alone on its line: the title is the next line when no heading
            nxt = next((t.strip() for _, t in lines[i + 1:] if t.strip()), "")
            if nxt and _heading(nxt, k) is None:
                head = (head[0], head[1], _title(nxt, k.title_max))
        if head:
            found.append((*head, start + lead))
        elif (start >= body_start > 0 and _is_upper(stripped) and len(stripped) <= k.upper_max
              and not any(p.match(stripped) for p in k.upper_not)):
            found.append(("upper", "", stripped, start + lead))
    if not found:
        return []
    ranks = [name for name, _ in k.kinds]
    used = sorted({f[0] for f in found}, key=ranks.index)
    level_of = {name: i + 1 for i, name in enumerate(used)}

    roots: list[Section] = []
    stack: list[Section] = []
    for kind, label, title, start in found:
        section = Section(label=label, title=title, level=level_of[kind], start=start, end=len(text))
        while stack and stack[-1].level >= section.level:
            stack.pop().end = _trim_end(text, start)
        (stack[-1].children if stack else roots).append(section)
        stack.append(section)
    for section in stack:
        section.end = _trim_end(text, len(text))
    return roots


def _trim_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in " \t\n":
        end -= 1
    return end
