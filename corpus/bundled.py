"""Where the bundled corpus and gold set live inside the repository."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA_DIR = ROOT / "data"
GOLD_DIR = ROOT / "gold"
SEGMENTED_PREFIXES = ("NguyenQuocBao97_", "easywebhub_")


def bundled_paths() -> list[Path]:
    """The bundled documents (not INDEX.md), sorted by name."""
    return sorted(p for p in DATA_DIR.iterdir() if p.suffix in {".txt", ".html", ".pdf", ".docx"})


def is_segmented(path: Path) -> bool:
    """The corpus_candidates files are stored word-segmented with a SOURCE: first line."""
    return path.name.startswith(SEGMENTED_PREFIXES)
