"""Scale-level adjusted comparison (survey/stats/adjusted.py): the stacked proportional-odds model
against independent fits, its respondent-clustered covariance, the survey_adjusted_scales table,
and the Brant table's note on untested models."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special
from statsmodels.miscmodels.ordinal_model import OrderedModel

from impleval.survey.settings import group_vars
from impleval.survey.stats import adjusted as adj
from impleval.survey.stats import ordinal as so
from impleval.survey.stats.analyse import respondent_frame
from impleval.survey.stats.multiplicity import holm

REFS = {"region": "a", "role": "x"}


def _people(n=400, seed=2, items=3, shared=1.0):
    """Respondents with `items` answers each sharing a latent value (weight `shared`)."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"region": rng.choice(["a", "b", "c"], n), "role": rng.choice(["x", "y"], n)})
    eta = 0.5 * (df["region"] == "b") - 0.4 * (df["role"] == "y")
    common = rng.logistic(size=n)
    for j in range(items):
        own = rng.logistic(size=n)
        latent = eta + shared * common + (1 - shared) * own + 0.3 * j
        df[f"I{j}"] = np.digitize(latent, [-1, 0, 1.2]) + 1.0
    return df


def _long(df, items):
    parts = [
        pd.DataFrame({"respondent": np.arange(len(df)), "item": j, "answer": df[i] - 1})
        for j, i in enumerate(items)
    ]
    return pd.concat(parts, ignore_index=True).astype(int)


def test_one_item_is_the_proportional_odds_mle():
    """One item: the estimates are statsmodels' OrderedModel MLE, the model-based SEs its SEs."""
    df = _people(items=1)
    x = so.design(df, ["region", "role"], REFS)
    fit = adj.fit_stacked(_long(df, ["I0"]), x)
    ref = OrderedModel(df["I0"], x, distr="logit").fit(
        method="bfgs", disp=False, maxiter=2000, gtol=1e-10
    )
    assert fit.converged
    np.testing.assert_allclose(fit.beta, ref.params[x.columns], atol=1e-6)
    assert fit.loglike == pytest.approx(ref.llf, abs=1e-8)
    np.testing.assert_allclose(np.sqrt(np.diag(fit.cov_model)), ref.bse[x.columns], rtol=1e-2)


