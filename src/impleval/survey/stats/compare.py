"""Group comparisons of items and scales: omnibus tests and pairwise follow-ups with effect sizes.

Every function takes one respondent-level frame (group variables + outcome columns) and returns
tidy rows with the column names of results/tables/survey_omnibus.csv and survey_pairwise.csv.
Groups smaller than `min_cell` are left out of the tests of that outcome (disclosure control:
a pairwise row would otherwise describe a handful of identifiable staff).
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats
from statsmodels.stats.oneway import anova_oneway

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
    # Plain dict work: called for every test, where Series indexing would dominate.
    sizes = {g: float(c) for g, c in zip(counts.index, counts.to_numpy(), strict=True) if c > 0}
    small = [c for c in sizes.values() if c < min_cell]
    n_out, total_out = prior[0] + len(small), prior[1] + float(sum(small))
    kept = gv.order([g for g, c in sizes.items() if c >= min_cell])
    if n_out and not (n_out >= 2 and total_out >= min_cell):
        position = {g: i for i, g in enumerate(kept)}
        candidates = sorted(kept, key=lambda g: (g == gv.reference, sizes[g], position[g]))
        while candidates and not (n_out >= 2 and total_out >= min_cell):
            g = candidates.pop(0)
            kept.remove(g)
            n_out, total_out = n_out + 1, total_out + sizes[g]
            log.info("%s: group %s left out as a complement of smaller groups", gv.name, g)
    return kept


def group_codes(df: pd.DataFrame, gv: GroupVar) -> tuple[np.ndarray, list[str]]:
    """Integer codes of a group column (-1 = no group) and the group names they stand for.

    The respondent frame holds group columns as categoricals (``analyse.respondent_frame``), so
    the codes are read, not recomputed, for each of the many tests on the same column; any other
    column is factorised here. Names are the text of the values (as ``astype(str)``).

    Parameters
    ----------
    df : pandas.DataFrame
        Respondent-level frame.
    gv : GroupVar
        The group variable.

    Returns
    -------
    (numpy.ndarray, list of str)
        Codes per row and the group name of each code.
    """
    col = df[gv.column]
    if not isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype("category")
    codes = col.cat.codes.to_numpy().astype(np.int64)
    names = [str(c) for c in col.cat.categories]
    if len(set(names)) < len(names):  # distinct values with one text (1 and "1"): one group
        unique = sorted(set(names))
        remap = np.array([unique.index(name) for name in names] + [-1])
        codes, names = remap[codes], unique
    return codes, names


@dataclass(frozen=True)
class Split:
    """One outcome's answers in the groups kept for its test, grouped (kept-group order) and in
    respondent order within each group."""

    groups: list  # kept groups, reference first (kept_groups)
    answers: np.ndarray  # all kept answers, group after group
    sizes: np.ndarray  # answers per kept group

    @property
    def n(self) -> int:
        return len(self.answers)

    @property
    def values(self) -> list[np.ndarray]:
        """The answers of each kept group."""
        return np.split(self.answers, np.cumsum(self.sizes)[:-1])

    def level_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct answers and the kept groups × answers table of counts (float)."""
        # As np.unique(return_inverse=True), by hashing instead of sorting every answer.
        level, levels = pd.factorize(self.answers, sort=True)
        group = np.repeat(np.arange(len(self.groups)), self.sizes)
        cells = np.bincount(group * len(levels) + level, minlength=len(self.groups) * len(levels))
        return levels, cells.reshape(len(self.groups), len(levels)).astype(float)


def split(df: pd.DataFrame, outcome: str, gv: GroupVar, min_cell: int) -> Split:
    """Answers of an outcome per kept group (rows with an answer and a group).

    Parameters
    ----------
    df : pandas.DataFrame
        Respondent-level frame.
    outcome : str
        Numeric outcome column.
    gv : GroupVar
        The group variable.
    min_cell : int
        Smallest group a test may describe.

    Returns
    -------
    Split
        The kept groups (:func:`kept_groups`) and their answers.
    """
    codes, names = group_codes(df, gv)
    x = df[outcome].to_numpy(dtype=float, na_value=np.nan)
    ok = (codes >= 0) & ~np.isnan(x)
    counts = np.bincount(codes[ok], minlength=len(names))
    keep = kept_groups(pd.Series(counts, index=names), gv, min_cell)
    code_of = {name: i for i, name in enumerate(names)}
    position = np.full(len(names) + 1, -1)  # code → kept position; the last slot serves code -1
    position[[code_of[g] for g in keep]] = np.arange(len(keep))
    group = position[codes]
    rows = np.flatnonzero(ok & (group >= 0))
    # Stable: respondent order within groups. numpy sorts 8- and 16-bit integers stably by radix
    # sort, in linear time (int64 keys take a comparison sort, 5× slower at 60 000 respondents).
    key = group[rows].astype(np.min_scalar_type(len(keep)))
    rows = rows[np.argsort(key, kind="stable")]
    return Split(keep, x[rows], np.bincount(group[rows], minlength=len(keep)))


