"""Helpers for tests that drive the workflow as a researcher would: dry runs, `make` targets."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import pipeline_env

VENV = Path(sys.executable).parent.parent  # the environment running the tests


def dry_run_jobs(proc: subprocess.CompletedProcess) -> set[str]:
    """The rules a `snakemake -n` run lists in its job table (empty when nothing is to be done)."""
    out = proc.stdout + proc.stderr
    if "Nothing to be done" in out:
        return set()
    assert "Job stats:" in out, out[-3000:]
    table = out.split("Job stats:", 1)[1]
    rows = re.findall(r"^(\w+)\s+\d+\s*$", table, re.M)
    return {r for r in rows if r != "total"}


def make(workdir: Path, target: str) -> subprocess.CompletedProcess:
    """`make <target>` in `workdir` with the test environment as its .venv (never rebuilt here)."""
    stamp = VENV / ".impleval-installed"
    proc = subprocess.run(
        ["make", "-C", str(workdir), f"VENV={VENV}", "-o", str(stamp), target],
        env=pipeline_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, f"make {target} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def have_make() -> bool:
    return shutil.which("make") is not None
