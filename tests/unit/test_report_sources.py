"""Static checks of the generated report source (index.qmd): YAML header, figures with alt text,
every cross-reference with a target, no raw id or code on the page, in both languages."""

import glob

import pytest

from impleval.report.checks import source_problems
from impleval.report.compose import build_context, generate

STUDY = {
    "organisation": "organisation",
    "report": "report",
    "survey": "survey",
    "survey_analysis": "survey-analysis",
    "interviews": "interviews",
    "interviews_analysis": "interviews-analysis",
    "monitoring": "monitoring",
}


def demo_document(run, language):
    results = run / "results"
    ctx = build_context(
        language=language,
        study_paths={k: run / f"config/demo-study/{v}.yaml" for k, v in STUDY.items()},
        settings={"min_cell": 5, "synthetic": True, "seed": 1, "deid": {"on_hit": "fail"}},
        tables=results / "tables",
        values_files=glob.glob(str(results / "values/*.yml")),
        figures=results / "figures" / language,
        phrases=run / "report/phrases",
        provenance=results / "provenance.json",
        checklists=run / "report/checklists.yaml",
    )
    return generate(ctx, "test renderer")


@pytest.mark.e2e
@pytest.mark.parametrize("language", ["nb", "en"])
def test_generated_demo_report_is_well_formed(demo_run, language):
    from tests.conftest import run_snakemake

    # The other language's report builds beside the configured one (its figures, its render).
    run_snakemake(demo_run, f"results/report/impleval-report-{language}.html")
    text = demo_document(demo_run, language)
    assert source_problems(text) == []


def test_source_checker_finds_problems():
    text = '---\ntitle: "T"\n---\n![c](figures/a.png){#fig-a}\nSee @fig-b and @tbl-c.\n'
    problems = source_problems(text, {"a": {}})
    assert "figure fig-a has no fig-alt" in problems
    assert "cross-reference @fig-b has no target" in problems
    assert "cross-reference @tbl-c has no target" in problems
    assert any("no YAML header" in p for p in source_problems("x", None))
