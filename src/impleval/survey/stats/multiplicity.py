"""Multiplicity adjustment within families declared in config (never chosen after the results)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment. Same values as multipletests(method="holm") (tested), written
    out because statsmodels' holm branch calls gc.collect() on every call: about 0.3 s each with
    the statistics stack loaded, i.e. minutes over hundreds of per-item families."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p, kind="stable")
    m = len(p)
    stepped = np.maximum.accumulate(p[order] * (m - np.arange(m)))
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out


def _adjusted(p: np.ndarray, method: str) -> np.ndarray:
    return holm(p) if method == "holm" else multipletests(p, method=method)[1]


def adjust(df: pd.DataFrame, family: dict, *, p_col: str = "p_value",
           out_col: str = "p_adjusted", method_col: str | None = "adjust_method") -> pd.DataFrame:
    """Adjust `p_col` within each family (rows sharing the `within` columns); NaN p stay NaN."""
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
    family_id = (df.groupby(keys, sort=False, dropna=False).ngroup() if keys
                 else pd.Series(0, index=df.index))
    for _, index in family_id.groupby(family_id).groups.items():
        p = df.loc[index, p_col].astype(float)
        ok = p.notna()
        if ok.any():
            df.loc[p[ok].index, out_col] = _adjusted(p[ok].to_numpy(), method)
    return df
