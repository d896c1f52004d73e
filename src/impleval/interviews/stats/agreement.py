"""Inter-coder agreement per code on the double-coded interviews.

Unit: an interview coded by both configured coders; each either applied the code in it or not.
Per code: prevalence, percent agreement, Cohen's κ with its asymptotic CI (statsmodels), PABAK
(κ's prevalence paradox makes rare codes look unreliable, so PABAK and prevalence stand beside it)
and Krippendorff's α (nominal, `krippendorff`) with a percentile bootstrap CI over units.
A pooled row (code "all") treats every code × interview as a unit.
"""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.stats.inter_rater import cohens_kappa

AGREEMENT_COLUMNS = [
    "code",
    "theme",
    "unit",
    "n_units",
    "prevalence",
    "pct_agreement",
    "kappa",
    "kappa_ci_low",
    "kappa_ci_high",
    "pabak",
    "krippendorff_alpha",
    "alpha_ci_low",
    "alpha_ci_high",
    "kappa_flag",
    "alpha_flag",
]


def double_coded_ids(
    segments: pd.DataFrame, documents: pd.DataFrame, coders: tuple[str, str]
) -> pd.Series:
    """Interview ids (documents order) in which each of the two coders applied at least one code:
    the agreement units, and what every count of double-coded interviews counts."""
    by_both = set.intersection(
        *(set(segments.loc[segments["coder"] == c, "interview_id"]) for c in coders)
    )
    return documents.loc[
        documents["double_coded"].astype(bool) & documents["interview_id"].isin(by_both),
        "interview_id",
    ]


