"""Writes the researcher notebooks (outputs cleared): ``.venv/bin/python notebooks/build.py``.

Each notebook imports :mod:`search_api.analysis` and calls it; no notebook holds logic of its own.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

SETUP = ("from search_api import analysis\n\n"
         "# the bundled corpus, indexed in CHITIEU_INDEX_DIR (reused when it already holds documents)\n"
         "# or in a new temporary folder\n"
         "backend = analysis.corpus_index()\n"
         "analysis.index_summary(backend)")

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "a_targets_by_topic_and_deadline": [
        ("md", "# Targets by topic and deadline\n\nWhich commitments do the plans make, on which topic and metric, "
               "and by when? Every target indicator of the corpus, counted by topic (the domain of its metric in "
               "`models/metrics/taxonomy.yaml`) and deadline year."),
        ("code", SETUP),
        ("md", "## Targets per topic and deadline year"),
        ("code", "matrix = analysis.topic_deadline_matrix(backend)\nmatrix"),
        ("code", "analysis.stacked_chart(matrix, label='topic', title='Targets by deadline year and topic')"),
        ("md", "## The same counts per metric"),
        ("code", "analysis.targets_by_topic_and_deadline(backend)"),
        ("md", "## The targets of one topic, with their sentences\n\nSet `topic` to any row of the table above."),
        ("code", "topic = matrix[0]['topic']\nanalysis.targets_of_topic(backend, topic)"),
    ],
    "b_metric_across_provinces": [
        ("md", "# One metric across provinces\n\nEach province's targets and latest reported figure for one metric "
               "(the API's `compare`), with a chart. The metric is the one with targets in the most provinces "
               "unless you set `metric`."),
        ("code", SETUP),
        ("md", "## Metrics by the number of provinces that set targets for them"),
        ("code", "spread = analysis.metrics_by_spread(backend)\nspread"),
        ("code", "metric = spread[0]['metric']\nmetric, analysis.metric_label(metric)"),
        ("md", "## The metric, province by province\n\n`target` is each province's earliest target and "
               "`latest_reported` its latest figure, both in the metric's most common unit."),
        ("code", "rows = analysis.metric_across_provinces(backend, metric)\nrows"),
        ("code", "analysis.province_chart(rows, title=f'{analysis.metric_label(metric)} ({metric})')"),
    ],
    "c_progress_of_one_province": [
        ("md", "# Reported figures against targets for one province\n\nThe targets of one province and metric "
               "with their attainment and status, and the reported figures over time (the API's `progress`). "
               "The pair is the busiest one whose targets can be assessed, unless you set `province` and "
               "`metric`."),
        ("code", SETUP),
        ("code", "province, metric = analysis.busiest_province_metric(backend)\nprovince, metric"),
        ("code", "data = analysis.progress_rows(backend, province, metric)\ndata['targets']"),
        ("code", "data['reported']"),
        ("code", "analysis.progress_chart(data, title=f'{province}: {analysis.metric_label(metric)}')"),
    ],
    "d_extraction_quality": [
        ("md", "# Extraction quality on the gold set\n\nPrecision, recall and F1 per kind on `corpus/gold` "
               "(what `chitieu eval` prints), and examples of what the extractors miss or add."),
        ("code", "from search_api import analysis\n\nscores = analysis.quality_table()\nscores"),
        ("code", "analysis.bar_chart(scores, label='kind', value='f1', title='F1 per kind on corpus/gold')"),
        ("code", "analysis.accuracy_table()"),
        ("md", "## Examples of errors\n\nA *miss* is a gold item the extractors did not find (with the text the "
               "annotator marked); an *extra* is an item found that the gold does not hold (with the text "
               "the extractor marked). `key` is what `chitieu eval` compares."),
        ("code", "analysis.error_examples('quantity')"),
        ("code", "analysis.error_examples('target')"),
        ("code", "analysis.error_examples('date')"),
        ("code", "analysis.error_examples('reference')"),
        ("code", "analysis.error_examples('agency')"),
        ("code", "analysis.error_examples('location')"),
    ],
}


def build(name: str) -> nbformat.NotebookNode:
    cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in NOTEBOOKS[name]]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{name[0]}{i:02d}"  # stable ids: rebuilding changes nothing in git
    return nb


def main() -> None:
    for name in NOTEBOOKS:
        nbformat.write(build(name), HERE / f"{name}.ipynb")


if __name__ == "__main__":
    main()
