"""What the linker and the table reader share: cue-word lists compiled to whole-word patterns, and the grains of a
date that can govern a target."""

from __future__ import annotations

import re

WORD = r"(?<![\wÀ-ỹ])(?:{})(?![\wÀ-ỹ])"

# a target is governed by a year, a period, a quarter or a deadline — never by a single day or month
PERIOD_GRAINS = ("deadline", "year", "period", "quarter")


def alternation(words: list[str], frame: str = WORD, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One pattern matching any of the words, longest first, in ``frame`` (by default: as whole words, any case).
    No words: a pattern that never matches."""
    if not words:
        return re.compile(r"(?!)")
    return re.compile(frame.format("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))), flags)
