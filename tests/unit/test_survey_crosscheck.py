"""Key survey statistics cross-checked against an independent implementation on the demo data.

Independent = another library than the one the pipeline calls, or the textbook formula written
out here. Tolerances are stated per check: exact-formula checks at floating-point level, the
ordinal model at optimiser tolerance, bootstrap intervals at Monte Carlo tolerance.
"""

from __future__ import annotations

import numpy as np
import pingouin as pg
import pytest
import scikit_posthocs as sp
from scipy import optimize, stats

from impleval.survey.stats import effects as fx
from impleval.survey.stats.reliability import omega_from_corr, omega_uls_fast

from .test_survey_truth import TRUTH, demo_results


@pytest.fixture(scope="module")
def demo():
    if not TRUTH.exists():
        pytest.skip("demo survey export not generated")
    prepared, settings, res = demo_results()
    wide = prepared.responses.pivot(index="respondent_id", columns="item", values="score")
    people = prepared.respondents.set_index("respondent_id")
    scores = res.scores.set_index("respondent_id").rename(columns={"group__region": "region"})
    return settings, res, wide.join(people[["region", "role"]]), scores


def _groups(frame, column, by="region"):
    sub = frame[[column, by]].dropna()
    return {g: v[column].to_numpy(float) for g, v in sub.groupby(by)}


def test_kruskal_h_matches_scipy(demo):
    """H: from the answer counts (pipeline) vs scipy.stats.kruskal, relative 1e-10."""
    settings, res, wide, _ = demo
    kw = res.omnibus[
        (res.omnibus["test"] == "kruskal_wallis") & (res.omnibus["group_var"] == "region")
    ]
    assert len(kw) >= 30
    for row in kw.itertuples():
        h = stats.kruskal(*_groups(wide, row.outcome).values()).statistic
        assert row.statistic == pytest.approx(h, rel=1e-10), row.outcome
        assert row.effect_size == pytest.approx(h / (row.n - 1), rel=1e-10)


def test_welch_anova_matches_pingouin(demo):
    """Welch F, both df and p: statsmodels anova_oneway (pipeline) vs pingouin welch_anova,
    relative 1e-8."""
    _, res, _, scores = demo
    welch = res.omnibus[
        (res.omnibus["test"] == "welch_anova") & (res.omnibus["group_var"] == "region")
    ]
    assert len(welch) >= 5
    for row in welch.itertuples():
        frame = scores[[row.outcome, "region"]].dropna()
        ref = pg.welch_anova(data=frame, dv=row.outcome, between="region").iloc[0]
        assert row.statistic == pytest.approx(ref["F"], rel=1e-8)
        assert row.df1 == pytest.approx(ref["ddof1"], rel=1e-8)
        assert row.df2 == pytest.approx(ref["ddof2"], rel=1e-8)
        assert row.p_value == pytest.approx(ref["p_unc"], rel=1e-8)


def test_cronbach_alpha_matches_formula(demo):
    """α: pingouin vs k/(k−1)·(1 − Σ var_i / var_total) on complete cases, absolute 1e-10."""
    settings, res, wide, _ = demo
    for row in res.reliability.itertuples():
        items = wide[settings["scales"][row.scale]["items"]].dropna()
        k = items.shape[1]
        alpha = k / (k - 1) * (1 - items.var(ddof=1).sum() / items.sum(axis=1).var(ddof=1))
        assert row.alpha == pytest.approx(alpha, abs=1e-10)
        assert row.n == len(items)


def test_omega_bootstrap_estimator_matches_factor_analyzer(demo):
    """ω from iterated principal axes (bootstrap) vs FactorAnalyzer minres, absolute 1e-4."""
    settings, res, wide, _ = demo
    for row in res.reliability.itertuples():
        corr = np.corrcoef(wide[settings["scales"][row.scale]["items"]].dropna(), rowvar=False)
        assert omega_uls_fast(corr) == pytest.approx(omega_from_corr(corr), abs=1e-4)
        assert row.omega == pytest.approx(omega_from_corr(corr), abs=1e-12)


