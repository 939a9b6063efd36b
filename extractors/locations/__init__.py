"""Places (ANNOTATION.md §5): provinces, districts, communes, villages and countries named in a text.

Units come from the gazetteer (``gazetteer.py``, built from the ``vietnamadminunits`` package: the 63 provinces
with districts and communes before 1 July 2025, the 34 provinces and their communes since). A name is found
 - after a word naming its kind (``tỉnh Nghệ An``, ``huyện Kỳ Sơn``, ``xã Cốc San``, ``tổ 11``): any case;
 - bare, for provinces and countries: capitalized, or in a lower-cased line when the name is not a common word;
 - bare, for districts and communes: capitalized, of two syllables or more, and only units of the document's
   province (``ctx.province``, else the province the text names most).
Places inside agency names count (``UBND tỉnh Nghệ An`` names Nghệ An), as in the gold set. Units follow the
document's date (names in force then); ``current_name``/``current_code`` give today's unit (2025 reorganization).
"""

from __future__ import annotations

from corpus.model import LocationMention, LocationValue
from extractors.context import Context
from extractors.locations.match import Candidate, find_candidates
from extractors.locations.resolve import one_spelling, resolve


def extract(text: str, ctx: Context) -> list[LocationMention]:
    if not text:
        return []
    candidates: list[Candidate] = find_candidates(text, ctx)
    out: list[LocationMention] = []
    for cand, value in one_spelling(list(resolve(candidates, text, ctx))):
        out.append(LocationMention(start=cand.start, end=cand.end, text=text[cand.start:cand.end],
                                   normalized=LocationValue(**value)))
    return out
