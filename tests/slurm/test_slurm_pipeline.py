"""The demo pipeline through Slurm (profiles/slurm) gives the same tables as a local run.

Two clean copies of the repository: one run locally, one through the Slurm executor plugin on
the single-node test cluster. Both wall times are printed (pytest -s, or the report's
properties) for the benchmark notes, and written as JSON to $IMPLEVAL_SLURM_TIMINGS if set."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.conftest import copy_repo
from tests.slurm.helpers import run_timed, slurm_job_logs

pytestmark = pytest.mark.slurm
GROUPS = {"survey", "interviews", "monitoring", "report"}  # as in profiles/slurm


def _table_digests(work: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((work / "results/tables").glob("*.csv"))
    }


def test_pipeline_on_slurm_matches_local_run(slurm_cluster, tmp_path, record_property):
    cores = str(slurm_cluster.cpus)
    local = copy_repo(tmp_path / "local")
    local_s = run_timed(slurm_cluster, local, "--cores", cores, timeout=900)

    cluster = copy_repo(tmp_path / "slurm")
    slurm_s = run_timed(
        slurm_cluster,
        cluster,
        "--workflow-profile",
        "profiles/slurm",
        # The test node is small: cap what a group job asks for (cores and memory), else it
        # would wait in the queue forever. A real cluster needs neither.
        "--cores",
        cores,
        "--resources",
        f"mem_mb={slurm_cluster.memory_mb}",
        timeout=1200,
        slurm_logs=cluster / "logs/slurm",
    )
    record_property("wall_seconds_local", round(local_s, 1))
    record_property("wall_seconds_slurm", round(slurm_s, 1))
    timings = os.environ.get("IMPLEVAL_SLURM_TIMINGS")  # for the benchmark notes
    if timings:
        Path(timings).write_text(
            json.dumps(
                {
                    "local_seconds": round(local_s, 1),
                    "slurm_seconds": round(slurm_s, 1),
                    "node_cpus": slurm_cluster.cpus,
                    "node_memory_mb": slurm_cluster.memory_mb,
                },
                indent=2,
            )
            + "\n"
        )
    print(
        f"\ndemo pipeline wall time: local {local_s:.1f} s, Slurm {slurm_s:.1f} s "
        f"({slurm_cluster.cpus} CPUs, {slurm_cluster.memory_mb} MB node)"
    )

    # Every job ran inside one Slurm job per profile group: the plugin names each log folder
    # group_<group>_<its rules>; an ungrouped rule would show up as rule_<rule>.
    job_dirs = [p.parent.name for p in slurm_job_logs(cluster / "logs/slurm")]
    assert sorted(d.split("_")[1] for d in job_dirs) == sorted(GROUPS), job_dirs
    assert all(d.startswith("group_") for d in job_dirs), job_dirs

    local_tables, slurm_tables = _table_digests(local), _table_digests(cluster)
    assert local_tables, "the local run wrote no tables"
    assert slurm_tables.keys() == local_tables.keys()
    differing = [name for name in local_tables if local_tables[name] != slurm_tables[name]]
    assert not differing, f"tables differ between the local and the Slurm run: {differing}"
    assert (cluster / "results/report/impleval-report-nb.html").exists()
