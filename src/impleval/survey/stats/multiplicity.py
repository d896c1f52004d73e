"""Multiplicity adjustment within families declared in config (never chosen after the results)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests


def holm(p: np.ndarray) -> np.ndarray:
    r"""Holm's step-down adjusted p-values.

    Same values as ``statsmodels.stats.multitest.multipletests(method="holm")`` (tested), written
    out because statsmodels' holm branch calls ``gc.collect()`` on every call: about 0.3 s each
    with the statistics stack loaded, i.e. minutes over hundreds of per-item families.

    Parameters
    ----------
    p : numpy.ndarray
        Unadjusted p-values of one family (no NaN).

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, in the input order.

    Notes
    -----
    With :math:`p_{(1)} \le \dots \le p_{(m)}`,
    :math:`\tilde p_{(i)} = \min\left(1, \max_{j \le i} (m - j + 1)\, p_{(j)}\right)`.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       Scandinavian Journal of Statistics, 6(2), 65-70.
    """
    p = np.asarray(p, dtype=float)
    order = np.argsort(p, kind="stable")
    m = len(p)
    stepped = np.maximum.accumulate(p[order] * (m - np.arange(m)))
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out


def _adjusted(p: np.ndarray, method: str) -> np.ndarray:
    return holm(p) if method == "holm" else multipletests(p, method=method)[1]


def adjust(
    df: pd.DataFrame,
    family: dict,
    *,
    p_col: str = "p_value",
    out_col: str = "p_adjusted",
    method_col: str | None = "adjust_method",
) -> pd.DataFrame:
    """Adjust p-values within the families declared in config (never chosen after the results).

    Parameters
    ----------
    df : pandas.DataFrame
        One row per test.
    family : dict
        ``{"method": ..., "within": [columns]}``: a statsmodels ``multipletests`` method (or
        ``"none"``); rows sharing the values of the ``within`` columns form one family.
    p_col, out_col : str
        Column of the unadjusted p-values, and of the adjusted ones (added).
    method_col : str or None
        Column recording the method (added), or None.

    Returns
    -------
    pandas.DataFrame
        A copy of `df` with `out_col` (NaN where `p_col` is NaN) and `method_col`.

    References
    ----------
    .. [1] Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a practical
       and powerful approach to multiple testing. Journal of the Royal Statistical Society B,
       57(1), 289-300.
    .. [2] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       Scandinavian Journal of Statistics, 6(2), 65-70.
    """
    df = df.copy()
    method = family["method"]
    df[out_col] = np.nan
    if method_col:
        df[method_col] = method
    if df.empty:
        return df
    if method == "none":
        df[out_col] = df[p_col]
        return df
    keys = family.get("within") or []
    family_id = (
        df.groupby(keys, sort=False, dropna=False).ngroup()
        if keys
        else pd.Series(0, index=df.index)
    )
    for _, index in family_id.groupby(family_id).groups.items():
        p = df.loc[index, p_col].astype(float)
        ok = p.notna()
        if ok.any():
            df.loc[p[ok].index, out_col] = _adjusted(p[ok].to_numpy(), method)
    return df
