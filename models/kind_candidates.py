"""Dump every written figure of the bundled corpus with its sentence, for hand labelling.

``python -m models.kind_candidates > models/data/kind_candidates.jsonl``. Candidates are found by a plain digit
pattern (not by the project's extractors, so the labels do not inherit their mistakes); obvious dates and
document symbols are skipped. A person reading each sentence adds ``label`` (target / reported / baseline / none)
and ``metric`` (an id of models/metrics/taxonomy.yaml or ``other``) in ``models/data/kind_labels.jsonl``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from corpus.bundled import bundled_paths
from corpus.reader import read
from extractors.indicators.sentences import sentence_spans

FIGURE = re.compile(r"(?<![\w/.,-])\d+(?:[.,]\d+)*(?:\s*%)?(?:\s*[-–]\s*\d+(?:[.,]\d+)*\s*%?)?(?:/\d+(?:[.,]\d+)*)?")
SKIP_AFTER = re.compile(r"^(?:/\d{4}|/[A-ZĐ]|-[A-ZĐ]|/\d{1,2}/\d{2,4})")
SKIP_BEFORE = re.compile(r"(?:năm|ngày|tháng|quý|quí|số|Điều|khoản|khóa|lần thứ|kỳ họp thứ|giai đoạn)\s*$", re.I)


def candidates(paths: list[Path]):
    for path in paths:
        doc = read(path)
        text = doc.text
        sents = sentence_spans(text)
        for m in FIGURE.finditer(text):
            if SKIP_AFTER.match(text[m.end():m.end() + 12]) or SKIP_BEFORE.search(text[max(0, m.start() - 14):m.start()]):
                continue
            if re.fullmatch(r"(19|20)\d\d", m.group()):
                continue
            s0, s1 = sents.at(m.start())
            sentence = text[s0:s1].strip()
            offset = m.start() - (s0 + len(text[s0:s1]) - len(text[s0:s1].lstrip()))
            yield {"doc": path.name, "start": m.start(), "end": m.end(), "text": m.group(),
                   "sentence": sentence, "sent_offset": offset}


if __name__ == "__main__":
    for rec in candidates(bundled_paths()):
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
