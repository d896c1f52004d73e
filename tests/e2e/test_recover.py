"""Interrupted runs (issue 16): after a kill the recovery is one command, `make recover`; a job
left incomplete by Ctrl-C or a crash is rerun by the next plain run (the default profile sets
rerun-incomplete) instead of stopping with IncompleteFilesException."""

import base64
import os
import signal
import subprocess
import time

import pytest

from tests.conftest import BIN, REPO, copy_repo, pipeline_env, run_snakemake


@pytest.mark.e2e
def test_kill_then_make_recover_finishes_the_run(tmp_path):
    work = copy_repo(tmp_path / "repo")
    proc = subprocess.Popen(
        [str(BIN / "snakemake"), "--cores", "1"],
        cwd=work,
        env=pipeline_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: killed below by that id only
    )
    deadline = time.time() + 600
    while time.time() < deadline and not list((work / "results/interim").glob("*.parquet")):
        time.sleep(1)
    os.killpg(proc.pid, signal.SIGKILL)  # as a power loss would: the lock stays behind
    proc.wait()
    assert list((work / ".snakemake/locks").glob("*.lock"))

    stuck = run_snakemake(work, check=False)
    assert stuck.returncode != 0 and "LockException" in stuck.stdout + stuck.stderr

    venv = REPO / ".venv"
    done = subprocess.run(
        ["make", "recover", f"VENV={venv}", "CORES=2"],
        cwd=work,
        env=pipeline_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert (work / "results/report/impleval-report-nb.html").is_file()
    dry = run_snakemake(work, "-n")
    assert "Nothing to be done" in dry.stdout + dry.stderr


@pytest.mark.e2e
def test_incomplete_outputs_are_rerun_by_a_plain_run(demo_run):
    """A half-written output marked incomplete (what Ctrl-C or a crash leaves): the next plain
    run reruns its job rather than stop with IncompleteFilesException."""
    target = "results/tables/deid_hits.csv"
    good = (demo_run / target).read_text(encoding="utf-8")
    (demo_run / target).write_text("source,col\n", encoding="utf-8")  # half written
    marker = base64.urlsafe_b64encode(target.encode()).decode()
    (demo_run / ".snakemake/incomplete").mkdir(parents=True, exist_ok=True)
    (demo_run / ".snakemake/incomplete" / marker).write_text("", encoding="utf-8")
    run = run_snakemake(demo_run, check=False)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-3000:]
    assert "IncompleteFilesException" not in out and "summarise_deid" in out
    assert (demo_run / target).read_text(encoding="utf-8") == good
