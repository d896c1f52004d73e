"""Scale reliability: Cronbach's α (Feldt CI) and McDonald's ω_total (bootstrap CI)."""

from __future__ import annotations

import logging
import warnings
import zlib

import numpy as np
import pandas as pd
import pingouin as pg
from factor_analyzer import FactorAnalyzer

from impleval.survey.stats.patterns import unique_rows

log = logging.getLogger(__name__)


def _sklearn_compat() -> None:
    """factor_analyzer 0.5.1 (latest) passes `force_all_finite` to sklearn's check_array, which
    scikit-learn 1.8 renamed to `ensure_all_finite`. Translate the keyword inside factor_analyzer's
    own module only; remove once factor_analyzer releases the fix."""
    import factor_analyzer.factor_analyzer as fa_module
    from sklearn.utils import check_array

    if getattr(fa_module.check_array, "_impleval_compat", False):
        return

    def compat(*args, force_all_finite=None, **kwargs):
        if force_all_finite is not None:
            kwargs.setdefault("ensure_all_finite", force_all_finite)
        return check_array(*args, **kwargs)

    compat._impleval_compat = True
    fa_module.check_array = compat


_sklearn_compat()


def omega_from_corr(corr: np.ndarray) -> float:
    r"""McDonald's omega total from a one-factor model of the item correlations (FactorAnalyzer,
    minres).

    Parameters
    ----------
    corr : numpy.ndarray
        k × k item correlation matrix.

    Returns
    -------
    float
        :math:`\omega_t = (\sum \lambda_j)^2 / ((\sum \lambda_j)^2 + \sum \psi_j)` with loadings
        :math:`\lambda` and uniquenesses :math:`\psi`.

    References
    ----------
    .. [1] McDonald, R. P. (1999). Test Theory: A Unified Treatment. Lawrence Erlbaum.
    .. [2] Revelle, W., & Zinbarg, R. E. (2009). Coefficients alpha, beta, omega, and the glb.
       Psychometrika, 74(1), 145-154.
    """
    fa = FactorAnalyzer(n_factors=1, rotation=None, is_corr_matrix=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # near-singular resamples: the estimate is still usable
        fa.fit(corr)
    loadings = fa.loadings_[:, 0]
    uniqueness = fa.get_uniquenesses()
    common = loadings.sum() ** 2
    return float(common / (common + uniqueness.sum()))


def omega_uls_fast(corr: np.ndarray, *, tol: float = 1e-8, max_iter: int = 500) -> float:
    r"""Omega total from a one-factor minres (unweighted least squares) solution by iterated
    principal axes.

    The estimator of the bootstrap resamples (:func:`omega_uls_batch` runs it on all of them at
    once): FactorAnalyzer's minres runs a numerical-gradient optimiser (~50 ms per fit), iterated
    principal axes reach the same ULS solution in microseconds. The two agree to 1e-4 on the demo
    scales (tests/unit/test_survey_crosscheck.py).

    Parameters
    ----------
    corr : numpy.ndarray
        k × k item correlation matrix.
    tol : float
        Convergence tolerance on the communalities.
    max_iter : int
        Maximum number of iterations.

    Returns
    -------
    float
        Omega total, as in :func:`omega_from_corr`.

    Notes
    -----
    Starting from the squared multiple correlations :math:`h^2_j = 1 - 1/(R^{-1})_{jj}`, the
    reduced matrix (:math:`R` with :math:`h^2` on the diagonal) is decomposed and
    :math:`\lambda = \sqrt{\mu_1}\, v_1` from its leading eigenpair; :math:`h^2 = \lambda^2`
    (bounded to [0.005, 0.995] as FactorAnalyzer does) until it changes by less than `tol`.

    References
    ----------
    .. [1] Harman, H. H. (1976). Modern Factor Analysis (3rd ed.). University of Chicago Press.
    """
    k = corr.shape[0]
    h2 = np.clip(
        1 - 1 / np.diag(np.linalg.pinv(corr)), 0.005, 0.995
    )  # SMC start, as FactorAnalyzer
    for _ in range(max_iter):
        reduced = corr.copy()
        np.fill_diagonal(reduced, h2)
        values, vectors = np.linalg.eigh(reduced)
        loadings = vectors[:, -1] * np.sqrt(max(values[-1], 0.0))
        new = np.clip(loadings**2, 0.005, 0.995)  # FactorAnalyzer's bounds on uniquenesses
        if np.max(np.abs(new - h2)) < tol:
            h2 = new
            break
        h2 = new
    common = np.abs(loadings).sum() ** 2 if k else np.nan
    return float(common / (common + (1 - h2).sum()))


def omega_uls_batch(corrs: np.ndarray, *, tol: float = 1e-8, max_iter: int = 500) -> np.ndarray:
    """:func:`omega_uls_fast` on a stack of correlation matrices at once.

    Written by hand (no library fits many one-factor models in one call): the same iterated
    principal axes, each matrix stopping at its own convergence, with numpy's stacked ``pinv`` and
    ``eigh`` (one LAPACK call per matrix, as in the single-matrix version), so every value equals
    :func:`omega_uls_fast` on that matrix (tests/unit/test_survey_speed.py).

    Parameters
    ----------
    corrs : numpy.ndarray
        B × k × k finite correlation matrices.
    tol, max_iter
        As in :func:`omega_uls_fast`.

    Returns
    -------
    numpy.ndarray
        B omega totals.
    """
    n_mat, k = corrs.shape[0], corrs.shape[1]
    if n_mat == 0:
        return np.empty(0)
    diag = np.arange(k)
    h2 = np.clip(1 - 1 / np.linalg.pinv(corrs)[:, diag, diag], 0.005, 0.995)
    loadings = np.zeros((n_mat, k))
    active = np.arange(n_mat)  # matrices still iterating
    for _ in range(max_iter):
        reduced = corrs[active].copy()
        reduced[:, diag, diag] = h2[active]
        values, vectors = np.linalg.eigh(reduced)
        loads = vectors[:, :, -1] * np.sqrt(np.maximum(values[:, -1], 0.0))[:, None]
        new = np.clip(loads**2, 0.005, 0.995)
        done = np.max(np.abs(new - h2[active]), axis=1) < tol
        loadings[active] = loads
        h2[active] = new
        active = active[~done]
        if not len(active):
            break
    common = np.abs(loadings).sum(axis=1) ** 2
    return common / (common + (1 - h2).sum(axis=1))


def resample_correlations(
    items: np.ndarray, rng: np.random.Generator, n_boot: int, *, chunk: int = 4_000_000
) -> np.ndarray:
    """Correlation matrices of bootstrap resamples of respondents, without copying rows.

    Each resample draws ``rng.integers(0, n, n)`` row indices, in order (the stream of one draw
    per resample). A resample is fixed by how often it draws each distinct answer pattern, so the
    patterns are counted once (``patterns.unique_rows``) and a resample's moments are a weighted
    sum over the patterns: O(patterns · k²) per resample instead of gathering and centring n rows.
    Written by hand because no library computes many weighted correlation matrices at once; equals
    ``np.corrcoef(items[idx], rowvar=False)`` to rounding (tests/unit/test_survey_speed.py).

    Parameters
    ----------
    items : numpy.ndarray
        n × k complete-case item scores.
    rng : numpy.random.Generator
        Random stream of this scale.
    n_boot : int
        Number of resamples.
    chunk : int
        Resamples × patterns held in memory at once.

    Returns
    -------
    numpy.ndarray
        B × k × k correlation matrices, all NaN where a resample has a constant item (as
        ``np.corrcoef`` gives NaN there).
    """
    n, k = items.shape
    patterns, pattern_of = unique_rows(items)
    n_pat = len(patterns)
    centred = patterns - items.mean(axis=0)  # centring first keeps the moments well conditioned
    rows, cols = np.triu_indices(k)
    products = np.concatenate([centred, centred[:, rows] * centred[:, cols]], axis=1)
    # Per item, which patterns hold each of its values: a resample has a constant item exactly
    # when one value is drawn n times (integer counts, no rounding question).
    value_of = [
        np.eye(len(values))[inverse.reshape(-1)]
        for values, inverse in (np.unique(patterns[:, j], return_inverse=True) for j in range(k))
    ]
    out = np.empty((n_boot, k, k))
    step = max(1, chunk // n_pat)
    for start in range(0, n_boot, step):
        size = min(step, n_boot - start)
        weights = np.stack(  # resamples × patterns counts, float for the products below
            [np.bincount(pattern_of[rng.integers(0, n, n)], minlength=n_pat) for _ in range(size)]
        ).astype(float)
        moments = weights @ products / n
        mean = moments[:, :k]
        cov = np.empty((size, k, k))
        cov[:, rows, cols] = moments[:, k:] - mean[:, rows] * mean[:, cols]
        cov[:, cols, rows] = cov[:, rows, cols]
        sd = np.sqrt(np.maximum(np.diagonal(cov, axis1=1, axis2=2), 0.0))
        constant = np.zeros(size, dtype=bool)
        for onehot in value_of:
            constant |= (weights @ onehot == n).any(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = np.clip(cov / sd[:, :, None] / sd[:, None, :], -1, 1)
        corr[constant] = np.nan
        out[start : start + size] = corr
    return out


def omega_with_ci(
    items: np.ndarray, *, n_boot: int, ci_level: float, rng: np.random.Generator
) -> tuple[float, float, float]:
    """Omega total (FactorAnalyzer) with a percentile bootstrap confidence interval.

    Respondents are resampled (``rng.integers`` per resample, one stream per scale); each
    resample's correlation matrix comes from its pattern counts (:func:`resample_correlations`)
    and all resamples are fitted at once (:func:`omega_uls_batch`), the same numbers as one
    :func:`omega_uls_fast` fit per resample.

    Parameters
    ----------
    items : numpy.ndarray
        n × k complete-case item scores.
    n_boot : int
        Number of bootstrap resamples.
    ci_level : float
        Confidence level.
    rng : numpy.random.Generator
        Random stream of this scale.

    Returns
    -------
    (float, float, float)
        omega, lower bound, upper bound; the bounds are NaN when fewer than half of the resamples
        gave a finite estimate.

    References
    ----------
    .. [1] Kelley, K., & Pornprasertmanit, S. (2016). Confidence intervals for population
       reliability coefficients: evaluation of methods, recommendations, and software for
       composite measures. Psychological Methods, 21(1), 69-92.
    """
    omega = omega_from_corr(np.corrcoef(items, rowvar=False))
    corrs = resample_correlations(items, rng, n_boot)
    finite = np.isfinite(corrs).all(axis=(1, 2))
    boot = np.full(n_boot, np.nan)
    boot[finite] = omega_uls_batch(corrs[finite])
    tail = (1 - ci_level) / 2
    boot = boot[np.isfinite(boot)]
    if len(boot) < n_boot / 2:
        return omega, np.nan, np.nan
    low, high = np.quantile(boot, [tail, 1 - tail])
    return omega, float(low), float(high)


def scale_reliability(
    wide: pd.DataFrame, scales: dict, *, n_boot: int, ci_level: float, seed: int
) -> pd.DataFrame:
    r"""Cronbach's alpha (Feldt CI) and McDonald's omega total (bootstrap CI) per scale.

    Parameters
    ----------
    wide : pandas.DataFrame
        Respondent × item scores.
    scales : dict
        Scale id → ``{"items": [...]}``.
    n_boot : int
        Bootstrap resamples for omega's interval.
    ci_level : float
        Confidence level.
    seed : int
        Seed; each scale draws from its own stream keyed on its name.

    Returns
    -------
    pandas.DataFrame
        One row per scale: scale, n_items, n (complete cases), alpha, alpha_ci_low,
        alpha_ci_high, omega, omega_ci_low, omega_ci_high. Scales with fewer than
        max(10, k + 2) complete cases get only n.

    Notes
    -----
    :math:`\alpha = \frac{k}{k-1}\left(1 - \frac{\sum_j \sigma^2_j}{\sigma^2_X}\right)` on complete
    cases (``pingouin.cronbach_alpha``), with the F-distribution interval of Feldt et al.; omega as
    in :func:`omega_from_corr`.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
       Psychometrika, 16(3), 297-334.
    .. [2] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
       coefficient alpha. Applied Psychological Measurement, 11(1), 93-103.
    .. [3] McDonald, R. P. (1999). Test Theory: A Unified Treatment. Lawrence Erlbaum.
    """
    rows = []
    for name, scale in scales.items():
        items = wide[scale["items"]].dropna()
        row = {"scale": name, "n_items": len(scale["items"]), "n": len(items)}
        if len(items) < max(10, len(scale["items"]) + 2):
            log.warning(
                "scale %s: only %d complete cases, reliability not estimated", name, len(items)
            )
            rows.append(row)
            continue
        alpha, (a_low, a_high) = pg.cronbach_alpha(data=items, ci=ci_level, nan_policy="listwise")
        # One stream per scale, keyed on its name (as stats_analyse.stream): adding, removing or
        # reordering scales leaves the others' intervals unchanged.
        rng = np.random.default_rng([seed, zlib.crc32(f"omega|{name}".encode())])
        omega, o_low, o_high = omega_with_ci(
            items.to_numpy(float), n_boot=n_boot, ci_level=ci_level, rng=rng
        )
        row.update(
            alpha=alpha,
            alpha_ci_low=a_low,
            alpha_ci_high=a_high,
            omega=omega,
            omega_ci_low=o_low,
            omega_ci_high=o_high,
        )
        rows.append(row)
    cols = [
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
    return pd.DataFrame(rows).reindex(columns=cols)