def double_coded_presence(
    segments: pd.DataFrame, documents: pd.DataFrame, codes: list[str], coders: tuple[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two interview × code 0/1 tables (one per coder) over the interviews both coders coded.

    The units are the interviews in which each of the two configured coders applied at least one
    code: ``documents.double_coded`` only says that some two coders did, so an interview coded by
    the primary and a third coder would otherwise enter as an all-zero unit for the second coder
    and count as agreement on "not applied".

    Parameters
    ----------
    segments, documents : pandas.DataFrame
        The canonical interview tables.
    codes : list of str
        Code paths (columns of the result, in this order).
    coders : (str, str)
        The primary and the second coder.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Presence tables of the first and the second coder, same index and columns.
    """
    ids = double_coded_ids(segments, documents, coders)
    out = []
    for coder in coders:
        s = segments[(segments["coder"] == coder) & segments["interview_id"].isin(ids)]
        hit = s.drop_duplicates(["interview_id", "code_path"]).assign(_one=1)
        wide = hit.pivot_table(
            index="interview_id", columns="code_path", values="_one", aggfunc="max", fill_value=0
        )
        out.append(wide.reindex(index=ids.to_numpy(), columns=codes, fill_value=0).astype(int))
    return out[0], out[1]


def _kappa(a: np.ndarray, b: np.ndarray, level: float) -> tuple[float, float, float]:
    table = np.array(
        [
            [np.sum((a == 1) & (b == 1)), np.sum((a == 1) & (b == 0))],
            [np.sum((a == 0) & (b == 1)), np.sum((a == 0) & (b == 0))],
        ],
        dtype=float,
    )
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # all-one-category tables: κ undefined, reported as NaN
        res = cohens_kappa(table)
    kappa = float(res.kappa)
    if not math.isfinite(kappa):
        return math.nan, math.nan, math.nan
    # statsmodels' own interval is fixed at 95 %; rebuild it for the configured level from its SE.
    z = float(norm.ppf(0.5 + level / 2))
    se = float(res.std_kappa)
    # κ is bounded by 1: the Wald interval is clipped to [-1, 1].
    return kappa, max(-1.0, kappa - z * se), min(1.0, kappa + z * se)


def _alpha(a: np.ndarray, b: np.ndarray) -> float:
    data = np.vstack([a, b]).astype(float)
    if len(np.unique(data)) < 2:  # one value only: α is undefined (no variation to agree on)
        return math.nan
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def alpha_binary(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    r"""Krippendorff's nominal alpha for two coders, binary values, no missing; one alpha per row.

    Written by hand only for the bootstrap (thousands of resamples); ``krippendorff.alpha`` gives
    the point estimate and a unit test checks that the two agree.

    Parameters
    ----------
    a, b : numpy.ndarray
        (resamples × units) 0/1 codings of the two coders.

    Returns
    -------
    numpy.ndarray
        Alpha per row (NaN where every value is the same).

    Notes
    -----
    With :math:`n = 2 \cdot` units pairable values, :math:`n_0, n_1` the value totals and
    :math:`d` the disagreeing units, :math:`\alpha = 1 - (n - 1)\, 2d / (2 n_0 n_1)`.

    References
    ----------
    .. [1] Krippendorff, K. (2019). Content Analysis: An Introduction to Its Methodology (4th ed.).
       SAGE.
    """
    a = np.atleast_2d(a).astype(float)
    b = np.atleast_2d(b).astype(float)
    n = 2 * a.shape[1]
    n1 = a.sum(axis=1) + b.sum(axis=1)
    n0 = n - n1
    d = (a != b).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1 - (n - 1) * d / (n0 * n1)
    return np.where((n0 > 0) & (n1 > 0), alpha, np.nan)


def _alpha_boot(
    a: np.ndarray, b: np.ndarray, n_boot: int, level: float, rng: np.random.Generator
) -> tuple[float, float]:
    """Percentile bootstrap over units (rows of a/b: interviews; all codes of a unit together)."""
    a = a.reshape(len(a), -1)
    b = b.reshape(len(b), -1)
    n = len(a)
    if n_boot <= 0 or n < 2:
        return math.nan, math.nan
    idx = rng.integers(0, n, size=(n_boot, n))
    values = alpha_binary(a[idx].reshape(n_boot, -1), b[idx].reshape(n_boot, -1))
    values = values[np.isfinite(values)]
    if len(values) < 0.5 * n_boot:  # mostly degenerate resamples: no honest interval
        return math.nan, math.nan
    lo, hi = np.quantile(values, [(1 - level) / 2, 1 - (1 - level) / 2])
    return float(lo), float(hi)


def agreement_row(
    a: np.ndarray, b: np.ndarray, *, level: float, n_boot: int, rng: np.random.Generator
) -> dict:
    r"""Agreement of two coders on binary codings.

    Parameters
    ----------
    a, b : numpy.ndarray
        Units (× codes for the pooled row) of 0/1, one array per coder.
    level : float
        Confidence level.
    n_boot : int
        Bootstrap resamples of units for alpha's interval.
    rng : numpy.random.Generator
        Random stream of this code.

    Returns
    -------
    dict
        n_units, prevalence, pct_agreement, kappa with its asymptotic CI (statsmodels
        ``cohens_kappa``), PABAK, Krippendorff's alpha with its percentile bootstrap CI.

    Notes
    -----
    :math:`\kappa = (p_o - p_e)/(1 - p_e)`; PABAK :math:`= 2 p_o - 1`, reported beside κ because
    κ's prevalence paradox makes rare codes look unreliable.

    References
    ----------
    .. [1] Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
       Psychological Measurement, 20(1), 37-46.
    .. [2] Byrt, T., Bishop, J., & Carlin, J. B. (1993). Bias, prevalence and kappa. Journal of
       Clinical Epidemiology, 46(5), 423-429.
    .. [3] Krippendorff, K. (2019). Content Analysis: An Introduction to Its Methodology (4th ed.).
       SAGE.
    """
    boot_a, boot_b = a, b
    a, b = a.ravel(), b.ravel()
    n = len(a)
    po = float(np.mean(a == b)) if n else math.nan
    kappa, lo, hi = _kappa(a, b, level) if n else (math.nan,) * 3
    alpha = _alpha(a, b) if n else math.nan
    alo, ahi = (
        _alpha_boot(boot_a, boot_b, n_boot, level, rng) if math.isfinite(alpha) else (math.nan,) * 2
    )
    return {
        "n_units": n,
        "prevalence": float((a.mean() + b.mean()) / 2) if n else math.nan,
        "pct_agreement": po,
        "kappa": kappa,
        "kappa_ci_low": lo,
        "kappa_ci_high": hi,
        "pabak": 2 * po - 1 if n else math.nan,
        "krippendorff_alpha": alpha,
        "alpha_ci_low": alo,
        "alpha_ci_high": ahi,
    }


def kappa_flag(kappa: float, target: float) -> str:
    """Flag of Cohen's κ against the configured target.

    Returns
    -------
    str
        "meets_target", "below_target", or "undefined" for a NaN κ.
    """
    if not math.isfinite(kappa):
        return "undefined"
    return "meets_target" if kappa >= target else "below_target"


def alpha_flag(alpha: float, reliable: float, tentative: float) -> str:
    """Flag of Krippendorff's α against the configured bounds.

    Krippendorff's recommendation: rely on variables with α ≥ 0.800, draw tentative conclusions
    from α ≥ 0.667.

    Returns
    -------
    str
        "reliable", "tentative", "unreliable", or "undefined" for a NaN α.
    """
    if not math.isfinite(alpha):
        return "undefined"
    return "reliable" if alpha >= reliable else "tentative" if alpha >= tentative else "unreliable"


def intercoder_agreement(
    first: pd.DataFrame,
    second: pd.DataFrame,
    code_theme: dict,
    *,
    unit: str = "interview",
    level: float = 0.95,
    n_boot: int = 1000,
    seed: int = 0,
    kappa_target: float = 0.80,
    alpha_reliable: float = 0.80,
    alpha_tentative: float = 0.667,
) -> pd.DataFrame:
    """Agreement per code on the double-coded interviews, then a pooled row with code "all".

    Parameters
    ----------
    first, second : pandas.DataFrame
        Interview × code presence of the two coders (:func:`double_coded_presence`).
    code_theme : dict
        Code path → theme.
    unit : str
        The agreement unit recorded in the table (config: agreement.unit).
    level : float
        Confidence level.
    n_boot : int
        Bootstrap resamples for alpha's interval.
    seed : int
        Seed; one stream per code.
    kappa_target, alpha_reliable, alpha_tentative : float
        Thresholds of the flags (:func:`kappa_flag`, :func:`alpha_flag`).

    Returns
    -------
    pandas.DataFrame
        The intercoder_agreement table (columns ``AGREEMENT_COLUMNS``); the pooled row treats every
        code × interview as a unit.

    References
    ----------
    .. [1] O'Connor, C., & Joffe, H. (2020). Intercoder reliability in qualitative research:
       debates and practical guidelines. International Journal of Qualitative Methods, 19.
    .. [2] Krippendorff, K. (2019). Content Analysis: An Introduction to Its Methodology (4th ed.).
       SAGE.
    """
    rows = []
    for i, code in enumerate(first.columns):
        # A generator per code (seed + position): a code's CI does not depend on the other codes.
        rng = np.random.default_rng([seed, i])
        rows.append(
            {
                "code": code,
                "theme": code_theme.get(code, ""),
                "unit": unit,
                **agreement_row(
                    first[code].to_numpy(),
                    second[code].to_numpy(),
                    level=level,
                    n_boot=n_boot,
                    rng=rng,
                ),
            }
        )
    # Pooled: every code × interview is a rating; the bootstrap resamples whole interviews.
    rows.append(
        {
            "code": "all",
            "theme": "all",
            "unit": f"{unit}_x_code",
            **agreement_row(
                first.to_numpy(),
                second.to_numpy(),
                level=level,
                n_boot=n_boot,
                rng=np.random.default_rng([seed, len(first.columns)]),
            ),
        }
    )
    out = pd.DataFrame(rows)
    out["kappa_flag"] = [kappa_flag(k, kappa_target) for k in out["kappa"]]
    out["alpha_flag"] = [
        alpha_flag(a, alpha_reliable, alpha_tentative) for a in out["krippendorff_alpha"]
    ]
    return out[AGREEMENT_COLUMNS]
