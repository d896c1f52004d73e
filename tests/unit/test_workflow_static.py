"""The workflow and the Python code are lint-clean and formatted (`make lint`), and the DAG
builds (dry run)."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, copy_repo, pipeline_env, run_snakemake

BIN = Path(sys.executable).parent


def _run(*cmd):
    return subprocess.run(
        cmd, cwd=REPO, env=pipeline_env(), capture_output=True, text=True, check=False
    )


def test_snakemake_lint_prints_no_warnings():
    proc = _run(str(BIN / "snakemake"), "--lint")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Congratulations, your workflow is in a good condition!" in proc.stdout + proc.stderr


def test_ruff_check_passes():
    proc = _run(str(BIN / "ruff"), "check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_check_passes():
    proc = _run(str(BIN / "ruff"), "format", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_snakefmt_check_passes():
    proc = _run(str(BIN / "snakefmt"), "--check", "Snakefile", "workflow/rules/")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dry_run_builds_the_whole_dag(tmp_path):
    work = copy_repo(tmp_path / "repo")
    proc = run_snakemake(work, "-n")
    assert "render_report" in proc.stdout, proc.stdout[-4000:]
    # The default profile is a real folder Snakemake finds beside the Snakefile (no symlink).
    assert not (work / "profiles").is_symlink()
    assert "workflow specific profile profiles/default" in proc.stdout + proc.stderr


def test_notebooks_are_paired_with_their_scripts():
    import jupytext

    for script in (REPO / "notebooks").glob("*.py"):
        notebook = script.with_suffix(".py.ipynb")
        assert notebook.exists(), f"{script.name} has no paired {notebook.name}"
        from_script = jupytext.read(script)
        from_notebook = jupytext.read(notebook)
        sources = lambda nb: [c.source for c in nb.cells]  # noqa: E731
        assert sources(from_script) == sources(from_notebook), (
            f"{script.name} and {notebook.name} differ: run `make notebooks`"
        )
        assert from_notebook.metadata.get("language_info", {}).get("name") == "python"
