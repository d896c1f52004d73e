"""Proportional-odds models: frequency-weighted fit = respondent-level fit; Brant test behaviour;
figures obey the small-cell rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.miscmodels.ordinal_model import OrderedModel

from impleval.survey.stats import ordinal as so


def _data(n=800, seed=0, non_po=False):
    rng = np.random.default_rng(seed)
    region = rng.choice(["hso", "vest", "nord"], n)
    role = rng.choice(["a", "b", "c"], n)
    latent = rng.logistic(size=n) + 0.7 * (region == "vest") - 0.5 * (role == "b")
    if non_po:  # role c: answers pushed to both extremes (violates proportional odds)
        latent = np.where(role == "c", latent * 3, latent)
    y = np.digitize(latent, [-1.5, -0.5, 0.5, 1.5]) + 1.0
    return pd.DataFrame({"region": region, "role": role, "Y": y})


REFS = {"region": "hso", "role": "a"}


def test_weighted_fit_equals_respondent_level_fit():
    df = _data()
    rows = pd.DataFrame(so.ordinal_item(df, "Y", "region", ["role"], REFS, ci_level=0.95))
    adjusted = rows[rows["model"] == "adjusted"]
    x = so.design(df, ["region", "role"], REFS)
    full = OrderedModel(pd.Series(pd.Categorical(df["Y"], ordered=True)), x, distr="logit").fit(
        method="bfgs", disp=False, maxiter=1000
    )
    np.testing.assert_allclose(adjusted["odds_ratio"], np.exp(full.params[x.columns]), rtol=1e-3)
    se = (np.log(adjusted["ci_high"]) - np.log(adjusted["ci_low"])) / (2 * 1.959964)
    np.testing.assert_allclose(se, full.bse[x.columns], rtol=1e-2)
    vest = adjusted.set_index("term").loc["region[vest]"]
    assert vest["ci_low"] < np.exp(0.7) < vest["ci_high"]  # planted log-odds 0.7 inside the CI


def test_brant_test_flags_non_proportional_odds():
    ok = pd.DataFrame(so.ordinal_item(_data(seed=1), "Y", "region", ["role"], REFS, ci_level=0.95))
    bad = pd.DataFrame(
        so.ordinal_item(_data(seed=1, non_po=True), "Y", "region", ["role"], REFS, ci_level=0.95)
    )

    def role_p(t):
        return t[(t["model"] == "adjusted") & (t["variable"] == "role")]["po_test_p"].iloc[0]

    assert role_p(ok) > 0.01
    assert role_p(bad) < 0.001


def test_joint_tests_of_group_and_covariates():
    rows = pd.DataFrame(
        so.ordinal_item(_data(n=1500), "Y", "region", ["role"], REFS, ci_level=0.95)
    )
    region = rows[(rows["variable"] == "region")].drop_duplicates("model").set_index("model")
    assert region.loc["adjusted", "joint_p"] < 0.001
    role = rows[rows["variable"] == "role"]["joint_p"].iloc[0]
    assert role < 0.001


def test_figures_never_draw_small_groups(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from impleval.demo.simulate_survey import simulate
    from impleval.survey.plots.distributions import scale_distributions
    from impleval.survey.plots.likert import likert_shares

    respondents, responses = simulate(n=200, seed=5)
    respondents.loc[respondents.index[:3], "region"] = "tiny"
    shares = likert_shares(responses, respondents, {"coherence": ["CO1", "CO2"]}, "region", 5)
    assert "tiny" not in set(shares["group"])
    scores = respondents[["region"]].rename(columns={"region": "group__region"})
    scores = scores.assign(coherence=np.linspace(1, 5, len(respondents)))
    fig = scale_distributions(
        scores, ["coherence"], {}, "region", ["hso", "vest", "midt", "nord", "tiny"], {}, 5, "en"
    )
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "tiny" not in labels and "hso" in labels
