"""Group comparisons of items and scales: omnibus tests and pairwise follow-ups with effect sizes.

Every function takes one respondent-level frame (group variables + outcome columns) and returns
tidy rows with the column names of results/tables/survey_omnibus.csv and survey_pairwise.csv.
Groups smaller than `min_cell` are left out of the tests of that outcome (disclosure control:
a pairwise row would otherwise describe a handful of identifiable staff).
"""

from __future__ import annotations

import itertools
import logging

import numpy as np
import pandas as pd
import pingouin as pg
import scikit_posthocs as sp
from scipy import stats

from impleval.survey.settings import GroupVar
from impleval.survey.stats import effects as fx

log = logging.getLogger(__name__)


def kept_groups(
    counts: pd.Series, gv: GroupVar, min_cell: int, *, prior: tuple[int, float] = (0, 0.0)
) -> list:
    """Groups with at least `min_cell` members, in config order, with complementary exclusion.

    Groups below `min_cell` are left out of the test. The published test `n` counts only the kept
    groups while survey_group_summary publishes the `all` n, so a single left-out group would be
    recoverable by subtraction. As in ``apply_small_cell_rule``, the left-out groups are therefore
    made at least two with a combined size of at least `min_cell`: the smallest kept group
    (non-reference groups first) is left out as well.

    Parameters
    ----------
    counts : pandas.Series
        Members per group.
    gv : GroupVar
        The group variable (order and reference).
    min_cell : int
        Smallest group a test may describe.
    prior : (int, float)
        Number and total size of groups already left out of the same frame (ordinal models
        re-check until stable).

    Returns
    -------
    list
        The kept groups, reference first.
    """
    counts = counts[counts > 0]
    small = counts[counts < min_cell]
    n_out, total_out = prior[0] + len(small), prior[1] + float(small.sum())
    kept = gv.order(counts.index[counts >= min_cell])
    if n_out and not (n_out >= 2 and total_out >= min_cell):
        position = {g: i for i, g in enumerate(kept)}
        candidates = sorted(kept, key=lambda g: (g == gv.reference, counts[g], position[g]))
        while candidates and not (n_out >= 2 and total_out >= min_cell):
            g = candidates.pop(0)
            kept.remove(g)
            n_out, total_out = n_out + 1, total_out + float(counts[g])
            log.info("%s: group %s left out as a complement of smaller groups", gv.name, g)
    return kept


def usable(
    df: pd.DataFrame, outcome: str, gv: GroupVar, min_cell: int
) -> tuple[pd.DataFrame, list]:
    """Rows with an answer and a group, and the groups kept for the test.

    Parameters
    ----------
    df : pandas.DataFrame
        Respondent-level frame.
    outcome : str
        Outcome column.
    gv : GroupVar
        The group variable.
    min_cell : int
        Smallest group a test may describe.

    Returns
    -------
    (pandas.DataFrame, list)
        The rows of kept groups (group column as text) and the kept groups (:func:`kept_groups`).
    """
    sub = df.loc[df[outcome].notna() & df[gv.column].notna(), [gv.column, outcome]]
    keep = kept_groups(sub[gv.column].astype(str).value_counts(), gv, min_cell)
    sub = sub[sub[gv.column].astype(str).isin(keep)].assign(
        **{gv.column: lambda d: d[gv.column].astype(str)}
    )
    return sub, keep


# Multiplicity family of each omnibus test, fixed by the kind of test (never by the variant that
# the data select, e.g. the permutation chi-square when expected counts are small).
FAMILY = {
    "kruskal_wallis": "kruskal",
    "not_relevant": "not_relevant",
    "categorical": "categorical",
    "welch_anova": "scale",
}


def _omnibus_row(outcome, outcome_type, gv, test, family, **values) -> dict:
    return {
        "outcome": outcome,
        "outcome_type": outcome_type,
        "group_var": gv.name,
        "test": test,
        "family": FAMILY[family],
        **values,
    }


