"""Running Snakemake against the test cluster, with diagnostics when it fails."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.conftest import BIN, pipeline_env
from tests.slurm.daemons import SlurmCluster


def slurm_job_logs(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.log")) if folder.exists() else []


def _tail(text: str, n: int = 60) -> str:
    return "\n".join(text.splitlines()[-n:])


def run_on_slurm(cluster: SlurmCluster, workdir: Path, *args: str, timeout: float,
                 slurm_logs: Path | None = None) -> float:
    """Run snakemake in `workdir` with `args`; return wall seconds. On failure or timeout the
    assertion carries Snakemake's output, the Slurm job logs and the daemons' logs."""
    cmd = [str(BIN / "snakemake"), *args]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=workdir, env=pipeline_env(), capture_output=True,
                              text=True, timeout=timeout)
        failure = None if proc.returncode == 0 else f"exit status {proc.returncode}"
        output = proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as exc:
        failure = f"timed out after {timeout:.0f} s"
        output = "".join(
            part.decode(errors="replace") if isinstance(part, bytes) else (part or "")
            for part in (exc.stdout, exc.stderr)
        )
    elapsed = time.perf_counter() - start
    if failure:
        queue = subprocess.run(["squeue"], capture_output=True, text=True).stdout
        job_logs = "\n".join(
            f"--- {p} ---\n{_tail(p.read_text(errors='replace'), 30)}"
            for p in slurm_job_logs(slurm_logs or workdir / "slurm_logs")
        )
        raise AssertionError(
            f"{' '.join(cmd)}: {failure}\n{_tail(output, 80)}\n"
            f"--- squeue ---\n{queue}\n{job_logs}\n{cluster.daemon_logs()}"
        )
    return elapsed
