"""The README's commands work as written: every `make` target it names exists, every `snakemake`
line in its shell blocks builds a DAG in a clean copy (dry run), and it says what a new user needs
(activation, CORES=, the English command, the browser tests' set-up)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_repo, run_snakemake

README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```bash\n(.*?)^```", README, re.M | re.S)
LINES = [line.split("#")[0].strip() for block in BLOCKS for line in block.splitlines()]
SNAKEMAKE = [line for line in LINES if line.startswith("snakemake ")]
MAKE_TARGETS = set(re.findall(r"\bmake ([a-z][\w-]*)", README))


def _makefile_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", text, re.M))


def test_every_make_target_the_readme_names_exists():
    assert MAKE_TARGETS >= {"report", "test", "venv", "notebooks"}
    assert MAKE_TARGETS <= _makefile_targets(), MAKE_TARGETS - _makefile_targets()


def test_the_readme_says_what_a_new_user_needs():
    assert "source .venv/bin/activate" in LINES
    assert "make report CORES=2" in LINES
    assert "CORES ?=" in (REPO / "Makefile").read_text(encoding="utf-8")
    assert "snakemake --cores 4 results/report/impleval-report-en.html" in LINES
    assert "results/report/impleval-report-nb.html" in README
    assert "npm ci" in LINES
    assert "sudo apt-get install chromium" in LINES
    assert "make notebooks" in LINES


def test_the_readme_shows_snakemake_commands():
    assert len(SNAKEMAKE) >= 6, SNAKEMAKE


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory) -> Path:
    work = copy_repo(tmp_path_factory.mktemp("readme") / "repo")
    shutil.copy2(work / "config/config.yaml", work / "their-study.yaml")  # "Your own study"
    return work


@pytest.mark.parametrize("command", SNAKEMAKE)
def test_each_snakemake_line_builds_its_dag(clean_copy, command):
    args = shlex.split(command)[1:]
    proc = run_snakemake(clean_copy, *args, "-n", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert "Job stats:" in out, out[-3000:]
