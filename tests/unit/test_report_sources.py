"""Static checks of the real report sources: frames, chapters, variables, figures, references."""

from pathlib import Path

import pytest
import yaml

from impleval.report.checks import check_sources, source_problems
from impleval.report.values import report_values
from impleval.report.variables import keys_used

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "report"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_frame_and_chapters_are_well_formed(language):
    problems = check_sources(SOURCE, None, languages=[language])[language]
    assert problems == []


@pytest.mark.e2e
def test_every_variable_exists_after_a_pipeline_run(demo_run):
    """Every {{< var >}} key of both languages' chapters is produced by the demo pipeline."""
    merged = demo_run / "results/report/variables.yml"
    variables = yaml.safe_load(merged.read_text(encoding="utf-8"))
    variables.setdefault("report", {})["renderer"] = "any"  # added at render time
    problems = check_sources(SOURCE, variables, languages=["nb", "en"])
    assert problems == {"nb": [], "en": []}


def test_report_keys_used_by_the_frame_are_produced():
    produced = report_values(
        study_name="x",
        synthetic=True,
        min_cell=5,
        seed=1,
        language="nb",
        survey_analysis={},
        interviews_analysis={},
        monitoring={},
    )
    produced["report"]["renderer"] = "any"
    text = "".join(p.read_text(encoding="utf-8") for p in SOURCE.rglob("*.qmd"))
    for key in keys_used(text):
        top, *rest = key.split(".")
        if top in produced:
            node = produced
            for part in key.split("."):
                assert part in node, f"{key} is not produced by impleval.report.values"
                node = node[part]


def test_source_checker_finds_problems():
    text = '---\ntitle: "T"\n---\n![c](figures/a.png){#fig-a}\nSee @fig-b and @tbl-c.\n'
    problems = source_problems(text, {"a": {}})
    assert "figure fig-a has no fig-alt" in problems
    assert "cross-reference @fig-b has no target" in problems
    assert "cross-reference @tbl-c has no target" in problems
    assert any("no YAML header" in p for p in source_problems("x", None))
