"""The ``chitieu`` command line: ingest, extract, serve, eval, bench."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import track
from rich.table import Table

app = typer.Typer(help="chitieu: numbers, dates, targets, agencies and cited documents in Vietnamese official texts.",
                  no_args_is_help=True, add_completion=False)
console = Console(stderr=True)


class OutFormat(StrEnum):
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
def ingest(paths: list[Path],
           backend: str | None = typer.Option(None, help="tantivy | elasticsearch (default: CHITIEU_BACKEND)"),
           es_url: str | None = typer.Option(None, help="Elasticsearch URL (default: CHITIEU_ES_URL)"),
           index_dir: Path | None = typer.Option(None, help="tantivy index folder (default: CHITIEU_INDEX_DIR)"),
           batch: int = typer.Option(200, help="documents per commit")) -> None:
    """Read, extract and index files (upsert by id); a progress bar, then a summary."""
    from search_api.backends import make_backend
    from search_api.ingest import indexable
    from search_api.ingest import process as read_and_extract
    from search_api.settings import get_settings

    if backend not in (None, "tantivy", "elasticsearch"):
        raise typer.BadParameter("--backend must be tantivy or elasticsearch")
    try:
        engine = make_backend(get_settings(), backend=backend, es_url=es_url,
                              index_dir=str(index_dir) if index_dir else None)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    files = iter_paths(paths)
    n_ok = n_err = n_ind = 0
    pending = []
    for path in track(files, description="ingesting", console=console):
        doc = read_and_extract(path)
        if indexable(doc):
            n_ok += 1
            n_ind += len(doc.indicators)
            pending.append(doc)
            if doc.errors:
                console.print(f"[yellow]warning[/yellow] {path}: " + "; ".join(e.message for e in doc.errors))
        else:
            n_err += 1
            console.print(f"[red]error[/red] {path}: " + "; ".join(e.message for e in doc.errors))
        if len(pending) >= batch:
            _write_batch(engine, pending)
            pending = []
    if pending:
        _write_batch(engine, pending)
    counts = engine.count()
    where = getattr(engine, "root", None) or es_url or get_settings().es_url
    console.print(f"{len(files)} files: {n_ok} indexed with {n_ind} indicators, {n_err} with errors; "
                  f"{engine.name} index at {where} holds {counts['documents']} documents, "
                  f"{counts['indicators']} indicators")


def _write_batch(engine, docs: list) -> None:
    """One commit of the index; a failed write (a full disk, a broken cluster) ends the run with a clear message and
    leaves the index at its last commit."""
    import shutil

    try:
        engine.index_documents(docs)
    except Exception as exc:  # noqa: BLE001 - the engine's own error type varies (tantivy ValueError, ES, OSError)
        root = getattr(engine, "root", None)
        hint = ""
        if root is not None:
            free = shutil.disk_usage(root).free
            if free < 64 * 1024 * 1024:
                hint = f" — no space left on the device ({free // 1024} KiB free)"
        console.print(f"[red]error[/red] the index could not be written{hint}: {exc}. The {len(docs)} documents of "
                      "this batch were not indexed; the index keeps its last committed state. Run the same "
                      "ingest again once fixed: documents already indexed are not duplicated.")
        raise typer.Exit(code=1) from None


@app.command("eval")
def eval_cmd(gold_dir: Path | None = typer.Option(None, help="gold folder (default: corpus/gold)"),
             data_dir: Path | None = typer.Option(None, help="documents folder (default: corpus/data)"),
             json_out: bool = typer.Option(False, "--json", help="print the scores as JSON"),
             misses: int = typer.Option(0, help="print up to N misses and extras per kind"),
             in_sample: bool = typer.Option(False, "--in-sample", help="score with the shipped kind model, trained "
                                            "on the gold documents' own labels (default: a model trained without "
                                            "the document being scored)")) -> None:
    """Score the extractors against the gold set: precision, recall, F1 per kind."""
    from extractors.evaluate import main as eval_main

    eval_main(gold_dir=gold_dir, data_dir=data_dir, json_out=json_out, show_misses=misses, heldout=not in_sample)


@app.command()
def serve(host: str | None = typer.Option(None), port: int | None = typer.Option(None),
          workers: int | None = typer.Option(None, help="uvicorn worker processes (default: CHITIEU_WORKERS or 1); "
                                             "one per core serves searches in parallel")) -> None:
    """Serve the API and the web pages (uvicorn)."""
    from search_api.server import serve as run_server

    run_server(host=host, port=port, workers=workers)


@app.command()
def bench(what: str = typer.Argument("all", help="extract | index | search | facets | load | all"),
          runs: int = typer.Option(3, help="runs per measure; the median is reported"),
          docs: int = typer.Option(100_000, help="documents in the index (index and search benchmarks)"),
          seconds: float = typer.Option(20.0, help="seconds of load per search run"),
          workers: int = typer.Option(2, help="uvicorn worker processes of the benchmarked server"),
          rebuild: bool = typer.Option(False, "--rebuild", help="search: build the index anew even when one of "
                                       "this size is under var/bench/"),
          cache: bool = typer.Option(True, "--cache/--no-cache", help="search: the server keeps result pages and "
                                     "facet counts per index generation (--no-cache: every request searches)"),
          rate: float = typer.Option(0.0, help="search: requests per second sent on a fixed schedule, latency "
                                     "counted from when each was due (0: each client sends as soon as answered)"),
          exact_facets: bool = typer.Option(False, "--exact-facets", help="search: the server counts every "
                                            "match's facets, however many (CHITIEU_FACET_SAMPLE_ABOVE=0)"),
          warmup: float = typer.Option(-1.0, help="search: seconds of load before the measured runs (default: as "
                                       "long as a run); a longer one measures a server that has run for a while")
          ) -> None:
    """Benchmarks: results written to var/bench/<what>.json (the figures for BENCHMARKS.md)."""
    from search_api.bench import WHATS
    from search_api.bench import main as bench_main

    if what not in WHATS:
        raise typer.BadParameter("what must be one of " + ", ".join(WHATS))
    if rate < 0:
        raise typer.BadParameter("rate must be 0 or more")
    bench_main(what=what, runs=runs, docs=docs, seconds=seconds, workers=workers, rebuild=rebuild, cache=cache,
               rate=rate or None, exact_facets=exact_facets, warmup=None if warmup < 0 else warmup)


if __name__ == "__main__":
    app()
