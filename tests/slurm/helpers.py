"""Running Snakemake against the test cluster, with diagnostics when it fails."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from tests.conftest import BIN, pipeline_env
from tests.slurm.daemons import SlurmCluster

# squeue reasons a single-node cluster never gets out of: fail at once instead of at the timeout.
HOPELESS = {"PartitionConfig", "PartitionNodeLimit", "BadConstraints", "ReqNodeNotAvail"}


def slurm_job_logs(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.log")) if folder.exists() else []


def _tail(text: str, n: int = 60) -> str:
    return "\n".join(text.splitlines()[-n:])


def _hopeless_jobs() -> list[str]:
    try:
        out = subprocess.run(
            ["squeue", "-h", "-t", "PENDING", "-o", "%i %r"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except subprocess.TimeoutExpired:
        return []
    return [line for line in out.splitlines() if line.split()[-1:] and line.split()[-1] in HOPELESS]


def _stop(proc: subprocess.Popen) -> None:
    """SIGINT first: Snakemake then cancels its Slurm jobs (scancel) before exiting."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_timed(
    cluster: SlurmCluster, workdir: Path, *args: str, timeout: float, slurm_logs: Path | None = None
) -> float:
    """Run snakemake in `workdir` with `args`; return wall seconds. On failure, timeout or a job
    the node can never run, the assertion carries Snakemake's output, the queue, the Slurm job
    logs and the daemons' logs."""
    cmd = [str(BIN / "snakemake"), *args]
    output_file = workdir.with_name(workdir.name + ".snakemake-output.txt")
    start = time.perf_counter()
    failure = None
    with open(output_file, "w") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=workdir,
            env=pipeline_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            hopeless_since = None
            while proc.poll() is None:
                time.sleep(2)
                elapsed = time.perf_counter() - start
                if elapsed > timeout:
                    failure = f"timed out after {timeout:.0f} s"
                elif _hopeless_jobs():
                    hopeless_since = hopeless_since or elapsed
                    if elapsed - hopeless_since > 20:
                        failure = f"Slurm jobs that cannot start: {_hopeless_jobs()}"
                else:
                    hopeless_since = None
                if failure:
                    _stop(proc)
                    break
        finally:
            if proc.poll() is None:
                _stop(proc)
    elapsed = time.perf_counter() - start
    if failure is None and proc.returncode != 0:
        failure = f"exit status {proc.returncode}"
    if failure:
        queue = subprocess.run(["squeue"], capture_output=True, text=True, check=False).stdout
        job_logs = "\n".join(
            f"--- {p} ---\n{_tail(p.read_text(errors='replace'), 30)}"
            for p in slurm_job_logs(slurm_logs or workdir / "slurm_logs")
        )
        raise AssertionError(
            f"{' '.join(cmd)}: {failure}\n{_tail(output_file.read_text(errors='replace'), 80)}\n"
            f"--- squeue ---\n{queue}\n{job_logs}\n{cluster.daemon_logs()}"
        )
    return elapsed
