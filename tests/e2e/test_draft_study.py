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


SCREENING = REPO / "tests/studies/screening/data"
SCREENING_EXPORTS = Exports(
    survey=str(SCREENING / "survey/skjema-918273-svar.csv"),
    codebook=str(SCREENING / "survey/skjema-918273-kodebok.json"),
    interviews=str(SCREENING / "interviews/kodede-segmenter.xlsx"),
    document_variables=str(SCREENING / "interviews/dokumentvariabler.xlsx"),
    monitoring=str(SCREENING / "monitoring/ukestall.csv"),
    milestones=str(SCREENING / "monitoring/milepaeler.csv"),
)


def test_the_untouched_draft_of_the_second_study_runs_to_its_report(tmp_path):
    out = tmp_path / "screening-study"
    draft_study(SCREENING_EXPORTS, out, language="en")
    run_snakemake(out)
    html = (out / "results/report/impleval-report-en.html").read_text(encoding="utf-8")
    assert "impleval" in html and len(list((out / "results/tables").glob("*.csv"))) > 15


def test_an_untouched_draft_stops_naming_the_open_decision(tmp_path):
    """A go-live milestone no label names: the draft holds DECIDE, and the run stops with the
    usual message naming the file and key, no traceback."""
    milestones = tmp_path / "milestones.csv"
    text = (SCREENING / "monitoring/milepaeler.csv").read_text(encoding="utf-8")
    milestones.write_text(text.replace("Oppstart", "Fase 2"), encoding="utf-8")
    out = tmp_path / "study"
    exports = Exports(monitoring=SCREENING_EXPORTS.monitoring, milestones=str(milestones))
    draft_study(exports, out)
    proc = run_snakemake(out, check=False)
    assert proc.returncode != 0
    log = (out / "logs/monitoring/prepare_monitoring.log").read_text(encoding="utf-8")
    assert "monitoring.yaml" in log and "milestones/go_live" in log and "DECIDE" in log
    assert "Traceback" not in log
    assert "| monitoring.yaml | `milestones.go_live` |" in (out / "DECISIONS.md").read_text()