def crosstab(codes: np.ndarray, names: list, column: np.ndarray, groups: list) -> pd.DataFrame:
    """Groups × values table of counts, as ``pd.crosstab`` on the group names (rows sorted by
    name, columns by value), for the rows whose group is in `groups`.

    Parameters
    ----------
    codes, names
        Group codes and names (:func:`group_codes`).
    column : numpy.ndarray
        The tabulated values, one per row (rows to leave out already have code -1).
    groups : list
        The groups to tabulate.

    Returns
    -------
    pandas.DataFrame
        Counts (int64), index = groups sorted by name, columns = the sorted distinct values.
    """
    rows = sorted(groups)
    code_of = {name: i for i, name in enumerate(names)}
    row_of = np.full(len(names) + 1, -1)
    row_of[[code_of[g] for g in rows]] = np.arange(len(rows))
    row = row_of[codes]  # -1 (no group) maps through the extra last slot to -1
    keep = row >= 0
    # As np.unique(return_inverse=True), by hashing: np.unique sorts every value, text by Python
    # comparisons (25 ms per table at 60 000 respondents).
    col, values = pd.factorize(column[keep], sort=True, use_na_sentinel=False)
    table = np.bincount(row[keep] * len(values) + col, minlength=len(rows) * len(values)).reshape(
        len(rows), len(values)
    )
    return pd.DataFrame(table, index=rows, columns=values)


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


def kruskal_item(df, item, gv, *, min_cell, n_boot, ci_level, rng, part=None) -> dict | None:
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
    part : Split, optional
        The answers already split (:func:`split` of the same arguments), shared by an omnibus
        test and its pairwise follow-up; split here when not given.

    Returns
    -------
    dict or None
        One survey_omnibus row; None with fewer than two kept groups.

    Notes
    -----
    H (tie-corrected) from the groups × answers counts (``effects.kruskal_h_from_counts``, equal
    to ``scipy.stats.kruskal`` and ``pingouin.kruskal``; tests/unit/test_survey_speed.py), p from
    its chi-square distribution; :math:`\varepsilon^2_R = H/(n-1)` with a percentile bootstrap
    interval resampling within groups (``effects.epsilon_squared_ci``). With a single distinct
    answer H is undefined (NaN), as in scipy.

    References
    ----------
    .. [1] Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance
       analysis. Journal of the American Statistical Association, 47(260), 583-621.
    .. [2] Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates revisited.
       Trends in Sport Sciences, 21(1), 19-25.
    """
    part = split(df, item, gv, min_cell) if part is None else part
    if len(part.groups) < 2:
        return None
    n, dof = part.n, len(part.groups) - 1
    levels, counts = part.level_counts()
    h = float(fx.kruskal_h_from_counts(counts)) if len(levels) > 1 else np.nan
    low, high = fx.epsilon_squared_ci(counts, n_boot=n_boot, ci_level=ci_level, rng=rng)
    return _omnibus_row(
        item,
        "item",
        gv,
        "kruskal_wallis",
        "kruskal_wallis",
        statistic=h,
        df1=dof,
        df2=np.nan,
        p_value=float(stats.chi2.sf(h, dof)),
        effect_size=fx.epsilon_squared(h, n),
        effect_size_name="epsilon_squared",
        es_ci_low=low,
        es_ci_high=high,
        n=n,
        n_groups=len(part.groups),
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
    codes, names = group_codes(df, gv)
    flag = flags[item].to_numpy(dtype=bool)
    answered = df[item].notna().to_numpy() | flag
    codes = np.where(answered, codes, -1)
    counts = np.bincount(codes[codes >= 0], minlength=len(names))
    groups = kept_groups(pd.Series(counts, index=names), gv, min_cell)
    if len(groups) < 2:
        return None
    table = crosstab(codes, names, flag, groups)
    if table.shape[1] < 2:  # nobody, or everybody, answered "not relevant"
        return None
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
        n=int(table.to_numpy().sum()),
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
    codes, names = group_codes(df, gv)
    answer = df[item]
    text = answer.astype(str).to_numpy(dtype=object)
    codes = np.where(answer.notna().to_numpy() & (text != ""), codes, -1)
    counts = np.bincount(codes[codes >= 0], minlength=len(names))
    groups = kept_groups(pd.Series(counts, index=names), gv, min_cell)
    if len(groups) < 2:
        return None
    table = crosstab(codes, names, text, groups)
    if table.shape[1] < 2:
        return None
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
        n=int(table.to_numpy().sum()),
        n_groups=len(groups),
    )


def welch_scale(df, scale, gv, *, min_cell, ci_level, part=None) -> dict | None:
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
    part : Split, optional
        The answers already split (:func:`split` of the same arguments), shared by an omnibus
        test and its pairwise follow-up; split here when not given.

    Returns
    -------
    dict or None
        One survey_omnibus row; None with fewer than two kept groups.

    Notes
    -----
    F and its degrees of freedom from ``statsmodels.stats.oneway.anova_oneway`` (unequal
    variances, Welch's correction); omega-squared
    :math:`df_1(F-1)/(df_1(F-1)+n)` with the noncentral-F interval
    (``effects.omega_squared_welch``).

    References
    ----------
    .. [1] Welch, B. L. (1951). On the comparison of several mean values: an alternative approach.
       Biometrika, 38(3/4), 330-336.
    """
    part = split(df, scale, gv, min_cell) if part is None else part
    if len(part.groups) < 2:
        return None
    res = anova_oneway(part.values, use_var="unequal", welch_correction=True)
    f, df1, df2 = float(res.statistic), float(res.df_num), float(res.df_denom)
    omega2, low, high = fx.omega_squared_welch(f, df1, df2, part.n, ci_level)
    return _omnibus_row(
        scale,
        "scale",
        gv,
        "welch_anova",
        "welch_anova",
        statistic=f,
        df1=df1,
        df2=df2,
        p_value=float(res.pvalue),
        effect_size=omega2,
        effect_size_name="omega_squared",
        es_ci_low=low,
        es_ci_high=high,
        n=part.n,
        n_groups=len(part.groups),
    )


