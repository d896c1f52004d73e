"""The researchers' notebook loop (README "Notebooks"): each `notebooks/X.py.ipynb` is paired with
`X.py` in a way jupytext really reads, `make notebooks` syncs an edit of either file into the other
(and creates no stray file), and the next run re-executes exactly that notebook's job and what
depends on it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_snakemake
from tests.workflow_helpers import dry_run_jobs, have_make, make

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.py.ipynb"))
JUPYTEXT = Path(sys.executable).parent / "jupytext"
EDIT = 'print("edited by the notebook loop test")'

pytestmark = pytest.mark.skipif(not have_make(), reason="make is not installed")


def _paired(path: Path) -> str:
    # (jupytext 1.19 exits 1 after printing the paired paths: the output is what counts)
    proc = subprocess.run(
        [str(JUPYTEXT), "--paired-paths", str(path)], capture_output=True, text=True, check=False
    )
    return proc.stdout.strip()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_jupytext_pairs_each_notebook_with_its_script(notebook):
    script = notebook.with_suffix("")  # X.py.ipynb -> X.py
    assert script.exists()
    assert _paired(notebook) == str(script)
    assert _paired(script) == str(notebook)


def _code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def _edit_notebook_json(notebook: Path) -> None:
    """Append a line to the first code cell's source in the JSON, as an editor would save it."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["source"] = "".join(cell["source"]) + "\n" + EDIT
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture
def notebook_folder(tmp_path):
    """The Makefile and notebooks/ alone: enough for `make notebooks`."""
    shutil.copy2(REPO / "Makefile", tmp_path / "Makefile")
    shutil.copytree(REPO / "notebooks", tmp_path / "notebooks")
    return tmp_path


def test_make_notebooks_syncs_an_edited_script_into_its_notebook(notebook_folder):
    before = sorted(p.name for p in (notebook_folder / "notebooks").iterdir())
    script = notebook_folder / "notebooks/survey_exploration.py"
    script.write_text(script.read_text(encoding="utf-8") + f"\n# %%\n{EDIT}\n", encoding="utf-8")
    make(notebook_folder, "notebooks")
    assert _code_cells(notebook_folder / "notebooks/survey_exploration.py.ipynb")[-1] == EDIT
    assert sorted(p.name for p in (notebook_folder / "notebooks").iterdir()) == before


def test_make_notebooks_syncs_an_edited_notebook_into_its_script(notebook_folder):
    before = sorted(p.name for p in (notebook_folder / "notebooks").iterdir())
    _edit_notebook_json(notebook_folder / "notebooks/interviews_exploration.py.ipynb")
    make(notebook_folder, "notebooks")
    assert EDIT in (notebook_folder / "notebooks/interviews_exploration.py").read_text()
    assert sorted(p.name for p in (notebook_folder / "notebooks").iterdir()) == before


def test_synced_pairs_are_left_untouched(notebook_folder):
    stamps = {p.name: p.stat().st_mtime_ns for p in (notebook_folder / "notebooks").iterdir()}
    make(notebook_folder, "notebooks")
    assert {p.name: p.stat().st_mtime_ns for p in (notebook_folder / "notebooks").iterdir()} == (
        stamps
    )


# What depends on a notebook: its job, write_provenance (it hashes every notebook), the report.
AFTER_SURVEY_NOTEBOOK = {"explore_survey", "write_provenance", "render_report", "all"}


@pytest.fixture
def built_copy(demo_run, tmp_path):
    work = tmp_path / "repo"
    shutil.copytree(demo_run, work, symlinks=True)
    assert dry_run_jobs(run_snakemake(work, "-n")) == set(), "the copied run is not up to date"
    return work


def test_edit_of_the_script_then_sync_reruns_that_notebook(built_copy):
    script = built_copy / "notebooks/survey_exploration.py"
    script.write_text(script.read_text(encoding="utf-8") + f"\n# %%\n{EDIT}\n", encoding="utf-8")
    assert dry_run_jobs(run_snakemake(built_copy, "-n")) == set(), "the .py alone is not run"
    make(built_copy, "notebooks")
    assert dry_run_jobs(run_snakemake(built_copy, "-n")) == AFTER_SURVEY_NOTEBOOK


def test_edit_of_the_notebook_then_sync_reruns_that_notebook(built_copy):
    _edit_notebook_json(built_copy / "notebooks/survey_exploration.py.ipynb")
    make(built_copy, "notebooks")
    assert EDIT in (built_copy / "notebooks/survey_exploration.py").read_text()
    assert dry_run_jobs(run_snakemake(built_copy, "-n")) == AFTER_SURVEY_NOTEBOOK
