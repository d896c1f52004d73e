"""Smoke test of the test cluster itself: a toy workflow through the Slurm executor plugin,
with four small jobs grouped into one Slurm job. Fails fast (and readably) before the long
pipeline test when the cluster or the plugin is broken."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.slurm.helpers import run_timed, slurm_job_logs

pytestmark = pytest.mark.slurm
TOY = Path(__file__).with_name("toy")


def test_toy_workflow_runs_through_slurm_with_grouping(slurm_cluster, tmp_path):
    work = shutil.copytree(TOY, tmp_path / "toy")
    run_timed(
        slurm_cluster,
        work,
        "--executor",
        "slurm",
        "--jobs",
        "4",
        # Caps what a group job asks for: four parallel 1-core jobs would ask for more cores
        # than the node has, and wait in the queue forever.
        "--cores",
        str(slurm_cluster.cpus),
        "--slurm-no-account",
        "--slurm-status-command",
        "squeue",
        "--slurm-init-seconds-before-status-checks",
        "2",
        "--slurm-logdir",
        "slurm_logs",
        "--slurm-keep-successful-logs",
        "--group-components",
        "parts=4",
        timeout=240,
    )
    lines = (work / "out/summary.txt").read_text().split("\n")
    assert sorted(line.split()[0] for line in lines if line) == ["a", "b", "c", "d"]
    # One Slurm job for the group of four, one for the summary.
    assert len(slurm_job_logs(work / "slurm_logs")) == 2
