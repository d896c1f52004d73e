"""Effect sizes and their confidence intervals for the group comparisons.

Library calls where the field has them (statsmodels for Cliff's δ and the noncentral-F interval,
pingouin for Hedges g's interval); written here only what no library offers, each marked.
"""

from __future__ import annotations

import numpy as np
from pingouin import compute_esci
from statsmodels.stats.nonparametric import rank_compare_2indep, rank_compare_2ordinal
from statsmodels.stats.oneway import confint_effectsize_oneway

from impleval.effect_sizes import cramers_v_corrected  # noqa: F401 (re-exported for callers)


def level_counts(groups: list[np.ndarray], levels: np.ndarray) -> np.ndarray:
    """Groups × levels table of counts of each observed value.

    Parameters
    ----------
    groups : list of numpy.ndarray
        The values of each group.
    levels : numpy.ndarray
        The distinct values, in order.

    Returns
    -------
    numpy.ndarray
        Float array of shape (len(groups), len(levels)).
    """
    return np.stack([np.array([(g == v).sum() for v in levels]) for g in groups]).astype(float)


def kruskal_h_from_counts(counts: np.ndarray) -> np.ndarray:
    r"""Tie-corrected Kruskal–Wallis H from count tables, vectorised over leading axes.

    Written by hand because it is vectorised over bootstrap resamples: for discrete items every
    observation at one level shares the level's midrank, so H needs only the counts. Equals
    ``scipy.stats.kruskal`` on the expanded data (checked in tests).

    Parameters
    ----------
    counts : numpy.ndarray
        Array of shape (..., groups, levels) of counts.

    Returns
    -------
    numpy.ndarray
        H per leading index (0 where every observation is tied).

    Notes
    -----
    With :math:`n_g` the group sizes, :math:`t_l` the level totals, :math:`n = \sum t_l`, the
    midrank of level :math:`l` is :math:`\bar r_l = \sum_{m \le l} t_m - (t_l - 1)/2` and the rank
    sum of group :math:`g` is :math:`R_g = \sum_l c_{gl} \bar r_l`; then

    .. math::

        H = \frac{\frac{12}{n(n+1)} \sum_g R_g^2 / n_g - 3(n+1)}
                 {1 - \sum_l (t_l^3 - t_l)/(n^3 - n)}.

    References
    ----------
    .. [1] Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance
       analysis. Journal of the American Statistical Association, 47(260), 583-621.
    """
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
    r"""Rank epsilon-squared, the effect size of the Kruskal–Wallis test.

    Parameters
    ----------
    h : float or numpy.ndarray
        Kruskal–Wallis H.
    n : float or numpy.ndarray
        Number of observations.

    Returns
    -------
    float or numpy.ndarray
        :math:`\varepsilon^2_R = H / (n - 1)`.

    References
    ----------
    .. [1] Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates revisited.
       Trends in Sport Sciences, 21(1), 19-25.
    """
    return h / (n - 1.0)


