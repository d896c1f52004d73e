"""Survey statistics after review: fixed multiplicity families, the ω² interval, small groups not
recoverable by subtraction, name-keyed random streams, effect-size direction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats
from statsmodels.stats.multitest import multipletests

from impleval.survey.stats import effects as fx
from impleval.survey.stats.analyse import analyse_survey
from impleval.survey.stats.reliability import scale_reliability
from impleval.survey.stats.scores import wide_scores

MIN_CELL = 5


def _family(omnibus: pd.DataFrame, family: str) -> pd.DataFrame:
    return omnibus[(omnibus["group_var"] == "region") & (omnibus["family"] == family)]


def test_item_screen_family_does_not_depend_on_the_test_variant(small, results):
    respondents, responses, settings = small
    assert settings["multiplicity"]["item_screen"]["within"] == ["group_var", "family"]
    # CO1 with only two "not relevant" answers: expected counts < 5, so the permutation variant.
    responses = responses.copy()
    co1 = responses["item"] == "CO1"
    nr = co1 & (responses["not_relevant"] | responses["dont_know"])
    keep_nr = responses.index[nr][:2]
    clear = nr & ~responses.index.isin(keep_nr)
    responses.loc[clear, ["score", "code", "not_relevant", "dont_know"]] = [3.0, "03", False, False]
    res = analyse_survey(respondents, responses, settings, min_cell=MIN_CELL, seed=11)
    row = res.omnibus[
        (res.omnibus["outcome"] == "CO1")
        & (res.omnibus["group_var"] == "region")
        & (res.omnibus["family"] == "not_relevant")
    ]
    assert row["test"].item() == "chi2_permutation_not_relevant"
    before, after = _family(results.omnibus, "not_relevant"), _family(res.omnibus, "not_relevant")
    assert len(after) == len(before) > 1
    # One BH family over all not-relevant tests of region, whichever variant each item needed.
    expected = multipletests(after["p_value"].to_numpy(), method="fdr_bh")[1]
    np.testing.assert_allclose(after["p_adjusted"].to_numpy(), expected)
    assert set(results.omnibus["family"]) == {"kruskal", "not_relevant", "categorical", "scale"}


def _omega2_ci_by_hand(f, df1, df2, n, level):
    """Reference: invert the noncentral F cdf (scipy.stats.ncf) for λ with a root finder, then
    ω² = λ / (λ + n) (population ω² = f²/(1 + f²), Cohen's f² = λ/n); bound 0 where no λ ≥ 0
    solves the equation. Written independently of statsmodels."""
    tail = (1 - level) / 2

    def solve(target):
        g = lambda lam: stats.ncf.cdf(f, df1, df2, lam) - target  # noqa: E731 (decreasing in λ)
        if g(0.0) <= 0:
            return 0.0
        return optimize.brentq(g, 0.0, 1e4, xtol=1e-12)

    lam_low, lam_high = solve(1 - tail), solve(tail)
    return lam_low / (lam_low + n), lam_high / (lam_high + n)


@pytest.mark.parametrize(
    "f, df1, df2, n",
    [(4.2, 3, 140.5, 240), (9.7, 3, 60.2, 160), (1.6, 5, 80.0, 300), (0.7, 3, 50.0, 120)],
)
def test_omega_squared_interval_matches_noncentral_f_by_hand(f, df1, df2, n):
    est, low, high = fx.omega_squared_welch(f, df1, df2, n, 0.95)
    ref_low, ref_high = _omega2_ci_by_hand(f, df1, df2, n, 0.95)
    # scipy's ncfdtrinc (used by statsmodels) solves the cdf to about 1e-5: tolerance 1e-4 in ω².
    assert low == pytest.approx(ref_low, abs=1e-4)
    assert high == pytest.approx(ref_high, abs=1e-4)
    assert est == pytest.approx(max(0.0, df1 * (f - 1)) / (max(0.0, df1 * (f - 1)) + n))
    assert low <= est <= high


def test_omega_squared_estimate_inside_its_interval_on_a_grid():
    for f in [0.2, 0.9, 1.0, 1.1, 2.0, 5.0, 20.0]:
        for df1 in [1, 2, 3, 16]:
            for n in [30, 200]:
                for df2 in [n - df1 - 1.0, 0.3 * (n - df1 - 1)]:
                    est, low, high = fx.omega_squared_welch(f, df1, df2, n, 0.95)
                    assert 0 <= low <= est <= high < 1


def test_one_tiny_group_cannot_be_recovered_by_subtraction(small):
    respondents, responses, settings = small
    respondents = respondents.copy()
    respondents.loc[respondents.index[:3], "region"] = "tiny"  # 3 staff in one region
    res = analyse_survey(respondents, responses, settings, min_cell=MIN_CELL, seed=11)
    summary = res.group_summary[res.group_summary["group_var"] == "region"]
    total = summary[summary["group"] == "all"].set_index("outcome")["n"]
    omni = res.omnibus[res.omnibus["group_var"] == "region"]
    kw = omni[omni["test"].isin(["kruskal_wallis", "welch_anova"])].set_index("outcome")
    left_out = total.reindex(kw.index).astype(float) - kw["n"]
    tiny_n = summary.loc[summary["group"] == "tiny"].set_index("outcome")["n"]
    assert (kw["n_groups"] <= 3).all()  # tiny and a complement left out of the test
    assert (left_out >= MIN_CELL).all()
    assert tiny_n.isna().all()  # and hidden in the summary
    # Pairwise rows describe only the kept groups.
    assert "tiny" not in set(res.pairwise["group_b"]) | set(res.pairwise["group_a"])
    # Proportional-odds models: the region levels kept are also at least two short of five.
    regions = res.ordinal[res.ordinal["variable"] == "region"]
    assert "tiny" not in set(regions["level"])
    for _item, rows in regions.groupby("outcome"):
        assert rows["level"].nunique() <= 2  # 5 levels − tiny − complement − reference


def test_hidden_region_count_is_not_total_minus_the_others(small):
    from impleval.survey.stats.characteristics import characteristics

    respondents, _, _ = small
    tiny = respondents.copy()
    tiny.loc[tiny.index[:3], "region"] = "tiny"
    table = characteristics(tiny, ["region"], by=None, min_cell=MIN_CELL)
    regions = table[(table["variable"] == "region") & (table["level"] != "all")]
    hidden = regions[regions["suppressed"]]["level"].tolist()
    assert "tiny" in hidden and len(hidden) >= 2
    # Nothing suppressed without a small region.
    plain = characteristics(respondents, ["region"], by=None, min_cell=MIN_CELL)
    assert not plain["suppressed"].any()
    assert int(plain[plain["level"] == "all"]["n"].iloc[0]) == len(respondents)


def test_nr_count_uses_the_family(results, small):
    from impleval.survey.values import survey_facts

    _, _, settings = small
    facts = survey_facts(results, settings)["survey"]
    nr = _family(results.omnibus, "not_relevant")
    assert facts["n_items_not_relevant_differing"] == int(
        (nr["p_adjusted"] < settings["alpha"]).sum()
    )


def test_omega_streams_are_keyed_on_the_scale_name(small):
    _, responses, settings = small
    wide = wide_scores(responses)
    scales = settings["scales"]
    forward = scale_reliability(wide, scales, n_boot=20, ci_level=0.95, seed=4).set_index("scale")
    reverse = dict(reversed(list(scales.items())))
    backward = scale_reliability(wide, reverse, n_boot=20, ci_level=0.95, seed=4).set_index("scale")
    pd.testing.assert_frame_equal(forward, backward.loc[forward.index])
