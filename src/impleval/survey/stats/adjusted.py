"""Scale-level adjusted comparison: one proportional-odds model of all of a scale's items.

Per scale, the items are stacked in long format (one row per respondent × answered item) and
modelled as ordinal answers with item-specific thresholds and common slopes of the group
variable and the covariates (`adjusted_model` in survey-analysis.yaml). Respondents answer
several items of a scale, so the standard errors are clustered on respondents (sandwich). The
group variable is tested as a whole by a Wald test of its terms, without and with the covariates,
and the covariates by a Wald test in the adjusted model. One test per scale, adjusted within the
declared family `adjusted_scales`: this is what the report's "explained by <covariates>" rests
on, instead of counting items whose own tests change (which multiplied the chances of a false
"explained"; validation/RESULTS.md).

Written by hand: statsmodels' `OrderedModel` has one set of thresholds and no cluster-robust
covariance, and its `OrdinalGEE` fits cumulative binary indicators with thresholds shared by all
items. The model here is small (categorical predictors only), so it is fitted by Fisher scoring on
the (covariate pattern × item × answer) frequency table; only the cluster sums of the scores need
the respondents.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse, special, stats

from impleval.survey.settings import GroupVar
from impleval.survey.stats import compare as cmp
from impleval.survey.stats.multiplicity import adjust
from impleval.survey.stats.ordinal import design
from impleval.survey.stats.patterns import unique_rows

log = logging.getLogger(__name__)

ADJUSTED_SCALE_COLS = [
    "scale",
    "group_var",
    "covariates",
    "n",
    "unadj_statistic",
    "unadj_df",
    "unadj_p",
    "unadj_p_adjusted",
    "adj_statistic",
    "adj_df",
    "adj_p",
    "adj_p_adjusted",
    "cov_statistic",
    "cov_df",
    "cov_p",
    "adjust_method",
]
DEFAULT_FAMILY = {"method": "holm", "within": ["group_var"]}


def keep_levels(
    sub: pd.DataFrame, variables: list[str], gvs: list[GroupVar], min_cell: int
) -> pd.DataFrame:
    """Leave out levels below `min_cell` of every predictor, with complementary exclusion.

    Levels below min_cell would give unstable estimates about a handful of people; a single
    left-out level is complemented (``compare.kept_groups``) so that `n` does not reveal its size.
    Dropping a level of one variable can push a level of another below min_cell: repeated until
    stable.

    Parameters
    ----------
    sub : pandas.DataFrame
        One row per respondent, a column per predictor (named as the variable).
    variables : list of str
        The predictors.
    gvs : list of GroupVar
        The declared group variables (order and reference of each predictor).
    min_cell : int
        Smallest group a model may describe.

    Returns
    -------
    pandas.DataFrame
        The rows of kept levels.
    """
    gv_of = {g.name: g for g in gvs}
    left_out = {v: (0, 0.0) for v in variables}
    changed = True
    while changed:
        changed = False
        for var in left_out:
            # Counted on the values, then named by their text (one count per text, as values
            # 1 and "1" are one group): text-converting every row cost more than the counting.
            counts = sub[var].value_counts()
            counts = counts[counts > 0]  # a categorical also counts its absent levels
            counts = counts.groupby(counts.index.astype(str)).sum()
            keep = cmp.kept_groups(counts, gv_of[var], min_cell, prior=left_out[var])
            if len(keep) < len(counts):
                out = counts.drop(keep)
                left_out[var] = (left_out[var][0] + len(out), left_out[var][1] + float(out.sum()))
                sub = sub[sub[var].astype(str).isin(keep)]
                changed = True
    return sub


class _StackedOrdinal:
    """Cumulative-logit model of stacked items: item-specific thresholds, common slopes.

    Cells are (group g = covariate pattern × item, answer k); `counts` is G × K (K the largest
    number of answer levels; levels an item does not have are masked)."""

    def __init__(self, counts, item_of_group, levels, x_groups):
        self.counts = counts
        self.item = item_of_group
        self.levels = levels  # answer levels per item
        self.x = x_groups  # G × p
        self.p = x_groups.shape[1]
        self.offsets = np.concatenate([[0], np.cumsum(levels - 1)])[:-1]
        self.n_theta = int((levels - 1).sum())
        G, K = counts.shape
        k = np.arange(K)[None, :]
        kg = levels[self.item][:, None]
        self.valid = k < kg
        # Parameter index of each cell's upper and lower threshold (-1: ±infinity).
        base = self.offsets[self.item][:, None]
        self.upper = np.where(k < kg - 1, base + k, -1)
        self.lower = np.where((k > 0) & self.valid, base + k - 1, -1)

    def start(self) -> np.ndarray:
        theta = []
        for j, lv in enumerate(self.levels):
            n = self.counts[self.item == j].sum(axis=0)[:lv] + 0.5
            cum = np.cumsum(n)[:-1] / n.sum()
            theta += list(special.logit(cum))
        return np.concatenate([theta, np.zeros(self.p)])

    def parts(self, psi):
        theta, beta = psi[: self.n_theta], psi[self.n_theta :]
        eta = self.x @ beta
        tu = np.where(self.upper >= 0, theta[np.maximum(self.upper, 0)], np.inf)
        tl = np.where(self.lower >= 0, theta[np.maximum(self.lower, 0)], -np.inf)
        a, b = tu - eta[:, None], tl - eta[:, None]
        fa, fb = special.expit(a), special.expit(b)
        prob = np.where(self.valid, fa - fb, 1.0)
        da = np.where(np.isfinite(a), fa * (1 - fa), 0.0)
        db = np.where(np.isfinite(b), fb * (1 - fb), 0.0)
        return prob, da, db

    def loglike(self, psi) -> float:
        prob = self.parts(psi)[0]
        if np.any(prob[self.valid] <= 0):
            return -np.inf
        return float((self.counts * np.log(np.where(self.valid, prob, 1.0))).sum())

    def dprob(self, psi) -> tuple[np.ndarray, np.ndarray]:
        """(probabilities G × K, their derivatives G × K × P)."""
        prob, da, db = self.parts(psi)
        G, K = prob.shape
        d = np.zeros((G, K, self.n_theta + self.p))
        gi, ki = np.nonzero(self.upper >= 0)
        d[gi, ki, self.upper[gi, ki]] += da[gi, ki]
        gi, ki = np.nonzero(self.lower >= 0)
        d[gi, ki, self.lower[gi, ki]] -= db[gi, ki]
        d[:, :, self.n_theta :] = -(da - db)[:, :, None] * self.x[:, None, :]
        d[~self.valid] = 0.0
        return prob, d

    def score_info(self, psi):
        prob, d = self.dprob(psi)
        safe = np.where(self.valid, prob, 1.0)
        per_obs = d / safe[:, :, None]  # score of one answer in each cell
        score = (self.counts[:, :, None] * per_obs).sum(axis=(0, 1))
        n_group = self.counts.sum(axis=1)
        w = np.where(self.valid, n_group[:, None] / safe, 0.0)
        info = np.einsum("gk,gki,gkj->ij", w, d, d)
        return score, info, per_obs

    def fit(self, max_iter: int = 100, tol: float = 1e-9):
        psi = self.start()
        ll = self.loglike(psi)
        converged = False
        for _ in range(max_iter):
            score, info, _ = self.score_info(psi)
            step = np.linalg.lstsq(info, score, rcond=None)[0]
            t = 1.0
            while t > 1e-6:
                new = psi + t * step
                new_ll = self.loglike(new)
                if np.isfinite(new_ll) and new_ll >= ll - 1e-12:
                    break
                t /= 2
            else:
                break
            psi, done = new, np.max(np.abs(t * step)) < tol
            ll = new_ll
            if done:
                converged = True
                break
        return psi, ll, converged


@dataclass
class StackedFit:
    """The stacked proportional-odds fit: slopes, their cluster-robust and model-based
    covariances, the thresholds, the log-likelihood and whether Fisher scoring converged."""

    beta: pd.Series
    cov: pd.DataFrame
    cov_model: pd.DataFrame
    thresholds: np.ndarray
    loglike: float
    converged: bool

    def wald(self, columns: list[str]) -> tuple[float, int, float]:
        """Wald test that the slopes of `columns` are all zero: (statistic, df, p)."""
        if not columns:
            return (np.nan, 0, np.nan)
        b = self.beta[columns].to_numpy()
        v = self.cov.loc[columns, columns].to_numpy()
        stat = float(b @ np.linalg.pinv(v) @ b)
        return stat, len(columns), float(stats.chi2.sf(stat, len(columns)))


def fit_stacked(
    long: pd.DataFrame, exog: pd.DataFrame, weights: np.ndarray | None = None
) -> StackedFit:
    r"""Fit the stacked proportional-odds model with respondent-clustered standard errors.

    Parameters
    ----------
    long : pandas.DataFrame
        One row per answer: ``respondent`` (row position in `exog`), ``item`` (0..J−1),
        ``answer`` (0..levels−1 within the item).
    exog : pandas.DataFrame
        One row per respondent: the dummy columns of the predictors (no constant).
    weights : numpy.ndarray or None
        Frequency weight per row of `exog` (that many identical respondents; default 1).

    Returns
    -------
    StackedFit

    Notes
    -----
    :math:`\mathrm{logit}\,P(Y_{ij} \le k) = \theta_{jk} - x_i^\top\beta` for respondent
    :math:`i`, item :math:`j`. The covariance is the cluster-robust sandwich
    :math:`V = I^{-1} \left(\frac{G}{G-1}\sum_i s_i s_i^\top\right) I^{-1}`, :math:`I` the
    expected information, :math:`s_i` respondent :math:`i`'s score summed over their items,
    :math:`G` the respondents. The Wald statistic of a block :math:`\beta_B` is
    :math:`\hat\beta_B^\top V_{BB}^{-1}\hat\beta_B \sim \chi^2_{|B|}`.

    References
    ----------
    .. [1] McCullagh, P. (1980). Regression models for ordinal data. Journal of the Royal
       Statistical Society B, 42(2), 109-142.
    .. [2] Liang, K.-Y., & Zeger, S. L. (1986). Longitudinal data analysis using generalized
       linear models. Biometrika, 73(1), 13-22.
    .. [3] Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
       inference. Journal of Human Resources, 50(2), 317-372.
    """
    x = exog.to_numpy(dtype=float)
    patterns, pattern_of = unique_rows(x)  # the covariate patterns
    resp = long["respondent"].to_numpy()
    item = long["item"].to_numpy()
    answer = long["answer"].to_numpy()
    freq = np.ones(len(exog)) if weights is None else np.asarray(weights, dtype=float)
    J = int(item.max()) + 1
    levels = np.zeros(J, dtype=int)
    np.maximum.at(levels, item, answer + 1)
    # Cells (pattern × item) numbered in ascending order, as np.unique(return_inverse=True);
    # pandas hashes instead of sorting every answer.
    group, used = pd.factorize(pattern_of[resp] * J + item, sort=True)
    K = int(levels.max())
    # Frequency-weighted answers per cell in one compiled pass; bincount adds the weights in the
    # order of the answers, as np.add.at does, so the sums are the same to the bit.
    counts = np.bincount(group * K + answer, weights=freq[resp], minlength=len(used) * K)
    counts = counts.reshape(len(used), K)
    model = _StackedOrdinal(counts, used % J, levels, patterns[used // J])
    psi, loglike, converged = model.fit()
    _, info, per_obs = model.score_info(psi)
    members = sparse.csr_matrix(
        (np.ones(len(resp)), (resp, group * K + answer)), shape=(len(exog), counts.size)
    )
    s = members @ per_obs.reshape(counts.size, -1)
    # The respondents with an answer, ascending (np.unique without sorting every answer).
    answering = np.flatnonzero(np.bincount(resp, minlength=len(exog)))
    clusters = float(freq[answering].sum())
    s = s[answering]
    meat = s.T @ (s * freq[answering, None]) * clusters / max(clusters - 1, 1)
    bread = np.linalg.pinv(info)
    t = model.n_theta
    names = list(exog.columns)

    def frame(m):
        return pd.DataFrame(m[t:, t:], index=names, columns=names)

    return StackedFit(
        beta=pd.Series(psi[t:], index=names),
        cov=frame(bread @ meat @ bread),
        cov_model=frame(bread),
        thresholds=psi[:t],
        loglike=loglike,
        converged=converged,
    )


def scale_test(
    data: pd.DataFrame, items: list[str], group_var: str, covariates: list[str], references: dict
) -> dict:
    """Unadjusted and adjusted scale-level Wald tests of `group_var`, and the covariates' test.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent: predictor columns (named as the variables) and item scores.
    items : list of str
        The scale's items (answered values are ordered; NaN = not answered).
    group_var : str
        The group variable.
    covariates : list of str
        Adjustment variables.
    references : dict
        Predictor → reference level.

    Returns
    -------
    dict
        n and the statistics, df and p of the three tests (NaN when the model cannot be fitted:
        fewer than two groups or no item with two answer levels).
    """
    variables = [group_var, *covariates]
    row = {"n": 0}
    nan = (np.nan, np.nan, np.nan)
    tests = dict.fromkeys(("unadj", "adj", "cov"), nan)
    items = [i for i in items if i in data]
    scores = data[items].to_numpy(dtype=float)
    answered = ~np.isnan(scores).all(axis=1) if items else np.zeros(len(data), dtype=bool)
    sub = data[answered].reset_index(drop=True)
    scores = scores[answered]
    parts = []
    for column in scores.T:
        ok = ~np.isnan(column)
        # Answer codes 0..levels−1 in ascending order of the answers (pandas hashes; np.unique
        # and searchsorted sorted and searched every answer).
        answer, levels = pd.factorize(column[ok], sort=True)
        if len(levels) >= 2:
            parts.append((np.flatnonzero(ok), len(parts), answer))
    if not parts or sub[group_var].nunique() < 2:
        row.update({f"{k}_{m}": v for k, t in tests.items() for m, v in zip(STAT, t, strict=True)})
        return row
    long = pd.DataFrame(
        {
            "respondent": np.concatenate([p[0] for p in parts]),
            "item": np.concatenate([np.full(len(p[0]), p[1]) for p in parts]),
            "answer": np.concatenate([p[2] for p in parts]),
        }
    )
    row["n"] = int(long["respondent"].nunique())
    for model, vars_ in (("unadj", [group_var]), ("adj", variables)):
        if model == "adj" and not covariates:
            tests["adj"] = tests["unadj"]
            continue
        exog = design(sub, vars_, references)
        group_cols = [c for c in exog if c.startswith(f"{group_var}[")]
        wanted = {model: group_cols}
        if model == "adj":
            wanted["cov"] = [c for c in exog if c not in group_cols]
        fit = fit_stacked(long, exog)
        if not fit.converged:
            log.warning("scale model on %s did not converge (%s)", variables, model)
        tests.update({name: fit.wald(cols) for name, cols in wanted.items()})
    row.update({f"{k}_{m}": v for k, t in tests.items() for m, v in zip(STAT, t, strict=True)})
    return row


STAT = ("statistic", "df", "p")


def adjusted_scales(
    data: pd.DataFrame, settings: dict, gvs: list[GroupVar], *, min_cell: int
) -> pd.DataFrame:
    """The survey_adjusted_scales table: one scale-level test per scale, adjusted within the
    declared family.

    Parameters
    ----------
    data : pandas.DataFrame
        Respondent-level frame (``analyse.respondent_frame``): group columns and item scores.
    settings : dict
        The validated analysis settings (``scales``, ``adjusted_model``, ``multiplicity``).
    gvs : list of GroupVar
        The group variables.
    min_cell : int
        Levels below it are left out (:func:`keep_levels`).

    Returns
    -------
    pandas.DataFrame
        Columns ``ADJUSTED_SCALE_COLS``; ``unadj_p_adjusted`` and ``adj_p_adjusted`` adjusted
        within the family ``multiplicity.adjusted_scales``.
    """
    model = settings["adjusted_model"]
    group_var, covariates = model["group_var"], list(model.get("covariates", []))
    variables = [group_var, *covariates]
    references = {g.name: g.reference for g in gvs}
    columns = {f"group__{v}": v for v in variables}
    rows = []
    # The predictors stay categorical (analyse.respondent_frame): the dummies of each model are
    # then recoded from the categories instead of hashing every respondent's text.
    frame = data[list(columns)].rename(columns=columns)
    # Only the scales' item columns join them: a scale may carry a group variable's name (the
    # scale `trust` beside the health trust `trust`), and its score column is not needed here.
    items_used = {i for spec in settings["scales"].values() for i in spec["items"] if i in data}
    frame = frame.join(data[[c for c in data.columns if c in items_used]])
    for scale, spec in settings["scales"].items():
        items = [i for i in spec["items"] if i in data]
        sub = frame[[*variables, *items]].dropna(subset=variables)
        sub = sub[sub[items].notna().any(axis=1)]
        sub = keep_levels(sub, variables, gvs, min_cell)
        row = {"scale": scale, "group_var": group_var, "covariates": "+".join(covariates)}
        # The distinct levels only: text-converting every row (arrow-backed) took 0.9 s at 100×.
        if any(references[v] not in {str(x) for x in sub[v].unique()} for v in variables):
            log.warning("scale model for %s skipped: a reference group is below min_cell", scale)
            row.update({"n": 0})
            rows.append(row)
            continue
        rows.append({**row, **scale_test(sub, items, group_var, covariates, references)})
    table = pd.DataFrame(rows).reindex(columns=ADJUSTED_SCALE_COLS)
    family = settings.get("multiplicity", {}).get("adjusted_scales", DEFAULT_FAMILY)
    table = adjust(table, family, p_col="unadj_p", out_col="unadj_p_adjusted", method_col=None)
    table = adjust(table, family, p_col="adj_p", out_col="adj_p_adjusted")
    return table.reindex(columns=ADJUSTED_SCALE_COLS)
