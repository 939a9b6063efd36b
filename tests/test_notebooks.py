"""Every researcher notebook runs top to bottom on the bundled corpus (nbclient, the venv's python3 kernel) and shows
what it is for: non-empty tables and a chart. The notebooks are what notebooks/build.py writes, with no outputs and
no logic of their own."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NB_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb"))
ROWS = re.compile(r"<p>(\d+) rows</p><table>")


def _ensure_python3_kernel() -> None:
    """Install the venv's python3 kernelspec when it is missing (a fresh venv); a no-op otherwise."""
    if not (Path(sys.prefix) / "share" / "jupyter" / "kernels" / "python3" / "kernel.json").exists():
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix"], check=True,
                       capture_output=True)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _ensure_python3_kernel()
    return tmp_path_factory.mktemp("notebook-index")


def _build_module():
    spec = importlib.util.spec_from_file_location("notebooks_build", NB_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_four_notebooks_are_the_built_ones_without_outputs() -> None:
    build = _build_module()
    assert [p.stem for p in NOTEBOOKS] == sorted(build.NOTEBOOKS)
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert [c.source for c in nb.cells] == [c.source for c in build.build(path.stem).cells], path.name
        assert all(not c.get("outputs") and c.get("execution_count") is None
                   for c in nb.cells if c.cell_type == "code"), f"{path.name}: outputs not cleared"


def test_notebooks_hold_no_logic() -> None:
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for node in ast.walk(ast.parse(cell.source)):
                assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.For | ast.While | ast.Lambda
                                      | ast.ListComp | ast.DictComp | ast.SetComp | ast.GeneratorExp | ast.If),\
                    f"{path.name}: {ast.unparse(node)[:60]}"
                if isinstance(node, ast.Import | ast.ImportFrom):
                    assert isinstance(node, ast.ImportFrom) and node.module == "search_api", ast.unparse(node)


def test_error_examples_carry_the_marked_text() -> None:
    """Each miss and extra of the gold evaluation is shown with the text that was marked (keys built as
    ``chitieu eval`` builds them), and the misses and extras are those of ``chitieu eval``."""
    from extractors.evaluate import KINDS
    from search_api import analysis

    scores = {r["kind"]: r for r in analysis.quality_table()}
    assert set(scores) == set(KINDS)
    for kind in KINDS:
        rows = analysis.error_examples(kind, limit=10_000)
        assert sum(r["error"] == "miss" for r in rows) == scores[kind]["fn"]
        assert sum(r["error"] == "extra" for r in rows) == scores[kind]["fp"]
        assert all(r["text"] for r in rows), [r for r in rows if not r["text"]][:3]


def _run(path: Path) -> list[tuple[str, list[dict]]]:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(NB_DIR)}}).execute()
    return [(c.source, c.get("outputs", [])) for c in nb.cells if c.cell_type == "code"]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_shows_tables_and_a_chart(path: Path, index_dir: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHITIEU_INDEX_DIR", str(index_dir))
    cells = _run(path)
    outputs = [o for _src, outs in cells for o in outs]
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors, [(e["ename"], e["evalue"]) for e in errors]
    # every code cell shows something (its last line is the result the researcher reads)
    assert all(outs for _src, outs in cells), [src for src, outs in cells if not outs]
    tables = [(src, int(m.group(1))) for src, outs in cells for o in outs
              if (m := ROWS.search(o.get("data", {}).get("text/html", "")))]
    assert tables, "no table shown"
    # error examples may be empty for a kind the extractors get right; every other table has rows
    assert all(n > 0 for src, n in tables if "error_examples" not in src), tables
    if any("error_examples" in src for src, _n in tables):
        assert any(n > 0 for src, n in tables if "error_examples" in src)
    assert any("image/png" in o.get("data", {}) for o in outputs), "no chart"
