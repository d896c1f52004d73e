"""Survey statistics on small simulated data: scores, descriptives, suppression, multiplicity,
reproducibility, settings validation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from impleval.config import load_yaml
from impleval.errors import InputError
from impleval.survey.settings import GroupVar, check_items_present, cut_points, validate_settings
from impleval.survey.stats import effects as fx
from impleval.survey.stats.analyse import analyse_survey
from impleval.survey.stats.multiplicity import adjust, holm
from impleval.survey.stats.scores import scale_scores

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "config/schema/survey-analysis.schema.yaml"


def test_demo_analysis_definition_is_valid():
    settings = validate_settings(load_yaml(REPO / "config/demo-study/survey-analysis.yaml"), SCHEMA)
    assert settings["group_vars"][0]["name"] == "region"
    assert settings["bootstrap"]["n_boot"] >= 100
    assert cut_points(settings, "G1")["agree_min"] == 7
    assert cut_points(settings, "CO1")["agree_min"] == 4


def test_invalid_definition_names_the_file():
    with pytest.raises(InputError, match="survey-analysis.yaml"):
        validate_settings({"scales": {}}, SCHEMA, file="survey-analysis.yaml")


def test_unknown_item_is_an_error(small):
    _, responses, settings = small
    settings = {**settings, "scales": {**settings["scales"], "typo": {"items": ["CO9"]}}}
    with pytest.raises(InputError, match="CO9"):
        check_items_present(settings, responses["item"].unique(), file="responses.parquet")


def test_scale_score_needs_minimum_share():
    wide = pd.DataFrame(
        {"A": [1, 1, np.nan, np.nan], "B": [3, np.nan, np.nan, 5], "C": [5, 5, np.nan, np.nan]}
    )
    out = scale_scores(wide, {"s": {"items": ["A", "B", "C"]}}, 0.6667)
    assert out["s"].tolist()[:2] == [3.0, 3.0]  # 2 of 3 answered is enough
    assert out["s"].isna().tolist()[2:] == [True, True]  # 0 or 1 of 3 is not


def test_group_order_reference_first():
    gv = GroupVar("region", "hso", ("hso", "vest", "midt", "nord"))
    assert gv.order(["nord", "vest", "hso", "x"]) == ["hso", "vest", "nord", "x"]


def test_holm_matches_statsmodels():
    p = np.array([0.01, 0.04, 0.03, 0.2, 0.001, 0.04])
    assert np.allclose(holm(p), multipletests(p, method="holm")[1])


def test_families_are_adjusted_separately():
    df = pd.DataFrame({"outcome": ["a", "a", "b", "b"], "p_value": [0.01, 0.04, 0.01, np.nan]})
    out = adjust(df, {"method": "holm", "within": ["outcome"]})
    assert out["p_adjusted"].tolist()[:3] == pytest.approx([0.02, 0.04, 0.01])
    assert np.isnan(out["p_adjusted"].iloc[3])
    assert (out["adjust_method"] == "holm").all()


def test_kruskal_from_counts_equals_scipy():
    rng = np.random.default_rng(0)
    groups = [rng.integers(1, 6, n).astype(float) for n in (30, 50, 20)]
    counts = fx.level_counts(groups, np.arange(1, 6))
    assert fx.kruskal_h_from_counts(counts) == pytest.approx(stats.kruskal(*groups).statistic)


def test_result_columns_are_the_contract(results):
    assert list(results.group_summary.columns) == [
        "outcome",
        "outcome_type",
        "group_var",
        "group",
        "n",
        "n_not_relevant",
        "mean",
        "sd",
        "median",
        "q1",
        "q3",
        "pct_agree",
        "pct_disagree",
        "suppressed",
    ]
    assert list(results.reliability.columns) == [
        "scale",
        "n_items",
        "n",
        "alpha",
        "alpha_ci_low",
        "alpha_ci_high",
        "omega",
        "omega_ci_low",
        "omega_ci_high",
    ]
    assert list(results.omnibus.columns)[:15] == [
        "outcome",
        "outcome_type",
        "group_var",
        "test",
        "statistic",
        "df1",
        "df2",
        "p_value",
        "p_adjusted",
        "adjust_method",
        "effect_size",
        "effect_size_name",
        "es_ci_low",
        "es_ci_high",
        "n",
    ]
    need = [
        "outcome",
        "group_var",
        "group_a",
        "group_b",
        "test",
        "statistic",
        "p_value",
        "p_adjusted",
        "effect_size",
        "effect_size_name",
        "es_ci_low",
        "es_ci_high",
        "n_a",
        "n_b",
    ]
    assert set(need) <= set(results.pairwise.columns)
    need = ["outcome", "term", "odds_ratio", "ci_low", "ci_high", "p_value", "po_test_p"]
    assert set(need) <= set(results.ordinal.columns)
    assert set(results.omnibus["outcome_type"]) == {"item", "scale"}


def test_every_planned_test_is_present(results):
    tests = set(results.omnibus["test"])
    assert {"kruskal_wallis", "welch_anova"} <= tests
    assert any(t.endswith("not_relevant") for t in tests)
    assert "TRAINING" in set(results.omnibus["outcome"])
    assert set(results.pairwise["test"]) == {"dunn", "games_howell"}
    assert set(results.pairwise["group_var"]) == {"region", "role"}  # trust: pairwise off
    assert (results.pairwise["p_adjusted"] >= results.pairwise["p_value"] - 1e-12).all()
    ci = results.omnibus.dropna(subset=["es_ci_low"])
    assert (ci["es_ci_low"] <= ci["es_ci_high"]).all()


def test_small_groups_are_suppressed_and_left_out(small):
    respondents, responses, settings = small
    respondents = respondents.copy()
    respondents.loc[respondents.index[:3], "trust"] = "tiny"  # 3 staff in one trust
    res = analyse_survey(respondents, responses, settings, min_cell=5, seed=11)
    tiny = res.group_summary[res.group_summary["group"] == "tiny"]
    assert tiny["suppressed"].all() and tiny["mean"].isna().all() and tiny["n"].isna().all()
    # Complementary suppression: one more trust hidden per outcome so "all" can't reveal it.
    per_outcome = res.group_summary[res.group_summary["group_var"] == "trust"].groupby("outcome")
    assert (per_outcome["suppressed"].sum() >= 2).all()
    assert res.omnibus.loc[res.omnibus["group_var"] == "trust", "n_groups"].max() < 8


def test_runs_are_identical(small, results):
    respondents, responses, settings = small
    again = analyse_survey(respondents, responses, settings, min_cell=5, seed=11)
    for name in ("group_summary", "reliability", "omnibus", "pairwise", "ordinal"):
        pd.testing.assert_frame_equal(getattr(results, name), getattr(again, name))


def test_survey_figures_take_captions_from_config(small, results):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from impleval.survey.plots.figures import FIGURES, study_labels, survey_figures

    respondents, responses, settings = small
    demo = validate_settings(load_yaml(REPO / "config/demo-study/survey-analysis.yaml"), SCHEMA)
    settings = {**settings, "figures": demo["figures"]}
    organisation = {"regions": [{"id": "hso", "label": {"nb": "Sør-Øst", "en": "South-East"}}]}
    labels = study_labels(settings, organisation, {}, {}, REPO / "report/phrases", "en")
    drawn = []
    for name, fig, caption, alt in survey_figures(
        respondents,
        responses,
        results.scores,
        results.pairwise,
        results.ordinal,
        settings,
        labels,
        min_cell=5,
        language="en",
    ):
        drawn.append(name)
        assert caption and alt and "{" not in caption + alt
        if name == "survey_forest":
            assert "95% confidence intervals" in caption and "against South-East" in caption
        plt.close(fig)
    assert drawn == list(FIGURES)
    with pytest.raises(InputError, match="survey_forest"):
        next(
            survey_figures(
                respondents,
                responses,
                results.scores,
                results.pairwise,
                results.ordinal,
                {**settings, "figures": {}},
                labels,
                min_cell=5,
                language="en",
            )
        )
