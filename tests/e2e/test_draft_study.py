"""End to end: `impleval init` on the demo exports, plus the decisions the demo config makes
(applied to the draft by the keys its DECISIONS list names), reproduces the demo's result tables
when the drafted study folder runs the pipeline as a Snakemake module (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from impleval.draft.study import Exports, draft_study
from tests.conftest import REPO, run_snakemake
from tests.e2e.studies import apply_decisions

pytestmark = pytest.mark.e2e

RAW = REPO / "data/raw"
DEMO = REPO / "config/demo-study"
DEMO_EXPORTS = Exports(
    survey=str(RAW / "survey/synthetic_nettskjema-data-report.csv"),
    codebook=str(RAW / "survey/synthetic_nettskjema-codebook.json"),
    interviews=str(RAW / "interviews/synthetic_maxqda-coded-segments.xlsx"),
    document_variables=str(RAW / "interviews/synthetic_maxqda-document-variables.xlsx"),
    monitoring=str(RAW / "monitoring/synthetic_weekly-aggregates.csv"),
    milestones=str(RAW / "monitoring/synthetic_milestones.csv"),
)


def demo_decided() -> dict[str, dict]:
    """The demo's definitions under the drafted files' names; its paths made absolute."""
    config = yaml.safe_load((REPO / "config/config.yaml").read_text())
    config["deid"]["names_file"] = str(REPO / config["deid"]["names_file"])
    out = {"config.yaml": config}
    for name, path in config["study"].items():
        study = yaml.safe_load((REPO / path).read_text())
        if name == "report":
            study["prose"] = str(DEMO / study["prose"])
        out[Path(path).name] = study
    return out


@pytest.fixture(scope="module")
def drafted_demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("drafted_demo") / "demo-study"
    decisions = draft_study(DEMO_EXPORTS, out)
    assert apply_decisions(out, demo_decided(), decisions) >= len(decisions)
    run_snakemake(out)
    return out


def test_draft_plus_the_demo_decisions_reproduces_the_demo_tables(
    drafted_demo: Path, demo_run: Path
):
    expected = sorted(p.name for p in (demo_run / "results/tables").glob("*.csv"))
    got = sorted(p.name for p in (drafted_demo / "results/tables").glob("*.csv"))
    assert got == expected
    differing = []
    for name in expected:
        a = pd.read_csv(demo_run / "results/tables" / name, dtype=str, keep_default_na=False)
        b = pd.read_csv(drafted_demo / "results/tables" / name, dtype=str, keep_default_na=False)
        # Rows in the same order, except where the order is the sites' (organisation.yaml lists
        # them as the demo's author did; the draft, as the export first names them).
        if "site" in a.columns and list(a.columns) == list(b.columns):
            a, b = (t.sort_values(list(t.columns), ignore_index=True) for t in (a, b))
        if not a.equals(b):
            differing.append(name)
    assert not differing, f"tables that differ from the demo's: {differing}"
    assert (drafted_demo / "results/report/impleval-report-nb.html").exists()
