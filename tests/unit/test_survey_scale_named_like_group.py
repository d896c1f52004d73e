"""A scale may carry a group variable's name (a hand-written survey-analysis.yaml with a scale
`trust` beside the health trust `trust`, or `region`): the analysis job runs, its respondent-level
scores file keeps each group column as `group__<name>` beside the scale's own column, and the
scale-distribution figure reads the groups from there.

Before the fix the scores file renamed `group__trust` to `trust`, next to the scale `trust`, and
writing it failed with pyarrow's duplicate-column error; the scale-level adjusted tests failed on
a scale named like an adjusted-model variable (`region`) first."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from impleval.survey.settings import group_column
from tests.script_harness import Named, rule_outputs

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "config/demo-study"
RAW = REPO / "data/raw/survey"
# Demo scales renamed to group variables' names: `region` (also the adjusted model's group
# variable) and `trust` (a group variable with pairwise comparisons off).
RENAMED = {"coherence": "region", "cognitive_participation": "trust"}


class Io(Named):
    """Named, with every key also an attribute (the output `values` is not dict.values)."""

    def __init__(self, items: dict) -> None:
        super().__init__(items)
        self.__dict__.update(items)


def _smk(inputs: dict, output: dict, params: dict, log: Path):
    smk = type("Smk", (), {})()
    smk.input, smk.output, smk.params = Io(inputs), Io(output), Io(params)
    smk.log = [str(log)]
    return smk


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    if not (RAW / "synthetic_nettskjema-data-report.csv").exists():
        pytest.skip("demo survey export not generated")
    from impleval.survey.steps import analyse_survey, prepare_survey

    out = tmp_path_factory.mktemp("scale_named_like_group")
    study = {
        "survey": str(DEMO / "survey.yaml"),
        "organisation": str(DEMO / "organisation.yaml"),
    }
    prepared = rule_outputs("prepare_survey", out)
    for path in prepared.values():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    prepare_survey(
        _smk(
            {
                "report": str(RAW / "synthetic_nettskjema-data-report.csv"),
                "codebook": str(RAW / "synthetic_nettskjema-codebook.json"),
                **study,
                "schema": str(REPO / "config/schema/survey.schema.yaml"),
            },
            prepared,
            {
                "format": "nettskjema_wide",
                "export_keys": ["report", "codebook"],
                "on_hit": "redact",
            },
            out / "prepare.log",
        )
    )
    analysis = yaml.safe_load((DEMO / "survey-analysis.yaml").read_text(encoding="utf-8"))
    analysis["scales"] = {RENAMED.get(k, k): v for k, v in analysis["scales"].items()}
    analysis["bootstrap"] = {**analysis.get("bootstrap", {}), "n_boot": 99, "n_boot_omega": 10}
    analysis_file = out / "survey-analysis.yaml"
    text = yaml.safe_dump(analysis, allow_unicode=True, sort_keys=False)
    analysis_file.write_text(text, encoding="utf-8")
    outputs = rule_outputs("analyse_survey", out)
    analyse_survey(
        _smk(
            {
                "respondents": prepared.respondents,
                "submissions": prepared.submissions,
                "responses": prepared.responses,
                "analysis": str(analysis_file),
                **study,
                "schema": str(REPO / "config/schema/survey-analysis.schema.yaml"),
            },
            outputs,
            {"min_cell": 5, "seed": 20230829},
            out / "analyse.log",
        )
    )
    return analysis, outputs


def test_scores_file_keeps_group_prefix_beside_a_scale_of_the_same_name(analysed):
    analysis, outputs = analysed
    scores = pd.read_parquet(outputs.scores)
    groups = [g["name"] for g in analysis["group_vars"]]
    assert {"region", "trust"} <= set(groups)
    assert list(scores.columns) == [
        "respondent_id",
        *[group_column(g) for g in groups],
        *analysis["scales"],
    ]
    assert scores["region"].between(1, 5).any()  # the scale's scores, not region ids
    assert scores[group_column("region")].isin(["hso", "vest", "midt", "nord"]).all()
    omnibus = pd.read_csv(outputs.omnibus)
    welch = omnibus[omnibus["test"] == "welch_anova"]
    assert {"region", "trust"} <= set(welch["outcome"])
    adjusted = pd.read_csv(outputs.adjusted_scales)
    assert adjusted.set_index("scale").loc["region", "n"] > 0


def test_distribution_figure_reads_groups_beside_a_scale_of_the_same_name(analysed):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from impleval.survey.plots.distributions import scale_distributions

    _, outputs = analysed
    scores = pd.read_parquet(outputs.scores)
    groups = ["hso", "vest", "midt", "nord"]
    fig = scale_distributions(scores, ["region", "trust"], {}, "region", groups, {}, 5, "en")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == groups
    plt.close(fig)