def test_cliffs_delta_matches_pair_counts(demo):
    """Cliff's δ: statsmodels rank_compare_2ordinal vs counting all pairs, absolute 1e-12; Dunn's
    p vs scikit-posthocs, relative 1e-8."""
    _, res, wide, _ = demo
    dunn = res.pairwise[(res.pairwise["test"] == "dunn") & (res.pairwise["group_var"] == "region")]
    for row in dunn.head(40).itertuples():
        groups = _groups(wide, row.outcome)
        a, b = groups[row.group_a], groups[row.group_b]
        diff = np.sign(a[:, None] - b[None, :])
        assert row.effect_size == pytest.approx(diff.mean(), abs=1e-12)
        assert row.es_ci_low <= row.effect_size <= row.es_ci_high
    # Dunn's p (from the z by hand) and scikit-posthocs' p, which ranks every respondent, agree.
    for outcome, rows in dunn.groupby("outcome"):
        kept = set(rows["group_a"]) | set(rows["group_b"])  # groups below min_cell are left out
        frame = wide.loc[wide["region"].isin(kept), [outcome, "region"]].dropna()
        ref = sp.posthoc_dunn(frame, val_col=outcome, group_col="region", p_adjust=None)
        for row in rows.itertuples():
            assert row.p_value == pytest.approx(ref.loc[row.group_a, row.group_b], rel=1e-8)


def test_hedges_g_matches_formula(demo):
    """Hedges g: pingouin vs pooled-SD d × (1 − 3/(4(n_a+n_b)−9)), relative 1e-6."""
    _, res, _, scores = demo
    gh = res.pairwise[
        (res.pairwise["test"] == "games_howell") & (res.pairwise["group_var"] == "region")
    ]
    for row in gh.itertuples():
        groups = _groups(scores, row.outcome)
        a, b = groups[row.group_a], groups[row.group_b]
        pooled = np.sqrt(
            ((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2)
        )
        g = (a.mean() - b.mean()) / pooled * (1 - 3 / (4 * (len(a) + len(b)) - 9))
        assert row.effect_size == pytest.approx(g, rel=1e-6)


def test_epsilon_squared_interval_matches_scipy_bootstrap(demo):
    """ε² CI: multinomial count resampling vs scipy.stats.bootstrap on the raw answers
    (percentile, resampling within groups); Monte Carlo tolerance 0.01 on each bound."""
    _, _, wide, _ = demo
    groups = list(_groups(wide, "CO1").values())
    n = sum(len(g) for g in groups)
    counts = fx.level_counts(groups, np.arange(1, 6))
    ours = fx.epsilon_squared_ci(counts, n_boot=4000, ci_level=0.95, rng=np.random.default_rng(1))

    def eps(*samples, axis=-1):
        return stats.kruskal(*samples, axis=axis).statistic / (n - 1)

    ref = stats.bootstrap(
        groups,
        eps,
        n_resamples=4000,
        method="percentile",
        vectorized=True,
        rng=np.random.default_rng(2),
    ).confidence_interval
    assert ours[0] == pytest.approx(ref.low, abs=0.01)
    assert ours[1] == pytest.approx(ref.high, abs=0.01)


def _cumulative_logit_mle(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Proportional-odds model by direct maximum likelihood (independent of statsmodels):
    P(Y ≤ k) = expit(θ_k − xβ), θ increasing through exp increments."""
    levels = np.unique(y)
    idx = np.searchsorted(levels, y)
    k, p = len(levels) - 1, x.shape[1]

    def negll(params):
        beta, raw = params[:p], params[p:]
        theta = np.concatenate([[raw[0]], raw[0] + np.cumsum(np.exp(raw[1:]))])
        cut = np.concatenate([[-np.inf], theta, [np.inf]])
        eta = x @ beta
        prob = stats.logistic.cdf(cut[idx + 1] - eta) - stats.logistic.cdf(cut[idx] - eta)
        return -np.log(np.clip(prob, 1e-300, None)).sum()

    start = np.concatenate([np.zeros(p), [-1.0], np.zeros(k - 1)])
    fit = optimize.minimize(negll, start, method="BFGS", options={"gtol": 1e-8, "maxiter": 5000})
    return fit.x[:p]


def test_odds_ratios_match_direct_likelihood(demo):
    """Adjusted odds ratios: weighted OrderedModel (pipeline) vs a hand-written cumulative-logit
    MLE on the respondent rows, relative 2e-3 (optimiser tolerance)."""
    _, res, wide, _ = demo
    for item in ("TRUST1", "CO1"):
        rows = res.ordinal[(res.ordinal["outcome"] == item) & (res.ordinal["model"] == "adjusted")]
        sub = wide[[item, "region", "role"]].dropna()
        sub = sub[
            sub["role"].isin(
                rows.loc[rows["variable"] == "role", "level"].tolist() + rows["reference"].tolist()
            )
        ]
        x = np.column_stack(
            [(sub[row.variable] == row.level).to_numpy(float) for row in rows.itertuples()]
        )
        beta = _cumulative_logit_mle(sub[item].to_numpy(float), x)
        assert len(sub) == rows["n"].iloc[0]
        np.testing.assert_allclose(rows["odds_ratio"].to_numpy(), np.exp(beta), rtol=2e-3)
