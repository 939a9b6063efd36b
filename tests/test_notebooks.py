"""Every researcher notebook runs top to bottom on the bundled corpus (nbclient, the venv's python3 kernel) and shows
what it is for: a non-empty table, a chart."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("notebook-index")


def _outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def test_there_are_four_notebooks() -> None:
    assert [p.name[0] for p in NOTEBOOKS] == ["a", "b", "c", "d"]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_shows_results(path: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHITIEU_NOTEBOOK_INDEX", str(index_dir))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outs = _outputs(nb)
    assert not [o for o in outs if o.get("output_type") == "error"]
    texts = [o["data"].get("text/plain", "") for o in outs if o.get("output_type") == "execute_result"]
    assert texts and all(t not in ("[]", "{}", "None", "(0, [])") for t in texts), texts
    if path.stem.startswith(("b_", "d_")):
        assert any("image/png" in o.get("data", {}) for o in outs), "no chart"
