"""Effect sizes and their confidence intervals for the group comparisons.

Library calls where the field has them (statsmodels for Cliff's δ and the noncentral-F interval,
pingouin for Hedges g's interval); written here only what no library offers, each marked.
"""

from __future__ import annotations

import numpy as np
from pingouin import compute_esci
from statsmodels.stats.nonparametric import rank_compare_2indep
from statsmodels.stats.oneway import confint_effectsize_oneway

from impleval.effect_sizes import cramers_v_corrected  # noqa: F401 (re-exported for callers)


def level_counts(groups: list[np.ndarray], levels: np.ndarray) -> np.ndarray:
    """groups × levels table of counts of each observed value."""
    return np.stack([np.array([(g == v).sum() for v in levels]) for g in groups]).astype(float)


def kruskal_h_from_counts(counts: np.ndarray) -> np.ndarray:
    """Tie-corrected Kruskal–Wallis H from (..., groups, levels) count tables.

    Written by hand because it is vectorised over bootstrap resamples: for discrete items every
    observation at one level shares the level's midrank, so H needs only the counts. Equals
    scipy.stats.kruskal on the expanded data (checked in tests)."""
    n_g = counts.sum(axis=-1)
    t = counts.sum(axis=-2)
    n = t.sum(axis=-1)
    midrank = np.cumsum(t, axis=-1) - (t - 1) / 2.0
    rank_sum = (counts * midrank[..., None, :]).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        h = 12.0 / (n * (n + 1)) * (rank_sum**2 / n_g).sum(axis=-1) - 3.0 * (n + 1)
        ties = 1.0 - (t**3 - t).sum(axis=-1) / (n**3 - n)
        return np.where(ties > 0, h / ties, 0.0)


def epsilon_squared(h: float | np.ndarray, n: float | np.ndarray):
    """ε²_R = H / (n − 1) (Tomczak & Tomczak 2014), as in methods.md."""
    return h / (n - 1.0)


def epsilon_squared_ci(counts: np.ndarray, *, n_boot: int, ci_level: float,
                       rng: np.random.Generator) -> tuple[float, float]:
    """Percentile bootstrap CI of ε², resampling respondents within groups.

    Resampling n_g respondents with replacement from a group of a discrete item is a multinomial
    draw of the group's level counts; drawing the counts directly gives the same bootstrap
    distribution as scipy.stats.bootstrap on the raw values (cross-checked in tests) at a cost
    that does not grow with the number of respondents."""
    n_g = counts.sum(axis=1)
    probs = counts / n_g[:, None]
    boot = np.stack([rng.multinomial(int(n), p, size=n_boot) for n, p in zip(n_g, probs)], axis=1)
    eps = epsilon_squared(kruskal_h_from_counts(boot), n_g.sum())
    tail = (1 - ci_level) / 2
    low, high = np.quantile(eps, [tail, 1 - tail])
    return float(low), float(high)


def cliffs_delta(a: np.ndarray, b: np.ndarray, ci_level: float) -> tuple[float, float, float]:
    """Cliff's δ = P(a > b) − P(a < b) = 2p − 1, CI from the Brunner–Munzel interval of p."""
    res = rank_compare_2indep(np.asarray(a, float), np.asarray(b, float))
    low, high = res.conf_int(alpha=1 - ci_level)
    return 2 * float(res.prob1) - 1, 2 * float(low) - 1, 2 * float(high) - 1


def omega_squared_welch(f: float, df1: float, df2: float, n: int, ci_level: float):
    """ω² from a (Welch) F with its CI from the noncentral F, on one scale: ω² = λ / (λ + n).

    The population ω² = σ²_between / (σ²_between + σ²_within) = f² / (1 + f²) with Cohen's
    f² = λ / n (λ the noncentrality of F). The estimate uses λ̂ = df1 (F − 1), i.e. the classic
    ω² = df1 (F − 1) / (df1 (F − 1) + n); the interval inverts the noncentral F for λ
    (`statsmodels.stats.oneway.confint_effectsize_oneway`, with `nobs` the real number of
    respondents, not df1 + df2 + 1, which Welch's df2 would make wrong) and maps both ends with
    the same λ → ω². Negative values and undefined bounds → 0."""
    with np.errstate(divide="ignore", invalid="ignore"):  # λ bound 0: statsmodels' η² divides by 0
        res = confint_effectsize_oneway(f, (df1, df2), alpha=1 - ci_level, nobs=n)
    lam = np.nan_to_num(np.maximum(np.asarray(res.ci_nc, float), 0.0), nan=0.0)
    low, high = lam / (lam + n)
    lam_hat = max(0.0, df1 * (f - 1.0))
    return float(lam_hat / (lam_hat + n)), float(low), float(high)


def hedges_g_ci(g: float, n_a: int, n_b: int, ci_level: float) -> tuple[float, float]:
    low, high = compute_esci(stat=g, nx=n_a, ny=n_b, eftype="hedges", confidence=ci_level,
                             decimals=12)
    return float(low), float(high)
