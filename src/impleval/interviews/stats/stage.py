"""Change of each theme across the ordered stages: trend test and chi-square, with effect sizes.

Unit: interviews (mentions the theme or not) by the primary coder. One row per theme and test;
p values are adjusted within families declared in config (`stage_tests.families`): by default one
family per test kind and theme group (process themes apart from stakeholder effects), so the
report's "k of the n process themes" is adjusted over exactly those n themes.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.multitest import multipletests

from impleval.effect_sizes import cramers_v_corrected

STAGE_TEST_COLUMNS = [
    "theme",
    "test",
    "statistic",
    "df",
    "p_value",
    "p_adjusted",
    "effect_size",
    "effect_size_name",
    "n_interviews",
    "direction",
    "significant",
]


def stage_table(present: pd.Series, stage: pd.Series, stages: list[str]) -> np.ndarray:
    """2 × k table of one theme: row 0 interviews mentioning it, row 1 not; columns the stages.

    Parameters
    ----------
    present : pandas.Series
        0/1 per interview.
    stage : pandas.Series
        Stage per interview (same index).
    stages : list of str
        Stages in their order.

    Returns
    -------
    numpy.ndarray
        Integer table of shape (2, k).
    """
    yes = present.groupby(stage).sum().reindex(stages, fill_value=0).to_numpy()
    n = stage.value_counts().reindex(stages, fill_value=0).to_numpy()
    return np.vstack([yes, n - yes]).astype(int)


def trend_test(table: np.ndarray) -> dict:
    r"""Cochran–Armitage test for a trend in proportions across ordered stages (scores 0..k-1).

    statsmodels has no function of that name; ``Table.test_ordinal_association`` is the
    linear-by-linear (Mantel) association test, which for a 2 × k table is the Cochran–Armitage
    test with the permutation variance.

    Parameters
    ----------
    table : numpy.ndarray
        2 × k table (:func:`stage_table`).

    Returns
    -------
    dict
        statistic (z), p_value (two-sided), effect_size (r, signed: > 0 rising), df (NaN).

    Notes
    -----
    With stage scores :math:`s` and mention indicator :math:`y` over :math:`N` interviews, the
    statistic is :math:`M^2 = (N - 1) r^2` (not :math:`N r^2`), :math:`r` the Pearson correlation
    of :math:`s` and :math:`y`; :math:`z = \mathrm{sign}(r)\sqrt{M^2}`.

    References
    ----------
    .. [1] Armitage, P. (1955). Tests for linear trends in proportions and frequencies.
       Biometrics, 11(3), 375-386.
    .. [2] Agresti, A. (2013). Categorical Data Analysis (3rd ed.). Wiley. (Section 3.4.6)
    """
    table = table[:, table.sum(axis=0) > 0]  # stages without interviews carry no information
    n = table.sum()
    if table.shape[1] < 2 or min(table.sum(axis=1)) == 0:
        return {"statistic": math.nan, "df": 1, "p_value": math.nan, "effect_size": math.nan}
    res = Table(table.T).test_ordinal_association()  # rows: stages (scores 0..k-1); cols: yes/no
    # With columns (yes, no) scored (0, 1) a rising share of "yes" gives a negative z: flip it.
    z = -float(res.zscore)
    r = z / math.sqrt(n - 1)
    return {"statistic": z * z, "df": 1, "p_value": float(res.pvalue), "effect_size": r}


def chi_square_test(table: np.ndarray, *, resamples: int, seed: int) -> dict:
    """Pearson chi-square test of a 2 × k table; the Fisher–Freeman–Halton exact test (seeded Monte
    Carlo) when expected counts are sparse.

    Parameters
    ----------
    table : numpy.ndarray
        2 × k table (:func:`stage_table`).
    resamples : int
        Monte Carlo samples of the exact test.
    seed : int
        Seed of the Monte Carlo test.

    Returns
    -------
    dict
        statistic, df, p_value and bias-corrected Cramér's V (``impleval.effect_sizes``).

    References
    ----------
    .. [1] Freeman, G. H., & Halton, J. H. (1951). Note on an exact treatment of contingency,
       goodness of fit and other problems of significance. Biometrika, 38(1/2), 141-149.
    .. [2] Bergsma, W. (2013). A bias-correction for Cramér's V and Tschuprow's T. Journal of the
       Korean Statistical Society, 42(3), 323-328.
    """
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2 or min(table.sum(axis=1)) == 0:
        return {
            "test": "chi_square",
            "statistic": math.nan,
            "df": math.nan,
            "p_value": math.nan,
            "effect_size": math.nan,
        }
    res = stats.chi2_contingency(table, correction=False)
    out = {
        "test": "chi_square",
        "statistic": float(res.statistic),
        "df": int(res.dof),
        "p_value": float(res.pvalue),
        "effect_size": cramers_v_corrected(res.statistic, table),
    }
    if (res.expected_freq < 5).any():
        method = stats.MonteCarloMethod(n_resamples=resamples, rng=np.random.default_rng(seed))
        out["test"] = "fisher_freeman_halton"
        out["p_value"] = float(stats.fisher_exact(table, method=method).pvalue)
    return out


def shape_of(shares: np.ndarray) -> str:
    """Descriptive shape of a stage profile: "up", "down", "flat" or "peak".

    "peak" when an interior stage stands out more above both ends than the ends differ: a
    rise-and-fall that a linear trend test misses.

    Parameters
    ----------
    shares : numpy.ndarray
        Share of interviews mentioning the theme, per stage.

    Returns
    -------
    str
    """
    first, last = shares[0], shares[-1]
    top = int(np.argmax(shares))
    if 0 < top < len(shares) - 1 and shares[top] - max(first, last) > abs(last - first):
        return "peak"
    return "up" if last > first else "down" if last < first else "flat"


def adjust(p: pd.Series, method: str) -> pd.Series:
    """Adjusted p-values of one family (statsmodels ``multipletests``); NaN p-values stay NaN.

    Parameters
    ----------
    p : pandas.Series
        Unadjusted p-values.
    method : str
        A ``multipletests`` method (config: stage_tests.adjust).

    Returns
    -------
    pandas.Series
        Adjusted p-values, same index.
    """
    ok = p.notna()
    out = pd.Series(np.nan, index=p.index)
    if method == "none":
        out[ok] = p[ok]
    elif ok.any():
        out[ok] = multipletests(p[ok].to_numpy(), method=method)[1]
    return out


def theme_stage_tests(
    present: pd.DataFrame,
    stage: pd.Series,
    stages: list[str],
    themes: list[str],
    *,
    tests: list[str],
    adjust_method: str,
    alpha: float,
    resamples: int,
    seed: int,
    groups: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Change of each theme across the ordered stages: one row per theme and test.

    Parameters
    ----------
    present : pandas.DataFrame
        Interview × theme 0/1 (primary coder).
    stage : pandas.Series
        Stage per interview (same index).
    stages : list of str
        Stages in order.
    themes : list of str
        Themes to test.
    tests : list of str
        "trend" (:func:`trend_test`) and/or "chi_square" (:func:`chi_square_test`).
    adjust_method : str
        Multiplicity method (:func:`adjust`).
    alpha : float
        Significance level of the ``significant`` column (adjusted p).
    resamples, seed : int
        Monte Carlo settings of the exact test.
    groups : dict or None
        Theme → family (e.g. process/stakeholder): p-values are adjusted within each test kind ×
        group. None: one family per test kind across all themes.

    Returns
    -------
    pandas.DataFrame
        The theme_stage_tests table (``STAGE_TEST_COLUMNS``) with the descriptive ``direction``
        (:func:`shape_of`).
    """
    rows = []
    for ti, theme in enumerate(themes):
        col = present[theme] if theme in present else pd.Series(0, index=present.index)
        table = stage_table(col, stage, stages)
        direction = shape_of(table[0] / np.maximum(table.sum(axis=0), 1))
        for test in tests:
            if test == "trend":
                res = {"test": "cochran_armitage", **trend_test(table)}
                name = "r"
            else:
                # Seed per theme so adding a theme does not change another theme's Monte Carlo p.
                res = chi_square_test(table, resamples=resamples, seed=seed + ti)
                name = "cramers_v_corrected"
            rows.append(
                {
                    "theme": theme,
                    **res,
                    "effect_size_name": name,
                    "n_interviews": int(table.sum()),
                    "direction": direction,
                }
            )
    out = pd.DataFrame(rows)
    group = out["theme"].map(groups).fillna("") if groups is not None else ""
    family = out["effect_size_name"] + "|" + group  # test kind (trend / chi-square) × theme group
    out["p_adjusted"] = np.nan
    for fam in family.unique():
        idx = family == fam
        out.loc[idx, "p_adjusted"] = adjust(out.loc[idx, "p_value"], adjust_method).to_numpy()
    out["significant"] = out["p_adjusted"] < alpha
    return out[STAGE_TEST_COLUMNS]


def theme_groups(themes: list[str], process: list[str], families: str) -> dict[str, str] | None:
    """The `groups` argument of `theme_stage_tests` for `stage_tests.families` in config:
    `theme_group` adjusts process themes and stakeholder effects separately, `all_themes`
    together."""
    if families == "all_themes":
        return None
    return {t: "process" if t in process else "stakeholder" for t in themes}