def test_cluster_covariance_by_numerical_differentiation():
    """The sandwich from scratch: the answer probabilities written out here, their log-gradients
    by finite differences; bread = the expected information Σ p_k g_k g_kᵀ, meat = the
    respondents' summed gradients at their answers."""
    df = _people(n=150, items=2)
    items = ["I0", "I1"]
    x = so.design(df, ["region", "role"], REFS)
    fit = adj.fit_stacked(_long(df, items), x)
    X = x.to_numpy(float)
    y = df[items].to_numpy(int) - 1
    psi = np.concatenate([fit.thresholds, fit.beta.to_numpy()])

    def prob(p, i, j, k):
        cuts = np.concatenate([[-np.inf], p[3 * j : 3 * j + 3], [np.inf]])
        eta = X[i] @ p[6:]
        return special.expit(cuts[k + 1] - eta) - special.expit(cuts[k] - eta)

    info = np.zeros((len(psi), len(psi)))
    scores = np.zeros((len(df), len(psi)))
    for i in range(len(df)):
        for j in range(2):
            for k in range(4):
                g = optimize.approx_fprime(psi, lambda p, a=(i, j, k): np.log(prob(p, *a)), 1e-7)
                info += prob(psi, i, j, k) * np.outer(g, g)
                if k == y[i, j]:
                    scores[i] += g
    bread = np.linalg.inv(info)
    G = len(df)
    cov = bread @ (scores.T @ scores * G / (G - 1)) @ bread
    np.testing.assert_allclose(fit.cov.to_numpy(), cov[6:, 6:], rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(fit.cov_model.to_numpy(), bread[6:, 6:], rtol=1e-4, atol=1e-7)


def test_answers_of_one_respondent_are_not_independent_information():
    """The same item stacked twice (identical answers) leaves the estimates and the clustered
    covariance as they were, while the model-based variance would halve; with strongly
    correlated items the clustered SEs exceed the model-based ones."""
    df = _people(items=1)
    x = so.design(df, ["region", "role"], REFS)
    once = adj.fit_stacked(_long(df, ["I0"]), x)
    twice = adj.fit_stacked(_long(df.assign(I9=df["I0"]), ["I0", "I9"]), x)
    np.testing.assert_allclose(twice.beta, once.beta, atol=1e-7)
    np.testing.assert_allclose(twice.cov, once.cov, rtol=1e-5)
    np.testing.assert_allclose(twice.cov_model, once.cov_model / 2, rtol=1e-5)
    corr = _people(items=4, shared=0.9)
    fit = adj.fit_stacked(_long(corr, ["I0", "I1", "I2", "I3"]), x)
    assert (np.diag(fit.cov) > 1.5 * np.diag(fit.cov_model)).all()


def test_wald_test_of_a_block():
    df = _people(n=1200, items=3)
    x = so.design(df, ["region", "role"], REFS)
    fit = adj.fit_stacked(_long(df, ["I0", "I1", "I2"]), x)
    stat, dof, p = fit.wald(["region[b]", "region[c]"])
    b = fit.beta[["region[b]", "region[c]"]].to_numpy()
    v = fit.cov.loc[["region[b]", "region[c]"], ["region[b]", "region[c]"]].to_numpy()
    assert stat == pytest.approx(b @ np.linalg.solve(v, b)) and dof == 2 and p < 1e-6
    assert np.isnan(fit.wald([])[0])


@pytest.fixture(scope="module")
def survey():
    from pathlib import Path

    from impleval.demo.simulate_survey import settings as sim_settings
    from impleval.demo.simulate_survey import simulate
    from impleval.survey.settings import validate_settings

    repo = Path(__file__).resolve().parents[2]
    settings = validate_settings(sim_settings(), repo / "config/schema/survey-analysis.schema.yaml")
    respondents, responses = simulate(n=600, seed=3)
    data, _, _ = respondent_frame(respondents, responses, settings)
    return data, settings


def test_table_columns_and_planted_structure(survey):
    """The simulator plants a region difference in coherence and a trust-in-AI difference that
    is the profession mix alone: the first persists after adjustment, the second does not, and
    profession is what the second's covariate test finds."""
    data, settings = survey
    table = adj.adjusted_scales(data, settings, group_vars(settings), min_cell=5)
    assert list(table.columns) == adj.ADJUSTED_SCALE_COLS
    assert list(table["scale"]) == list(settings["scales"])
    t = table.set_index("scale")
    assert (t["covariates"] == "role").all() and (t["group_var"] == "region").all()
    assert (t["unadj_df"] == 3).all() and (t["adj_df"] == 3).all() and (t["cov_df"] == 4).all()
    trust, coherence = t.loc["trust_in_ai"], t.loc["coherence"]
    assert trust["unadj_p_adjusted"] < 0.05 and trust["adj_p_adjusted"] > 0.05
    assert trust["cov_p"] < 1e-6
    assert trust["adj_statistic"] / trust["adj_df"] < 0.5 * trust["unadj_statistic"] / 3
    assert coherence["unadj_p_adjusted"] < 0.05 and coherence["adj_p_adjusted"] < 0.05
    np.testing.assert_allclose(t["unadj_p_adjusted"], holm(t["unadj_p"].to_numpy()))
    np.testing.assert_allclose(t["adj_p_adjusted"], holm(t["adj_p"].to_numpy()))
    assert (t["adjust_method"] == "holm").all() and (t["n"] == 600).all()


def test_small_groups_are_left_out_with_a_complement(survey):
    data, settings = survey
    data = data.copy()
    if isinstance(data["group__region"].dtype, pd.CategoricalDtype):  # as analyse builds it
        data["group__region"] = data["group__region"].cat.add_categories("tiny")
    data.loc[data.index[:3], "group__region"] = "tiny"
    table = adj.adjusted_scales(data, settings, group_vars(settings), min_cell=5)
    # "tiny" (3) and, as its complement, the smallest other region are left out: df 2, not 4.
    assert (table["unadj_df"] == 2).all() and (table["n"] < 597).all()


def test_same_table_from_categorical_text_and_object_predictors(survey):
    """adjusted_scales keeps the respondent frame's categorical predictors: the same table as
    from text or object columns, with a level left out (and its complement) and an unused
    category."""
    data, settings = survey
    data = data.copy()
    data["group__region"] = data["group__region"].cat.add_categories(["tiny", "unused"])
    data.loc[data.index[:3], "group__region"] = "tiny"
    gvs = group_vars(settings)
    got = adj.adjusted_scales(data, settings, gvs, min_cell=5)
    for dtype in ("str", object):
        other = data.astype({g.column: dtype for g in gvs})
        pd.testing.assert_frame_equal(adj.adjusted_scales(other, settings, gvs, min_cell=5), got)
    assert (got["unadj_df"] == 2).all()


def test_keep_levels_equals_counting_the_text():
    """keep_levels counts values and names them by their text; the straightforward route counts
    the text of every row. Same rows kept, for categorical and text predictors, where leaving out
    a level of one variable pushes a level of the other below min_cell."""
    from impleval.survey.settings import GroupVar
    from impleval.survey.stats import compare as cmp

    def reference(sub, variables, gvs, min_cell):
        gv_of = {g.name: g for g in gvs}
        left_out = {v: (0, 0.0) for v in variables}
        changed = True
        while changed:
            changed = False
            for var in left_out:
                counts = sub[var].astype(str).value_counts()
                keep = cmp.kept_groups(counts, gv_of[var], min_cell, prior=left_out[var])
                if len(keep) < len(counts):
                    out = counts.drop(keep)
                    left_out[var] = (left_out[var][0] + len(out), left_out[var][1] + out.sum())
                    sub = sub[sub[var].astype(str).isin(keep)]
                    changed = True
        return sub

    rng = np.random.default_rng(7)
    n = 120
    df = pd.DataFrame(
        {
            "region": rng.choice(["a", "b", "c"], n, p=[0.45, 0.45, 0.1]),
            "role": rng.choice(["x", "y"], n),
        }
    )
    # Role z: six respondents, four of them in tiny region d; once d goes, z is below min_cell.
    df.loc[:5, "role"] = "z"
    df.loc[:3, "region"] = "d"
    gvs = [GroupVar("region", "a", ("a", "b", "c", "d")), GroupVar("role", "x", ("x", "y", "z"))]
    for dtype in ("category", "str"):
        sub = df.astype(dtype)
        if dtype == "category":
            sub["region"] = sub["region"].cat.add_categories("unused")
        got = adj.keep_levels(sub, ["region", "role"], gvs, 5)
        want = reference(sub, ["region", "role"], gvs, 5)
        pd.testing.assert_frame_equal(got, want)
        assert "z" not in set(got["role"]) and "d" not in set(got["region"])


def test_no_covariates_and_unmodellable_scales(survey):
    data, settings = survey
    settings = {**settings, "adjusted_model": {**settings["adjusted_model"], "covariates": []}}
    settings["multiplicity"] = {
        **settings["multiplicity"],
        "adjusted_scales": {"method": "none", "within": []},
    }
    table = adj.adjusted_scales(data, settings, group_vars(settings), min_cell=5)
    assert (table["adj_statistic"] == table["unadj_statistic"]).all()
    assert table["cov_statistic"].isna().all() and (table["covariates"] == "").all()
    assert (table["adj_p_adjusted"] == table["adj_p"]).all()
    one = data.assign(**{c: 3.0 for c in settings["scales"]["coherence"]["items"]})
    row = adj.adjusted_scales(one, settings, group_vars(settings), min_cell=5).iloc[0]
    assert row["scale"] == "coherence" and np.isnan(row["unadj_statistic"])


def test_brant_note_says_why_a_model_was_not_tested():
    rng = np.random.default_rng(0)
    n = 600
    df = pd.DataFrame({"region": rng.choice(["a", "b"], n), "role": rng.choice(["x", "y"], n)})
    df["Y"] = np.digitize(rng.logistic(size=n), [-1, 0, 1]) + 1.0
    rows = pd.DataFrame(so.ordinal_item(df, "Y", "region", ["role"], REFS, ci_level=0.95))
    assert (rows["po_test_note"] == "").all() and rows["po_test_all_p"].notna().all()
    none = pd.DataFrame(
        so.ordinal_item(df, "Y", "region", ["role"], REFS, ci_level=0.95, po_test="none")
    )
    assert (none["po_test_note"] == so.PO_NOT_REQUESTED).all() and none["po_test_p"].isna().all()
    # Only region b ever gives the top answer: its cut-point logit separates.
    sparse = df.assign(Y=np.where(df["region"] == "b", df["Y"], df["Y"].clip(upper=3)))
    rows = pd.DataFrame(so.ordinal_item(sparse, "Y", "region", ["role"], REFS, ci_level=0.95))
    assert (rows["po_test_note"] == so.PO_SPARSE).all() and rows["po_test_all_p"].isna().all()


def test_frequency_weights_equal_repeated_respondents():
    """weights = that many identical respondents: same estimates, same clustered covariance."""
    df = _people(n=200, items=2)
    x = so.design(df, ["region", "role"], REFS)
    w = np.random.default_rng(1).integers(1, 4, len(df))
    weighted = adj.fit_stacked(_long(df, ["I0", "I1"]), x, weights=w)
    rep = df.loc[df.index.repeat(w)].reset_index(drop=True)
    repeated = adj.fit_stacked(_long(rep, ["I0", "I1"]), so.design(rep, ["region", "role"], REFS))
    np.testing.assert_allclose(weighted.beta, repeated.beta, atol=1e-8)
    np.testing.assert_allclose(weighted.cov, repeated.cov, rtol=1e-8)


def test_item_model_gradient_is_the_numerical_one():
    """WeightedOrderedModel.score (analytic) against finite differences of its log-likelihood,
    at a point away from the optimum."""
    from statsmodels.tools.numdiff import approx_fprime

    df = _people(n=500, items=1)
    agg = so.aggregate(df, "I0", ["region", "role"])
    endog = pd.Series(pd.Categorical(agg["I0"], ordered=True))
    x = so.design(agg, ["region", "role"], REFS)
    model = so.WeightedOrderedModel(endog, x, agg["weight"].to_numpy(), distr="logit")
    params = np.array([0.3, -0.2, 0.5, -1.0, 0.2, -0.3])
    numerical = approx_fprime(params, model.loglike, centered=True)
    np.testing.assert_allclose(model.score(params), numerical, rtol=1e-5, atol=1e-5)


# --- the counting behind fit_stacked, against the straightforward route -----------------------


def _fit_answer_by_answer(long, exog, weights):
    """fit_stacked written the slow way: np.unique cells, np.add.at counts, and each respondent's
    score summed answer by answer in a loop."""
    x = exog.to_numpy(float)
    patterns, pattern_of = np.unique(x, axis=0, return_inverse=True)
    pattern_of = np.asarray(pattern_of).ravel()
    resp, item, answer = (long[c].to_numpy() for c in ("respondent", "item", "answer"))
    J = item.max() + 1
    levels = np.zeros(J, dtype=int)
    np.maximum.at(levels, item, answer + 1)
    used, group = np.unique(pattern_of[resp] * J + item, return_inverse=True)
    counts = np.zeros((len(used), levels.max()))
    np.add.at(counts, (group, answer), weights[resp])
    model = adj._StackedOrdinal(counts, used % J, levels, patterns[used // J])
    psi, loglike, _ = model.fit()
    _, info, per_obs = model.score_info(psi)
    s = np.zeros((len(exog), per_obs.shape[-1]))
    for r, g, a in zip(resp, group, answer, strict=True):
        s[r] += per_obs[g, a]
    answering = np.unique(resp)
    clusters = weights[answering].sum()
    meat = sum(weights[i] * np.outer(s[i], s[i]) for i in answering) * clusters / (clusters - 1)
    bread = np.linalg.pinv(info)
    t = model.n_theta
    return psi, loglike, (bread @ meat @ bread)[t:, t:], bread[t:, t:]


def test_fit_stacked_equals_the_answer_by_answer_fit():
    """The hashed cell numbering, bincount counts and sparse score sums of fit_stacked against
    the slow route, with missing answers, a respondent who answered nothing, a covariate pattern
    of one respondent, and frequency weights."""
    df = _people(n=250, items=3, shared=0.6, seed=5)
    df.loc[3, ["I0", "I2"]] = np.nan  # some answers missing
    df.loc[7, ["I0", "I1", "I2"]] = np.nan  # no answer at all: not a cluster
    df.loc[11, ["region", "role"]] = ["d", "y"]  # the only respondent of region d
    df.loc[df.index[20:60], "I1"] = df.loc[df.index[20:60], "I1"].clip(upper=3)
    long = pd.concat(
        [
            pd.DataFrame({"respondent": np.flatnonzero(df[i].notna()), "item": j}).assign(
                answer=df[i].dropna().to_numpy() - 1
            )
            for j, i in enumerate(["I0", "I1", "I2"])
        ],
        ignore_index=True,
    ).astype(int)
    x = so.design(df, ["region", "role"], REFS)
    w = np.random.default_rng(6).integers(1, 4, len(df)).astype(float)
    for weights in (None, w):
        fit = adj.fit_stacked(long, x, weights=weights)
        psi, loglike, cov, cov_model = _fit_answer_by_answer(
            long, x, np.ones(len(df)) if weights is None else weights
        )
        t = len(fit.thresholds)
        np.testing.assert_array_equal(fit.thresholds, psi[:t])
        np.testing.assert_array_equal(fit.beta, psi[t:])
        assert fit.loglike == loglike
        np.testing.assert_array_equal(fit.cov_model, cov_model)
        np.testing.assert_allclose(fit.cov, cov, rtol=1e-10)
