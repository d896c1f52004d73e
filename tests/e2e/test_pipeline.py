"""End to end: the demo study through the whole pipeline in a temporary copy of the repository."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_repo, run_snakemake

pytestmark = pytest.mark.e2e


def _digest_tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_report_exists_and_embeds_every_figure(demo_run: Path):
    html_path = demo_run / "results/report/impleval-report-nb.html"
    assert html_path.exists()
    html = html_path.read_text(encoding="utf-8")
    figures = sorted((demo_run / "results/figures/nb").glob("*.png"))
    assert figures, "the pipeline drew no figures"
    n_images = len(re.findall(r"<img[^>]+src=\"data:image/", html))
    assert n_images >= len(figures), f"{n_images} embedded images for {len(figures)} figures"
    for meta in (demo_run / "results/figures/nb").glob("*.json"):
        alt = json.loads(meta.read_text())["alt"]
        assert alt.strip()
    # Links (a DOI in the references) load nothing; src and stylesheet hrefs would.
    assert not re.search(r"src=\"https?://|<link[^>]+href=\"https?://", html), (
        "the report loads something from the network"
    )


def test_raw_data_untouched_by_the_pipeline(demo_run: Path):
    assert _digest_tree(demo_run / "data/raw") == _digest_tree(REPO / "data/raw")


def test_no_op_rerun_does_nothing(demo_run: Path):
    proc = run_snakemake(demo_run, "-n")
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_two_clean_runs_give_identical_tables(demo_run: Path, tmp_path: Path):
    second = copy_repo(tmp_path / "second")
    run_snakemake(second)
    first_tables = _digest_tree(demo_run / "results/tables")
    second_tables = _digest_tree(second / "results/tables")
    assert first_tables, "no tables written"
    differing = [name for name in first_tables if first_tables[name] != second_tables.get(name)]
    assert not differing, f"tables differ between two clean runs: {differing}"
    shutil.rmtree(second, ignore_errors=True)


def test_snakemake_provenance_report_builds(demo_run: Path):
    out = demo_run / "results/snakemake-report.html"
    run_snakemake(demo_run, "--report", str(out))
    html = out.read_text(encoding="utf-8", errors="replace")
    assert out.stat().st_size > 10_000
    assert "render_report" in html
