"""Item scores in wide form and scale scores (mean of answered items, minimum answered share)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def wide_scores(responses: pd.DataFrame) -> pd.DataFrame:
    """respondent × item matrix of scores (NaN = not relevant, don't know or skipped)."""
    wide = responses.pivot(index="respondent_id", columns="item", values="score")
    wide.columns.name = None
    return wide.astype(float)


def wide_not_substantive(responses: pd.DataFrame) -> pd.DataFrame:
    """respondent × item: True where the answer was "not relevant" or "don't know"."""
    flag = responses["not_relevant"].astype(bool) | responses["dont_know"].astype(bool)
    wide = responses.assign(_flag=flag).pivot(index="respondent_id", columns="item", values="_flag")
    wide.columns.name = None
    return wide.fillna(False).astype(bool)


def scale_scores(wide: pd.DataFrame, scales: dict, min_share: float) -> pd.DataFrame:
    """Mean of each person's answered items, NaN where fewer than `min_share` were answered."""
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
