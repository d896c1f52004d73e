"""Item scores in wide form and scale scores (mean of answered items, minimum answered share)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def wide_tables(responses: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Respondent × item scores and non-substantive flags (:func:`wide_scores`,
    :func:`wide_not_substantive`), coding the respondent and item columns once for both.

    ``DataFrame.pivot`` builds a MultiIndex of every (respondent, item) pair, seconds for a few
    million answers; coding both columns once (categoricals, sorted) and placing the values by
    their codes gives the same tables (tests/unit/test_survey_speed.py): rows and columns sorted,
    a repeated (respondent, item) pair refused as ``pivot`` refuses it.

    Parameters
    ----------
    responses : pandas.DataFrame
        The canonical long responses table.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Float scores (NaN where no substantive answer) and boolean flags, same index and columns.
    """
    people = pd.Categorical(responses["respondent_id"])
    items = pd.Categorical(responses["item"])
    shape = (len(people.categories), len(items.categories))
    cell = people.codes.astype(np.int64) * shape[1] + items.codes
    if len(cell) and np.bincount(cell, minlength=shape[0] * shape[1]).max() > 1:
        raise ValueError("Index contains duplicate entries, cannot reshape")
    index = pd.Index(people.categories, name="respondent_id")
    columns = list(items.categories)
    scores = np.full(shape, np.nan)
    scores[people.codes, items.codes] = responses["score"].to_numpy(dtype=float, na_value=np.nan)
    flag = responses["not_relevant"].astype(bool) | responses["dont_know"].astype(bool)
    flags = np.zeros(shape, dtype=bool)
    flags[people.codes, items.codes] = flag.to_numpy(dtype=bool)
    return (
        pd.DataFrame(scores, index=index, columns=columns),
        pd.DataFrame(flags, index=index, columns=columns),
    )


def wide_scores(responses: pd.DataFrame) -> pd.DataFrame:
    """Respondent × item matrix of item scores.

    Parameters
    ----------
    responses : pandas.DataFrame
        The canonical long responses table (``respondent_id``, ``item``, ``score``, ...).

    Returns
    -------
    pandas.DataFrame
        One row per respondent, one float column per item; NaN where the answer was "not
        relevant", "don't know" or skipped.
    """
    return wide_tables(responses)[0]


def wide_not_substantive(responses: pd.DataFrame) -> pd.DataFrame:
    """Respondent × item flags of non-substantive answers.

    Parameters
    ----------
    responses : pandas.DataFrame
        The canonical long responses table with boolean ``not_relevant`` and ``dont_know``.

    Returns
    -------
    pandas.DataFrame
        Booleans, True where the answer was "not relevant" or "don't know".
    """
    return wide_tables(responses)[1]


def scale_scores(wide: pd.DataFrame, scales: dict, min_share: float) -> pd.DataFrame:
    r"""Scale scores: the mean of each respondent's answered items of the scale.

    Parameters
    ----------
    wide : pandas.DataFrame
        Respondent × item scores (:func:`wide_scores`).
    scales : dict
        Scale id → ``{"items": [...]}`` (survey-analysis.yaml → scales).
    min_share : float
        Minimum share of a scale's items answered for a score (e.g. 2/3).

    Returns
    -------
    pandas.DataFrame
        One float column per scale; NaN where fewer than ``ceil(min_share * k)`` of the k items
        were answered.

    Notes
    -----
    For respondent :math:`i` with answered items :math:`A_i \subseteq \{1..k\}`,
    :math:`s_i = \frac{1}{|A_i|}\sum_{j \in A_i} x_{ij}` when :math:`|A_i| \ge \lceil m k \rceil`
    (:math:`m` = `min_share`, with a tolerance of 1e-3 so that 0.6667 admits 2 of 3 items):
    person-mean imputation of the missing items, the usual scoring of NoMAD-type scales.

    References
    ----------
    .. [1] Finch, T. L., Girling, M., May, C. R., et al. (2018). Improving the normalization of
       complex interventions: part 2 - validation of the NoMAD instrument. BMC Medical Research
       Methodology, 18, 135. https://doi.org/10.1186/s12874-018-0591-x
    """
    out = {}
    for name, scale in scales.items():
        block = wide[scale["items"]].to_numpy(dtype=float)
        answered = np.isfinite(block).sum(axis=1)
        with np.errstate(invalid="ignore"):
            mean = np.nanmean(np.where(answered[:, None] > 0, block, 0.0), axis=1)
        # Tolerance so that 2/3 written as 0.6667 in config still admits 2 of 3 answered items.
        enough = answered >= np.ceil(min_share * len(scale["items"]) - 1e-3)
        out[name] = np.where(enough & (answered > 0), mean, np.nan)
    return pd.DataFrame(out, index=wide.index)
