"""README: `snakemake --cores 4 results/report/impleval-report-en.html` builds the English report
beside the Norwegian one, from the same results: no import or analysis job reruns, and the
Norwegian report is left as it was."""

from __future__ import annotations

import hashlib
import re
import shutil

import pytest

from tests.conftest import run_snakemake
from tests.workflow_helpers import dry_run_jobs

pytestmark = pytest.mark.e2e

ENGLISH = "results/report/impleval-report-en.html"
NORWEGIAN = "results/report/impleval-report-nb.html"


def test_the_english_report_is_built_beside_the_norwegian(demo_run, tmp_path):
    work = tmp_path / "repo"
    shutil.copytree(demo_run, work, symlinks=True)
    norwegian = hashlib.sha256((work / NORWEGIAN).read_bytes()).hexdigest()

    jobs = dry_run_jobs(run_snakemake(work, "-n", ENGLISH))
    assert "render_report" in jobs
    assert not {j for j in jobs if j.startswith(("prepare_", "analyse_", "summarise_"))}, jobs

    run_snakemake(work, ENGLISH)
    html = (work / ENGLISH).read_text(encoding="utf-8")
    assert re.search(r'<html[^>]*\blang="en"', html)
    assert hashlib.sha256((work / NORWEGIAN).read_bytes()).hexdigest() == norwegian
    assert dry_run_jobs(run_snakemake(work, "-n")) == set()
