"""Decision rules of the survey results section: 'differs', direction words, 'explained by'."""

import math

import pandas as pd
import pytest

from impleval.report.sections.survey import (
    ATTENUATION,
    differing,
    direction,
    explained_by_covariates,
)


def test_differing_uses_the_family_adjusted_p_and_never_counts_missing():
    frame = pd.DataFrame({"p_adjusted": [0.01, 0.049999, 0.05, 0.2, math.nan]})
    assert differing(frame, 0.05).index.tolist() == [0, 1]


@pytest.mark.parametrize(
    ("estimate", "p", "expected"),
    [
        (0.4, 0.01, "higher"),
        (-0.4, 0.01, "lower"),
        (0.4, 0.05, None),
        (-0.4, 0.2, None),
        (0.0, 0.001, None),
        (0.4, math.nan, None),
    ],
)
def test_direction_word_only_when_the_pair_passes_its_own_test(estimate, p, expected):
    assert direction(estimate, p, 0.05) == expected


def adjusted_row(unadj_p, adj_p, unadj_stat=20.0, adj_stat=4.0, cov_p=0.001, df=3):
    return pd.Series(
        {
            "unadj_p_adjusted": unadj_p,
            "adj_p_adjusted": adj_p,
            "unadj_statistic": unadj_stat,
            "unadj_df": df,
            "adj_statistic": adj_stat,
            "adj_df": df,
            "cov_p": cov_p,
        }
    )


def test_explained_needs_significance_lost_statistic_halved_and_covariates_related():
    assert explained_by_covariates(adjusted_row(0.001, 0.3), 0.05) == "explained"


def test_a_lost_significance_without_attenuation_is_only_weakened():
    # 20 → 11 per 3 df is not halved: the change of significance alone explains nothing.
    assert explained_by_covariates(adjusted_row(0.001, 0.06, adj_stat=11.0), 0.05) == "weakened"


def test_attenuation_threshold_is_inclusive():
    row = adjusted_row(0.001, 0.3, unadj_stat=20.0, adj_stat=20.0 * ATTENUATION)
    assert explained_by_covariates(row, 0.05) == "explained"


def test_covariates_unrelated_to_the_answers_explain_nothing():
    assert explained_by_covariates(adjusted_row(0.001, 0.3, cov_p=0.4), 0.05) == "weakened"


def test_persists_appears_and_none():
    assert explained_by_covariates(adjusted_row(0.001, 0.01), 0.05) == "persists"
    assert explained_by_covariates(adjusted_row(0.2, 0.01), 0.05) == "appears"
    assert explained_by_covariates(adjusted_row(0.2, 0.3), 0.05) == "none"