def kruskal_item(df, item, gv, *, min_cell, n_boot, ci_level, rng) -> dict | None:
    r"""Kruskal–Wallis test of an item across groups, with epsilon-squared and its bootstrap CI.

    Parameters
    ----------
    df : pandas.DataFrame
        Respondent-level frame: group columns (``GroupVar.column``) and outcome columns.
    item : str
        Item column.
    gv : GroupVar
        The group variable.
    min_cell : int
        Groups below it are left out of the test (:func:`kept_groups`).
    n_boot : int
        Bootstrap resamples of the effect size's interval.
    ci_level : float
        Confidence level.
    rng : numpy.random.Generator
        Random stream of this test.

    Returns
    -------
    dict or None
        One survey_omnibus row; None with fewer than two kept groups.

    Notes
    -----
    H from ``pingouin.kruskal`` (tie-corrected); :math:`\varepsilon^2_R = H/(n-1)` with a
    percentile bootstrap interval resampling within groups (``effects.epsilon_squared_ci``).

    References
    ----------
    .. [1] Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance
       analysis. Journal of the American Statistical Association, 47(260), 583-621.
    .. [2] Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates revisited.
       Trends in Sport Sciences, 21(1), 19-25.
    """
    sub, groups = usable(df, item, gv, min_cell)
    if len(groups) < 2:
        return None
    res = pg.kruskal(data=sub, dv=item, between=gv.column).iloc[0]
    n = len(sub)
    samples = [sub.loc[sub[gv.column] == g, item].to_numpy() for g in groups]
    counts = fx.level_counts(samples, np.unique(sub[item].to_numpy()))
    low, high = fx.epsilon_squared_ci(counts, n_boot=n_boot, ci_level=ci_level, rng=rng)
    return _omnibus_row(
        item,
        "item",
        gv,
        "kruskal_wallis",
        "kruskal_wallis",
        statistic=res["H"],
        df1=res["ddof1"],
        df2=np.nan,
        p_value=res["p_unc"],
        effect_size=fx.epsilon_squared(res["H"], n),
        effect_size_name="epsilon_squared",
        es_ci_low=low,
        es_ci_high=high,
        n=n,
        n_groups=len(groups),
    )