def epsilon_squared_ci(
    counts: np.ndarray, *, n_boot: int, ci_level: float, rng: np.random.Generator
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of epsilon-squared, resampling within groups.

    Resampling n_g respondents with replacement from a group of a discrete item is a multinomial
    draw of the group's level counts; drawing the counts directly gives the same bootstrap
    distribution as ``scipy.stats.bootstrap`` on the raw values (cross-checked in tests) at a
    cost that does not grow with the number of respondents.

    Parameters
    ----------
    counts : numpy.ndarray
        Groups × levels table of counts (:func:`level_counts`).
    n_boot : int
        Number of bootstrap resamples.
    ci_level : float
        Confidence level, e.g. 0.95.
    rng : numpy.random.Generator
        Random stream of this test.

    Returns
    -------
    (float, float)
        Lower and upper bound.

    References
    ----------
    .. [1] Efron, B., & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
    """
    n_g = counts.sum(axis=1)
    probs = counts / n_g[:, None]
    boot = np.stack(
        [rng.multinomial(int(n), p, size=n_boot) for n, p in zip(n_g, probs, strict=True)], axis=1
    )
    eps = epsilon_squared(kruskal_h_from_counts(boot), n_g.sum())
    tail = (1 - ci_level) / 2
    low, high = np.quantile(eps, [tail, 1 - tail])
    return float(low), float(high)


def cliffs_delta(a: np.ndarray, b: np.ndarray, ci_level: float) -> tuple[float, float, float]:
    r"""Cliff's delta of two samples with the Brunner–Munzel confidence interval.

    Parameters
    ----------
    a, b : numpy.ndarray
        The two samples (ordinal scores).
    ci_level : float
        Confidence level.

    Returns
    -------
    (float, float, float)
        delta, lower bound, upper bound.

    Notes
    -----
    :math:`\delta = P(a > b) - P(a < b) = 2p - 1` with :math:`p = P(a > b) + \tfrac12 P(a = b)`,
    the relative effect estimated by ``statsmodels.stats.nonparametric.rank_compare_2indep``;
    the interval maps the Brunner–Munzel interval of :math:`p` through :math:`2p - 1`.

    References
    ----------
    .. [1] Cliff, N. (1993). Dominance statistics: ordinal analyses to answer ordinal questions.
       Psychological Bulletin, 114(3), 494-509.
    .. [2] Brunner, E., & Munzel, U. (2000). The nonparametric Behrens-Fisher problem: asymptotic
       theory and a small-sample approximation. Biometrical Journal, 42(1), 17-25.
    """
    res = rank_compare_2indep(np.asarray(a, float), np.asarray(b, float))
    low, high = res.conf_int(alpha=1 - ci_level)
    return 2 * float(res.prob1) - 1, 2 * float(low) - 1, 2 * float(high) - 1


def cliffs_delta_from_counts(
    count_a: np.ndarray, count_b: np.ndarray, ci_level: float
) -> tuple[float, float, float]:
    """:func:`cliffs_delta` from the two groups' counts over the same ordered answer levels.

    ``statsmodels.stats.nonparametric.rank_compare_2ordinal`` is the counts form of
    ``rank_compare_2indep``: the same relative effect, variance and degrees of freedom (equal to
    rounding; tests/unit/test_survey_speed.py) at a cost that does not grow with the number of
    respondents.

    Parameters
    ----------
    count_a, count_b : numpy.ndarray
        Counts of each answer level (same levels, ascending) in the two groups.
    ci_level : float
        Confidence level.

    Returns
    -------
    (float, float, float)
        delta, lower bound, upper bound.
    """
    res = rank_compare_2ordinal(np.asarray(count_a, float), np.asarray(count_b, float))
    low, high = res.conf_int(alpha=1 - ci_level)
    return 2 * float(res.prob1) - 1, 2 * float(low) - 1, 2 * float(high) - 1


def omega_squared_welch(f: float, df1: float, df2: float, n: int, ci_level: float):
    r"""Omega-squared from a (Welch) F statistic, with its CI from the noncentral F.

    Parameters
    ----------
    f : float
        The F statistic.
    df1, df2 : float
        Its degrees of freedom (Welch's df2 may be fractional).
    n : int
        Number of respondents.
    ci_level : float
        Confidence level.

    Returns
    -------
    (float, float, float)
        omega-squared, lower bound, upper bound (negative values and undefined bounds → 0).

    Notes
    -----
    The population :math:`\omega^2 = \sigma^2_{between} / (\sigma^2_{between} + \sigma^2_{within})
    = f^2 / (1 + f^2)` with Cohen's :math:`f^2 = \lambda / n` (:math:`\lambda` the noncentrality of
    F), i.e. :math:`\omega^2 = \lambda / (\lambda + n)`. The estimate uses
    :math:`\hat\lambda = df_1 (F - 1)`, the classic
    :math:`\hat\omega^2 = df_1 (F - 1) / (df_1 (F - 1) + n)`; the interval inverts the noncentral F
    for :math:`\lambda` (``statsmodels.stats.oneway.confint_effectsize_oneway`` with ``nobs`` the
    real number of respondents, not :math:`df_1 + df_2 + 1`, which Welch's df2 would make wrong)
    and maps both ends with the same :math:`\lambda \mapsto \omega^2`.

    References
    ----------
    .. [1] Steiger, J. H. (2004). Beyond the F test: effect size confidence intervals and tests of
       close fit in the analysis of variance and contrast analysis. Psychological Methods, 9(2),
       164-182.
    .. [2] Welch, B. L. (1951). On the comparison of several mean values: an alternative approach.
       Biometrika, 38(3/4), 330-336.
    """
    with np.errstate(divide="ignore", invalid="ignore"):  # λ bound 0: statsmodels' η² divides by 0
        res = confint_effectsize_oneway(f, (df1, df2), alpha=1 - ci_level, nobs=n)
    lam = np.nan_to_num(np.maximum(np.asarray(res.ci_nc, float), 0.0), nan=0.0)
    low, high = lam / (lam + n)
    lam_hat = max(0.0, df1 * (f - 1.0))
    return float(lam_hat / (lam_hat + n)), float(low), float(high)


def hedges_g_ci(g: float, n_a: int, n_b: int, ci_level: float) -> tuple[float, float]:
    r"""Confidence interval of Hedges' g (``pingouin.compute_esci``).

    Parameters
    ----------
    g : float
        Hedges' g.
    n_a, n_b : int
        Group sizes.
    ci_level : float
        Confidence level.

    Returns
    -------
    (float, float)
        Lower and upper bound.

    Notes
    -----
    :math:`g \pm t_{1-\alpha/2,\, n_a+n_b-2}\, SE` with the large-sample
    :math:`SE = \sqrt{(n_a + n_b)/(n_a n_b) + g^2 / (2(n_a + n_b))}`.

    References
    ----------
    .. [1] Hedges, L. V., & Olkin, I. (1985). Statistical Methods for Meta-Analysis. Academic Press.
    """
    low, high = compute_esci(
        stat=g, nx=n_a, ny=n_b, eftype="hedges", confidence=ci_level, decimals=12
    )
    return float(low), float(high)
