"""A researcher's first-day mistakes end with one line that says what to do, before any job runs:
a config key naming a file that does not exist, `snakemake` outside the project's environment,
a run from a subdirectory, and a target written after `--configfile FILE`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import BIN, REPO, copy_repo, pipeline_env, run_snakemake
from tests.workflow_helpers import dry_run_jobs

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """A clean copy of the repository (nothing built)."""
    return copy_repo(tmp_path_factory.mktemp("first_mistakes") / "repo")


def _study_config(work: Path, change) -> Path:
    config = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))
    change(config)
    path = work / "their-study.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def _impleval_lines(proc: subprocess.CompletedProcess) -> list[str]:
    return [line for line in (proc.stdout + proc.stderr).splitlines() if "impleval:" in line]


def _set(config: dict, key: str, value: str) -> None:
    *parents, last = key.split(".")
    for parent in parents:
        config = config[parent]
    config[last] = value


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("inputs.survey.report", "data/raw/survey/not-there.csv"),
        ("inputs.interviews.segments", "data/raw/interviews/not-there.xlsx"),
        ("study.monitoring", "config/not-there.yaml"),
        ("deid.names_file", "config/no-names.txt"),
    ],
)
def test_a_missing_file_is_named_by_its_config_key(work, key, path):
    config = _study_config(work, lambda c: _set(c, key, path))
    proc = run_snakemake(work, "-n", f"--configfile={config}", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-3000:]
    lines = _impleval_lines(proc)
    assert len(lines) == 1, out[-3000:]
    assert f"config key {key} names {path}, which does not exist" in lines[0]
    assert "Traceback" not in out
    assert "Building DAG" not in out  # stopped before the DAG, so before any job


def test_an_unused_export_format_may_be_missing(work):
    """Only the chosen interview format's files are required."""
    config = _study_config(
        work, lambda c: c["inputs"]["interviews"].update(refi_project="data/absent.qdpx")
    )
    proc = run_snakemake(work, "-n", f"--configfile={config}", "results/provenance.json")
    assert dry_run_jobs(proc) == {"write_provenance"}


def _path_without_the_environment() -> str:
    return os.pathsep.join(
        p
        for p in os.environ.get("PATH", "").split(os.pathsep)
        if p and Path(p).resolve() != BIN.resolve()
    )


def test_snakemake_outside_the_environment_stops_before_any_job(work):
    env = dict(pipeline_env(), PATH=_path_without_the_environment())
    proc = subprocess.run(
        [str(BIN / "snakemake"), "--cores", "1", "results/interim/survey_respondents.parquet"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-3000:]
    lines = _impleval_lines(proc)
    assert len(lines) == 1, out[-3000:]
    assert "source .venv/bin/activate" in lines[0]
    assert "`papermill` is not on PATH" in lines[0] or "lacks" in lines[0]
    assert "Traceback" not in out
    assert not (work / "results").exists(), "a job ran"


def test_from_a_subdirectory_snakemake_finds_no_snakefile_and_the_readme_says_where(work):
    proc = subprocess.run(
        [str(BIN / "snakemake"), "--cores", "1", "-n"],
        cwd=work / "notebooks",
        env=pipeline_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert "No Snakefile found" in proc.stdout + proc.stderr
    assert "from the repository root" in README
    assert '"No Snakefile found"' in README


def test_a_target_after_configfile_equals_is_a_target(work):
    """README: `--configfile=FILE` (with `=`) or targets first; a target after
    `--configfile FILE` is read as a second config file."""
    config = _study_config(work, lambda c: None)
    assert "--configfile=their-study.yaml results/report/" in README
    for args in (
        [f"--configfile={config}", "results/provenance.json"],
        ["results/provenance.json", "--configfile", str(config)],
        ["--configfile", str(config), "--", "results/provenance.json"],
    ):
        assert dry_run_jobs(run_snakemake(work, "-n", *args)) == {"write_provenance"}, args
    swallowed = run_snakemake(
        work, "-n", "--configfile", str(config), "results/provenance.json", check=False
    )
    assert swallowed.returncode != 0  # the pitfall the README warns about