def dunn_z(counts: np.ndarray) -> np.ndarray:
    r"""Dunn's z statistic for every ordered pair of groups, from the groups × answers counts.

    Written by hand: scikit-posthocs returns p only and ranks every respondent; with discrete
    answers every answer at one level shares the level's midrank, so z needs only the counts.
    Its p, :math:`2\,\Phi(-|z|)`, equals ``scikit_posthocs.posthoc_dunn``
    (tests/unit/test_survey_speed.py).

    Parameters
    ----------
    counts : numpy.ndarray
        Groups × answer levels table of counts.

    Returns
    -------
    numpy.ndarray
        Groups × groups matrix, entry (a, b) the z of a against b.

    Notes
    -----
    With mean ranks :math:`\bar R_a`, group sizes :math:`n_a` and tie counts :math:`t`,
    :math:`z_{ab} = (\bar R_a - \bar R_b) / \sqrt{\sigma^2 (1/n_a + 1/n_b)}` and
    :math:`\sigma^2 = \frac{n(n+1)}{12} - \frac{\sum (t^3 - t)}{12(n-1)}`.

    References
    ----------
    .. [1] Dunn, O. J. (1964). Multiple comparisons using rank sums. Technometrics, 6(3), 241-252.
    """
    t = counts.sum(axis=0)
    n_g = counts.sum(axis=1)
    n = t.sum()
    midrank = np.cumsum(t) - (t - 1) / 2.0
    mean_rank = counts @ midrank / n_g
    sigma2 = n * (n + 1) / 12.0 - (t**3 - t).sum() / (12.0 * (n - 1))
    return (mean_rank[:, None] - mean_rank[None, :]) / np.sqrt(
        sigma2 * (1 / n_g[:, None] + 1 / n_g[None, :])
    )


def dunn_item(df, item, gv, *, min_cell, ci_level, part=None) -> list[dict]:
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
    part : Split, optional
        The answers already split (:func:`split` of the same arguments), shared by an omnibus
        test and its pairwise follow-up; split here when not given.

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
    part = split(df, item, gv, min_cell) if part is None else part
    groups = part.groups
    if len(groups) < 2:
        return []
    _, counts = part.level_counts()
    z = dunn_z(counts)
    p = 2.0 * stats.norm.sf(np.abs(z))
    rows = []
    for (i, a), (j, b) in itertools.combinations(enumerate(groups), 2):
        delta, low, high = fx.cliffs_delta_from_counts(counts[i], counts[j], ci_level)
        rows.append(
            {
                "outcome": item,
                "outcome_type": "item",
                "group_var": gv.name,
                "group_a": a,
                "group_b": b,
                "test": "dunn",
                "statistic": z[i, j],
                "p_value": p[i, j],
                "effect_size": delta,
                "effect_size_name": "cliffs_delta",
                "es_ci_low": low,
                "es_ci_high": high,
                "n_a": int(counts[i].sum()),
                "n_b": int(counts[j].sum()),
            }
        )
    return rows


def games_howell_scale(df, scale, gv, *, min_cell, ci_level, part=None) -> list[dict]:
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
    part : Split, optional
        The answers already split (:func:`split` of the same arguments), shared by an omnibus
        test and its pairwise follow-up; split here when not given.

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
    part = split(df, scale, gv, min_cell) if part is None else part
    groups = part.groups
    if len(groups) < 2:
        return []
    labels = np.repeat(np.array(groups, dtype=object), part.sizes)
    sub = pd.DataFrame({"group": labels, "y": part.answers})
    res = pg.pairwise_gameshowell(data=sub, dv="y", between="group", effsize="hedges")
    n = dict(zip(groups, part.sizes, strict=True))
    means = {g: v.mean() for g, v in zip(groups, part.values, strict=True)}
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