def _chi2_stat(observed: np.ndarray) -> np.ndarray:
    """Pearson chi-square of (..., r, c) tables, vectorised over leading axes."""
    rows = observed.sum(axis=-1, keepdims=True)
    cols = observed.sum(axis=-2, keepdims=True)
    expected = rows * cols / observed.sum(axis=(-2, -1), keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nansum((observed - expected) ** 2 / expected, axis=(-2, -1))


def permutation_p_two_columns(observed: np.ndarray, *, n_resamples: int, rng) -> float:
    r"""Permutation p-value of Pearson's chi-square for a groups × 2 table, all margins fixed.

    Shuffling the column labels over respondents makes the first-column counts per group a
    multivariate hypergeometric draw; drawing those counts directly is the same permutation
    distribution as scipy's ``PermutationMethod`` (which re-tabulates every respondent per
    resample), at a cost independent of n.

    Parameters
    ----------
    observed : numpy.ndarray
        Groups × 2 table of counts.
    n_resamples : int
        Number of permutations B.
    rng : numpy.random.Generator
        Random stream of this test.

    Returns
    -------
    float
        :math:`p = (1 + \#\{\chi^{2*} \ge \chi^2\}) / (1 + B)`, as ``scipy.stats.permutation_test``.

    References
    ----------
    .. [1] Phipson, B., & Smyth, G. K. (2010). Permutation p-values should never be zero.
       Statistical Applications in Genetics and Molecular Biology, 9(1), Article 39.
    """
    sizes = observed.sum(axis=1).astype(np.int64)
    first = rng.multivariate_hypergeometric(sizes, int(observed[:, 0].sum()), size=n_resamples)
    tables = np.stack([first, sizes - first], axis=-1).astype(float)
    stat = _chi2_stat(observed.astype(float))
    return float((1 + (_chi2_stat(tables) >= stat * (1 - 1e-12)).sum()) / (1 + n_resamples))


def contingency_test(
    table: pd.DataFrame, *, n_resamples: int, rng
) -> tuple[str, float, float, float]:
    """Pearson's chi-square test of a groups × categories table; a permutation p-value when any
    expected count is below 5.

    Parameters
    ----------
    table : pandas.DataFrame
        Groups × categories counts.
    n_resamples : int
        Permutations when expected counts are small.
    rng : numpy.random.Generator
        Random stream of this test.

    Returns
    -------
    (str, float, float, float)
        Test name ("chi2" or "chi2_permutation"), statistic, degrees of freedom, p-value.

    References
    ----------
    .. [1] Agresti, A. (2013). Categorical Data Analysis (3rd ed.). Wiley.
    """
    observed = table.to_numpy(np.int64)
    res = stats.chi2_contingency(observed, correction=False)
    if (res.expected_freq < 5).any():
        if observed.shape[1] == 2:
            p = permutation_p_two_columns(observed, n_resamples=n_resamples, rng=rng)
        else:
            method = stats.PermutationMethod(n_resamples=n_resamples, rng=rng)
            p = stats.chi2_contingency(observed, correction=False, method=method).pvalue
        return "chi2_permutation", float(res.statistic), float(res.dof), float(p)
    return "chi2", float(res.statistic), float(res.dof), float(res.pvalue)


def not_relevant_item(df, flags, item, gv, *, min_cell, n_resamples, rng) -> dict | None:
    """Share of "not relevant"/"don't know" among those who answered an item, across groups.

    Parameters
    ----------
    df : pandas.DataFrame
        Respondent-level frame: group columns (``GroupVar.column``) and outcome columns.
    flags : pandas.DataFrame
        Respondent × item non-substantive flags.
    item : str
        Item column.
    gv : GroupVar
        The group variable.
    min_cell : int
        Groups below it are left out of the test (:func:`kept_groups`).
    n_resamples : int
        Permutations when expected counts are small (:func:`contingency_test`).
    rng : numpy.random.Generator
        Random stream of this test.

    Returns
    -------
    dict or None
        One survey_omnibus row with bias-corrected Cramér's V; None with fewer than two kept groups
        or no variation.

    References
    ----------
    .. [1] Bergsma, W. (2013). A bias-correction for Cramér's V and Tschuprow's T. Journal of the
       Korean Statistical Society, 42(3), 323-328.
    """
    answered = df[item].notna() | flags[item]
    sub = pd.DataFrame({gv.column: df[gv.column], "nr": flags[item]})[
        answered & df[gv.column].notna()
    ]
    groups = kept_groups(sub[gv.column].astype(str).value_counts(), gv, min_cell)
    sub = sub[sub[gv.column].astype(str).isin(groups)]
    if len(groups) < 2 or not sub["nr"].any() or sub["nr"].all():
        return None
    table = pd.crosstab(sub[gv.column].astype(str), sub["nr"])
    test, chi2, dof, p = contingency_test(table, n_resamples=n_resamples, rng=rng)
    return _omnibus_row(
        item,
        "item",
        gv,
        f"{test}_not_relevant",
        "not_relevant",
        statistic=chi2,
        df1=dof,
        df2=np.nan,
        p_value=p,
        effect_size=fx.cramers_v_corrected(chi2, table.to_numpy(float)),
        effect_size_name="cramers_v_corrected",
        es_ci_low=np.nan,
        es_ci_high=np.nan,
        n=len(sub),
        n_groups=len(groups),
    )


def categorical_item(df, item, gv, *, min_cell, n_resamples, rng) -> dict | None:
    """Chi-square test of a categorical item (e.g. training received) across groups.

    Parameters
    ----------
    df : pandas.DataFrame
        Respondent-level frame: group columns (``GroupVar.column``) and outcome columns.
    item : str
        Item column.
    gv : GroupVar
        The group variable.
    min_cell : int
        Groups below it are left out of the test (:func:`kept_groups`).
    n_resamples : int
        Permutations when expected counts are small (:func:`contingency_test`).
    rng : numpy.random.Generator
        Random stream of this test.

    Returns
    -------
    dict or None
        One survey_omnibus row with bias-corrected Cramér's V; None with fewer than two kept groups
        or categories.
    """
    sub = df.loc[
        df[item].notna() & (df[item].astype(str) != "") & df[gv.column].notna(), [gv.column, item]
    ]
    groups = kept_groups(sub[gv.column].astype(str).value_counts(), gv, min_cell)
    sub = sub[sub[gv.column].astype(str).isin(groups)]
    if len(groups) < 2 or sub[item].nunique() < 2:
        return None
    table = pd.crosstab(sub[gv.column].astype(str), sub[item].astype(str))
    test, chi2, dof, p = contingency_test(table, n_resamples=n_resamples, rng=rng)
    return _omnibus_row(
        item,
        "item",
        gv,
        test,
        "categorical",
        statistic=chi2,
        df1=dof,
        df2=np.nan,
        p_value=p,
        effect_size=fx.cramers_v_corrected(chi2, table.to_numpy(float)),
        effect_size_name="cramers_v_corrected",
        es_ci_low=np.nan,
        es_ci_high=np.nan,
        n=len(sub),
        n_groups=len(groups),
    )


def welch_scale(df, scale, gv, *, min_cell, ci_level) -> dict | None:
    """Welch's heteroscedastic one-way ANOVA of a scale score, with omega-squared and its CI.

    Parameters
    ----------
    df : pandas.DataFrame
        Respondent-level frame: group columns (``GroupVar.column``) and outcome columns.
    scale : str
        Scale column.
    gv : GroupVar
        The group variable.
    min_cell : int
        Groups below it are left out of the test (:func:`kept_groups`).
    ci_level : float
        Confidence level of the effect size.

    Returns
    -------
    dict or None
        One survey_omnibus row; None with fewer than two kept groups.

    Notes
    -----
    F and its degrees of freedom from ``pingouin.welch_anova``; omega-squared
    :math:`df_1(F-1)/(df_1(F-1)+n)` with the noncentral-F interval
    (``effects.omega_squared_welch``).

    References
    ----------
    .. [1] Welch, B. L. (1951). On the comparison of several mean values: an alternative approach.
       Biometrika, 38(3/4), 330-336.
    """
    sub, groups = usable(df, scale, gv, min_cell)
    if len(groups) < 2:
        return None
    res = pg.welch_anova(data=sub, dv=scale, between=gv.column).iloc[0]
    omega2, low, high = fx.omega_squared_welch(
        res["F"], res["ddof1"], res["ddof2"], len(sub), ci_level
    )
    return _omnibus_row(
        scale,
        "scale",
        gv,
        "welch_anova",
        "welch_anova",
        statistic=res["F"],
        df1=res["ddof1"],
        df2=res["ddof2"],
        p_value=res["p_unc"],
        effect_size=omega2,
        effect_size_name="omega_squared",
        es_ci_low=low,
        es_ci_high=high,
        n=len(sub),
        n_groups=len(groups),
    )


def dunn_z(sub: pd.DataFrame, outcome: str, group_var: str) -> dict:
    r"""Dunn's z statistic for every ordered pair of groups (scikit-posthocs returns p only).

    Parameters
    ----------
    sub : pandas.DataFrame
        Rows of the kept groups.
    outcome : str
        Outcome column.
    group_var : str
        Group column.

    Returns
    -------
    dict
        (group a, group b) → z.

    Notes
    -----
    With mean ranks :math:`\bar R_a`, group sizes :math:`n_a` and tie counts :math:`t`,
    :math:`z_{ab} = (\bar R_a - \bar R_b) / \sqrt{\sigma^2 (1/n_a + 1/n_b)}` and
    :math:`\sigma^2 = \frac{n(n+1)}{12} - \frac{\sum (t^3 - t)}{12(n-1)}`.

    References
    ----------
    .. [1] Dunn, O. J. (1964). Multiple comparisons using rank sums. Technometrics, 6(3), 241-252.
    """
    ranks = stats.rankdata(sub[outcome].to_numpy())
    n = len(ranks)
    _, t = np.unique(sub[outcome].to_numpy(), return_counts=True)
    sigma2 = n * (n + 1) / 12.0 - (t**3 - t).sum() / (12.0 * (n - 1))
    by = pd.Series(ranks, index=sub.index).groupby(sub[group_var]).agg(["mean", "size"])
    return {
        (a, b): (by.at[a, "mean"] - by.at[b, "mean"])
        / np.sqrt(sigma2 * (1 / by.at[a, "size"] + 1 / by.at[b, "size"]))
        for a, b in itertools.permutations(by.index, 2)
    }


def dunn_item(df, item, gv, *, min_cell, ci_level) -> list[dict]:
    """Pairwise Dunn tests of an item between kept groups, with Cliff's delta and its CI.

    Parameters
    ----------
    df : pandas.DataFrame
        Respondent-level frame: group columns (``GroupVar.column``) and outcome columns.
    item : str
        Item column.
    gv : GroupVar
        The group variable.
    min_cell : int
        Groups below it are left out of the test (:func:`kept_groups`).
    ci_level : float
        Confidence level of the effect size.

    Returns
    -------
    list of dict
        survey_pairwise rows (unadjusted p; adjusted later within the configured family).

    References
    ----------
    .. [1] Dunn, O. J. (1964). Multiple comparisons using rank sums. Technometrics, 6(3), 241-252.
    .. [2] Cliff, N. (1993). Dominance statistics: ordinal analyses to answer ordinal questions.
       Psychological Bulletin, 114(3), 494-509.
    """
    sub, groups = usable(df, item, gv, min_cell)
    if len(groups) < 2:
        return []
    p = sp.posthoc_dunn(sub, val_col=item, group_col=gv.column, p_adjust=None)
    z = dunn_z(sub, item, gv.column)
    values = {g: sub.loc[sub[gv.column] == g, item].to_numpy() for g in groups}
    rows = []
    for a, b in itertools.combinations(groups, 2):
        delta, low, high = fx.cliffs_delta(values[a], values[b], ci_level)
        rows.append(
            {
                "outcome": item,
                "outcome_type": "item",
                "group_var": gv.name,
                "group_a": a,
                "group_b": b,
                "test": "dunn",
                "statistic": z[(a, b)],
                "p_value": p.loc[a, b],
                "effect_size": delta,
                "effect_size_name": "cliffs_delta",
                "es_ci_low": low,
                "es_ci_high": high,
                "n_a": len(values[a]),
                "n_b": len(values[b]),
            }
        )
    return rows


def games_howell_scale(df, scale, gv, *, min_cell, ci_level) -> list[dict]:
    """Games–Howell pairwise comparisons of a scale score, with Hedges' g and its CI.

    Parameters
    ----------
    df : pandas.DataFrame
        Respondent-level frame: group columns (``GroupVar.column``) and outcome columns.
    scale : str
        Scale column.
    gv : GroupVar
        The group variable.
    min_cell : int
        Groups below it are left out of the test (:func:`kept_groups`).
    ci_level : float
        Confidence level of the effect size.

    Returns
    -------
    list of dict
        survey_pairwise rows in config order (reference first; contrasts flipped accordingly).
        Games–Howell p-values already control the family-wise rate over an outcome's pairs.

    References
    ----------
    .. [1] Games, P. A., & Howell, J. F. (1976). Pairwise multiple comparison procedures with
       unequal n's and/or variances: a Monte Carlo study. Journal of Educational Statistics,
       1(2), 113-125.
    .. [2] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
       related estimators. Journal of Educational Statistics, 6(2), 107-128.
    """
    sub, groups = usable(df, scale, gv, min_cell)
    if len(groups) < 2:
        return []
    res = pg.pairwise_gameshowell(data=sub, dv=scale, between=gv.column, effsize="hedges")
    n = sub[gv.column].value_counts()
    means = sub.groupby(gv.column)[scale].mean()
    rank = {g: i for i, g in enumerate(groups)}
    rows = []
    for r in res.itertuples(index=False):
        a, b, t, g = str(r.A), str(r.B), float(r.T), float(r.hedges)
        if rank[a] > rank[b]:  # report in config order (reference first): flip the contrast
            a, b, t, g = b, a, -t, -g
        low, high = fx.hedges_g_ci(g, int(n[a]), int(n[b]), ci_level)
        rows.append(
            {
                "outcome": scale,
                "outcome_type": "scale",
                "group_var": gv.name,
                "group_a": a,
                "group_b": b,
                "test": "games_howell",
                "statistic": t,
                "p_value": float(r.pval),
                "effect_size": g,
                "effect_size_name": "hedges_g",
                "es_ci_low": low,
                "es_ci_high": high,
                "n_a": int(n[a]),
                "n_b": int(n[b]),
                "mean_diff": means[a] - means[b],
                "df": float(r.df),
            }
        )
    rows.sort(key=lambda row: (rank[row["group_a"]], rank[row["group_b"]]))
    return rows
