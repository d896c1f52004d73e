"""Small-cell suppression: one rule for every table and figure.

Primary suppression: a row whose denominator is below `min_cell` loses its denominator and every
value computed from it (counts, percentages, means, intervals) and is marked `suppressed=True`.

Secondary (complementary) suppression: within each group of cells that add up to a visible total
(a margin row such as group == "all", or a row/column total of a cross-tab), a lone suppressed
cell could be recovered as total minus the visible cells. So within every group either nothing is
suppressed, or at least two cells are and their combined denominator is at least `min_cell`;
otherwise the next-smallest visible cell is suppressed too, repeating across all groups until
stable. When every cell of a group is suppressed the group carries no equation any more.

This is the classic "at least two cells, protected sum" heuristic used by statistics offices for
tabular data; sdcTable/tau-Argus (R/Java) offer optimal patterns but have no Python equivalent,
so the heuristic is written here. It protects against recovery from one total minus visible
cells; it does not audit multi-way linear (interval) attacks. See docs/privacy.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

SUPPRESSED = "suppressed"


def _protect(
    values: np.ndarray, suppressed: np.ndarray, groups: list[np.ndarray], min_cell: int
) -> np.ndarray:
    """Extend `suppressed` until each group (array of positions) is protected.

    A group is protected when it has no suppressed member, or >= 2 suppressed members whose
    values sum to >= min_cell, or all members suppressed. Cells with NaN values are never chosen
    as complements (they carry no information)."""
    suppressed = suppressed.copy()
    changed = True
    while changed:
        changed = False
        for members in groups:
            if len(members) == 0:
                continue
            while True:
                hidden = members[suppressed[members]]
                if len(hidden) == 0 or len(hidden) == len(members):
                    break
                exposed = np.nansum(values[hidden])
                if len(hidden) >= 2 and exposed >= min_cell:
                    break
                visible = members[~suppressed[members] & ~np.isnan(values[members])]
                if len(visible) == 0:
                    break
                # Smallest visible positive value first (a zero adds no protection); stable ties.
                positive = visible[values[visible] > 0]
                pool = positive if len(positive) else visible
                choice = pool[np.argsort(values[pool], kind="stable")[0]]
                suppressed[choice] = True
                changed = True
    return suppressed


def _nullable(series: pd.Series) -> pd.Series:
    """Give integer/bool columns a dtype that can hold NA (keeps counts as integers)."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype("boolean")
    if pd.api.types.is_integer_dtype(series):
        return series.astype("Int64")
    return series


def apply_small_cell_rule(
    df: pd.DataFrame,
    *,
    n_col: str,
    value_cols: Sequence[str],
    min_cell: int,
    secondary_by: Sequence[Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Suppress rows whose denominator `n_col` < `min_cell`, plus complements within groups.

    `value_cols`: every column derived from the row's respondents (counts, percentages, means,
    CI bounds, test statistics). `secondary_by`: list of column-name lists; rows sharing the
    values of one list form a group whose cells add up to a visible total (the total row may be
    inside the group, e.g. group == "all", or elsewhere in the table). Suppressed rows get NA in
    `n_col` and `value_cols` and `suppressed=True`; an existing `suppressed` column is kept (OR).
    Row order and all other columns are unchanged. Rows with a missing denominator are left as
    they are (nothing to disclose) and never chosen as complements.
    """
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    missing = [
        c
        for c in [n_col, *value_cols, *(c for g in (secondary_by or []) for c in g)]
        if c not in df.columns
    ]
    if missing:
        raise KeyError(f"columns not in the table: {missing}")
    out = df.copy()
    n = pd.to_numeric(out[n_col], errors="coerce").to_numpy(dtype=float)
    primary = ~np.isnan(n) & (n < min_cell)
    if SUPPRESSED in out.columns:
        primary |= out[SUPPRESSED].fillna(False).to_numpy(dtype=bool)
    groups: list[np.ndarray] = []
    for group_keys in secondary_by or []:
        keys = list(group_keys)
        if not keys:
            groups.append(np.arange(len(out)))
            continue
        grouped = out.reset_index(drop=True).groupby(keys, dropna=False, sort=False).indices
        groups.extend(np.sort(np.asarray(ix)) for ix in grouped.values())
    mask = _protect(n, primary, groups, min_cell)
    for col in dict.fromkeys([n_col, *value_cols]):
        out[col] = _nullable(out[col])
        if mask.any():
            out.loc[mask, col] = pd.NA if out[col].dtype != float else np.nan
    out[SUPPRESSED] = mask
    return out


def suppress_linked(
    df: pd.DataFrame,
    *,
    n_col: str,
    value_cols: Sequence[str],
    min_cell: int,
    groups: Sequence[Sequence[int]],
    suppress_zero: bool = False,
) -> pd.DataFrame:
    """Like `apply_small_cell_rule`, with the additive groups given as lists of row positions.

    For tables whose margins link rows of different variables (a region's row and the rows of
    its trusts; a row may sit in several groups), which column-value groups cannot express.
    A zero count discloses no one and stays visible unless `suppress_zero`."""
    out = df.reset_index(drop=True).copy()
    n = pd.to_numeric(out[n_col], errors="coerce").to_numpy(dtype=float)
    primary = ~np.isnan(n) & (n < min_cell) & ((n > 0) | suppress_zero)
    if SUPPRESSED in out.columns:
        primary |= out[SUPPRESSED].fillna(False).to_numpy(dtype=bool)
    mask = _protect(n, primary, [np.asarray(sorted(g), dtype=int) for g in groups], min_cell)
    for col in dict.fromkeys([n_col, *value_cols]):
        out[col] = _nullable(out[col])
        if mask.any():
            out.loc[mask, col] = pd.NA if out[col].dtype != float else np.nan
    out[SUPPRESSED] = mask
    return out


def suppress_crosstab(
    counts: pd.DataFrame,
    min_cell: int,
    *,
    margins: bool = True,
    margin_label: str = "all",
    suppress_zero: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Suppress a rows x columns count table (inner cells only in `counts`).

    Cells with 0 < count < min_cell are primary (zeros too when `suppress_zero`). With `margins`,
    row and column totals and the grand total (labelled `margin_label`) are appended; totals
    below min_cell are suppressed as well, and complements keep every row and column protected.
    Returns (table with NA in suppressed cells, boolean mask of the same shape)."""
    inner = counts.apply(pd.to_numeric, errors="raise").astype(float)
    table = inner.copy()
    if margins:
        table[margin_label] = inner.sum(axis=1)
        table.loc[margin_label] = table.sum(axis=0)
    values = table.to_numpy(dtype=float)
    primary = (values < min_cell) & ((values > 0) | suppress_zero)
    n_rows, n_cols = values.shape
    idx = np.arange(values.size).reshape(values.shape)
    # Each row (with its total) and each column (with its total) is one group.
    groups = [idx[r, :] for r in range(n_rows)] + [idx[:, c] for c in range(n_cols)]
    mask = _protect(values.ravel(), primary.ravel(), groups, min_cell).reshape(values.shape)
    result = table.astype("Int64") if np.all(np.mod(values, 1) == 0) else table
    result = result.mask(mask)
    return result, pd.DataFrame(mask, index=table.index, columns=table.columns)


def visible_groups(counts: Mapping[str, int], min_cell: int) -> list[str]:
    """Groups a figure may draw: those with at least `min_cell` members, in the given order."""
    return [g for g, n in counts.items() if n is not None and not pd.isna(n) and n >= min_cell]
