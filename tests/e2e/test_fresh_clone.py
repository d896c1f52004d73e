"""Provenance tells the truth: a fresh clone, installed as `make report` installs it
(`pip install -e .`, which writes src/impleval.egg-info/), is a clean tree, and the provenance
record says so (`git.dirty: false`)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO, run_snakemake

pytestmark = pytest.mark.e2e


def _git(*args, cwd) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_fresh_clone_built_as_the_readme_says_is_clean(tmp_path):
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "clone"
    _git("clone", "--quiet", str(REPO), str(clone), cwd=tmp_path)
    assert not _git("ls-files", "*.egg-info*", cwd=clone), "generated packaging files are tracked"

    # The Makefile's install step, into a throwaway environment that sees the test one's packages.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin/python"), "-m", "pip", "install", "-q", "--no-deps", "-e", str(clone)],
        check=True,
        capture_output=True,
    )
    assert (clone / "src/impleval.egg-info").is_dir()

    run_snakemake(clone, "results/provenance.json")
    assert _git("status", "--porcelain", "--untracked-files=no", cwd=clone) == ""
    git = json.loads((clone / "results/provenance.json").read_text(encoding="utf-8"))["git"]
    assert git == {"commit": _git("rev-parse", "HEAD", cwd=clone).strip(), "dirty": False}
