"""The ``chitieu`` command line: ingest, extract, serve, eval, bench."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import track
from rich.table import Table

app = typer.Typer(help="chitieu: numbers, dates, targets, agencies and cited documents in Vietnamese official texts.",
                  no_args_is_help=True, add_completion=False)
console = Console(stderr=True)


class OutFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


def iter_paths(paths: list[Path]) -> list[Path]:
    """Files named, and the supported files inside folders named (sorted); a missing path is kept so it errors."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in
                              {".txt", ".html", ".htm", ".pdf", ".docx"} and q.name != "INDEX.md"))
        else:
            out.append(p)
    return out


def process(path: Path):
    from corpus.reader import read
    from extractors.pipeline import annotate

    return annotate(read(path))


@app.command()
def extract(paths: list[Path], format: OutFormat = typer.Option(OutFormat.jsonl, "--format", "-f")) -> None:
    """Read and extract files; print the output contract (one JSON object per file for jsonl)."""
    docs = []
    for path in iter_paths(paths):
        doc = process(path)
        if format is OutFormat.jsonl:
            sys.stdout.write(doc.model_dump_json() + "\n")
            sys.stdout.flush()
        else:
            docs.append(doc)
    if format is OutFormat.json:
        sys.stdout.write(json.dumps([d.model_dump(mode="json") for d in docs], ensure_ascii=False, indent=1) + "\n")
    elif format is OutFormat.table:
        table = Table("source", "number", "type", "date", "mentions", "indicators", "errors")
        for d in docs:
            table.add_row(Path(d.source).name, d.metadata.number or "", d.metadata.doc_type or "",
                          d.metadata.issued_date or d.metadata.published_date or "", str(len(d.mentions)),
                          str(len(d.indicators)), "; ".join(e.message for e in d.errors)[:60])
        Console().print(table)


@app.command()
def ingest(paths: list[Path]) -> None:
    """Read, extract (and index, once the search backend lands) files; a progress bar, then a summary."""
    files = iter_paths(paths)
    n_ok = n_err = n_ind = 0
    for path in track(files, description="ingesting", console=console):
        doc = process(path)
        n_ind += len(doc.indicators)
        if doc.ok:
            n_ok += 1
        else:
            n_err += 1
            console.print(f"[red]error[/red] {path}: " + "; ".join(e.message for e in doc.errors))
    console.print(f"{len(files)} files: {n_ok} read, {n_err} with errors, {n_ind} indicators")


if __name__ == "__main__":
    app()
