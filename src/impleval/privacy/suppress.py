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
from dataclasses import dataclass

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
    return _hide(out, mask, [n_col, *value_cols])


def _hide(out: pd.DataFrame, mask: np.ndarray, cols: list[str]) -> pd.DataFrame:
    """Blank the masked rows of `cols` (missing, keeping each column's type) and mark them."""
    for col in dict.fromkeys(cols):
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
    return _hide(out, mask, [n_col, *value_cols])


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


# --- Hierarchies and every printed margin (issue 16) ------------------------------------------
#
# A table printed by the pipeline is a set of cells of one multi-way table: each cell fixes some
# dimensions (region = north, role = nurse) and leaves the others at their margin ("all").
# A cell at the margin of dimension d equals the sum of the printed cells that split it by d.
# With a hierarchy (trust within region, site within trust), a trust's cell also lies inside its
# region, so "region R" is the sum of "trust T" over R's trusts even when the table prints the
# two breakdowns as separate rows. `additive_groups` finds every such relation; `protect` hides
# complements until no hidden cell can be pinned down from the printed cells: first the
# two-cells-per-group heuristic, then an audit that solves the linear system of printed totals
# (min and max of every hidden cell over the non-negative solutions, scipy's HiGHS LP) and hides
# more until every hidden cell's feasible interval is at least `min_cell` wide.

ALL = "all"
Hierarchy = Mapping[str, tuple[str, Mapping[str, str]]]  # child → (parent, child lvl → parent lvl)


@dataclass(frozen=True)
class Margin:
    """Row positions of an additive relation: the cell `total` is the sum of the cells `parts`."""

    total: int
    parts: tuple[int, ...]

    @property
    def members(self) -> tuple[int, ...]:
        return (self.total, *self.parts)


def nesting(df: pd.DataFrame, variables: Sequence[str]) -> dict[str, tuple[str, dict[str, str]]]:
    """The hierarchy among `variables` found in the data: a variable is nested in another when
    each of its levels occurs with exactly one level of the other (trust → region, site →
    trust), also one to one (one trust per region). Each child gets its closest parent (the
    candidate with the most levels)."""
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for child in variables:
        candidates = []
        for parent in variables:
            if parent == child:
                continue
            pairs = df[[child, parent]].dropna().astype(str).drop_duplicates()
            pairs = pairs[(pairs[child] != "") & (pairs[parent] != "")]
            n_child, n_parent = pairs[child].nunique(), pairs[parent].nunique()
            # One level of the other per level (child unique), fewer levels, or as many and one
            # to one (one trust per region: equal cells): then the later variable is the child,
            # so that the relation is recorded once and the hierarchy has no cycle.
            one_to_one = n_parent == n_child and pairs[parent].is_unique
            later = list(variables).index(parent) < list(variables).index(child)
            if (
                len(pairs)
                and pairs[child].is_unique
                and (n_parent < n_child or (one_to_one and later))
            ):
                candidates.append(
                    (n_parent, parent, dict(zip(pairs[child], pairs[parent], strict=True)))
                )
        if candidates:
            _, parent, mapping = max(candidates, key=lambda c: c[0])
            out[child] = (parent, mapping)
    return out


def breakdown_cells(
    df: pd.DataFrame, *, variable: str, level: str, variables: Sequence[str], total: str = ALL
) -> pd.DataFrame:
    """Cells of a table printed as breakdowns (`variable` = region, `level` = north; the variable's
    total has `level` == total): one column per variable, `total` where a row does not fix it."""
    cells = pd.DataFrame(total, index=range(len(df)), columns=list(variables))
    var = df[variable].astype(str).to_numpy()
    lvl = df[level].astype(str).to_numpy()
    unknown = sorted(set(var) - set(variables))
    if unknown:
        raise KeyError(f"breakdown variables not declared: {unknown}")
    for i, (v, lv) in enumerate(zip(var, lvl, strict=True)):
        if lv != total:
            cells.iat[i, cells.columns.get_loc(v)] = lv
    return cells


def additive_groups(
    cells: pd.DataFrame,
    dims: Sequence[str],
    *,
    within: pd.Series | pd.DataFrame | None = None,
    hierarchy: Hierarchy | None = None,
    total: str = ALL,
) -> list[Margin]:
    """Every additive relation among the printed cells (rows of `cells`, one column per dimension
    with `total` at the margin). `within`: key(s) of independent tables in the same frame (the
    outcome, the code). `hierarchy`: child dimension → (parent dimension, child level → parent
    level). Cells printed twice (the grand total under each breakdown) are linked as equal."""
    hierarchy = dict(hierarchy or {})
    dims = list(dims)
    canon = cells[dims].astype(str).reset_index(drop=True).copy()
    for _ in range(len(hierarchy)):  # fill implied parents, through chains (site → trust → region)
        for child, (parent, mapping) in hierarchy.items():
            implied = canon[child].map(lambda v, m=mapping: m.get(v, total))
            fill = (canon[child] != total) & (canon[parent] == total) & (implied != total)
            canon.loc[fill, parent] = implied[fill]
    ancestors: dict[str, set[str]] = {}
    for d in dims:
        seen, node = set(), d
        while node in hierarchy and hierarchy[node][0] not in seen:
            node = hierarchy[node][0]
            seen.add(node)
        ancestors[d] = seen
    if within is None:
        keys = np.zeros(len(canon), dtype=int)
    else:
        frame = within.to_frame() if isinstance(within, pd.Series) else within
        keys = pd.MultiIndex.from_frame(frame.reset_index(drop=True).astype(str)).codes
        keys = np.ravel_multi_index(keys, [max(c.max() + 1, 1) for c in keys]) if len(canon) else []
    rows = [tuple(r) for r in canon.itertuples(index=False)]
    members: dict = {}
    for p, key in enumerate(keys):
        members.setdefault(key, []).append(p)
    margins: list[Margin] = []
    for table_rows in members.values():
        by_cell: dict[tuple, list[int]] = {}
        for p in table_rows:
            by_cell.setdefault(rows[p], []).append(int(p))
        for same in by_cell.values():  # the same cell printed twice: equal
            margins += [Margin(same[0], (other,)) for other in same[1:]]
        for k, d in enumerate(dims):
            # Each cell that fixes d is a part of the cells equal to it on the other dimensions,
            # where the ancestors of d may also be at their margin.
            others = [e for e in range(len(dims)) if e != k]
            relax = [e for e in others if dims[e] in ancestors[d]]
            parts: dict[tuple, list[int]] = {}
            for cell, positions in by_cell.items():
                if cell[k] == total:
                    continue
                for mask in range(2 ** len(relax)):
                    key_cell = list(cell)
                    for b, e in enumerate(relax):
                        if mask >> b & 1:
                            key_cell[e] = total
                    parts.setdefault(tuple(key_cell[e] for e in others), []).append(positions[0])
            for cell, positions in by_cell.items():
                if cell[k] != total:
                    continue
                found = parts.get(tuple(cell[e] for e in others))
                if found:
                    margins.append(Margin(positions[0], tuple(sorted(set(found)))))
    return margins


def _intervals(
    values: np.ndarray, hidden: np.ndarray, margins: Sequence[Margin], cells: Sequence[int]
) -> dict[int, tuple[float, float]]:
    """[min, max] of each hidden cell in `cells` over the non-negative solutions of the printed
    relations. A relation that holds exactly in the data is an equation; one whose total exceeds
    its parts (incomplete data, e.g. a missing trust) only says total >= sum of parts."""
    from scipy.optimize import linprog

    index = {int(h): i for i, h in enumerate(np.flatnonzero(hidden))}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for m in margins:
        members = m.members
        if not any(hidden[p] for p in members):
            continue
        if np.isnan(values[list(members)]).any():
            continue  # a cell without a value carries no equation
        residual = values[m.total] - values[list(m.parts)].sum()
        row = np.zeros(len(index))
        rhs = 0.0
        for p, sign in [(m.total, 1.0), *((q, -1.0) for q in m.parts)]:
            if hidden[p]:
                row[index[p]] += sign
            else:
                rhs -= sign * values[p]
        if abs(residual) < 1e-9:
            a_eq.append(row)
            b_eq.append(rhs)
        elif residual > 0:  # -(total - parts) <= -rhs
            a_ub.append(-row)
            b_ub.append(-rhs)
    out = {}
    for h in cells:
        c = np.zeros(len(index))
        c[index[h]] = 1.0
        bounds = []
        for sign in (1.0, -1.0):
            res = linprog(
                sign * c,
                A_eq=np.array(a_eq) if a_eq else None,
                b_eq=np.array(b_eq) if b_eq else None,
                A_ub=np.array(a_ub) if a_ub else None,
                b_ub=np.array(b_ub) if b_ub else None,
                bounds=(0, None),
                method="highs",
            )
            if res.status == 3:  # unbounded (only the maximum can be: cells are >= 0)
                bounds.append(np.inf)
            elif res.status == 0:
                bounds.append(sign * res.fun)
            else:  # infeasible or failed: no usable bound from the printed cells
                bounds.append(-np.inf if sign > 0 else np.inf)
        out[h] = (bounds[0], bounds[1])
    return out


def _components(hidden: np.ndarray, margins: Sequence[Margin]) -> list[list[Margin]]:
    """The relations touching hidden cells, split into groups that share no hidden cell (each
    group is an independent linear system)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    touching = [m for m in margins if any(hidden[p] for p in m.members)]
    for m in touching:
        cells = [p for p in m.members if hidden[p]]
        for other in cells[1:]:
            parent[find(other)] = find(cells[0])
    groups: dict[int, list[Margin]] = {}
    for m in touching:
        first = next(p for p in m.members if hidden[p])
        groups.setdefault(find(first), []).append(m)
    return list(groups.values())


def exposed_cells(
    values: np.ndarray, hidden: np.ndarray, margins: Sequence[Margin], min_cell: int
) -> list[int]:
    """Hidden cells that the printed cells pin down to an interval narrower than `min_cell`.

    Each independent system is solved once per distinct shape and values (the same breakdown
    repeated for every code or outcome is audited once)."""
    values = np.asarray(values, dtype=float)
    hidden = np.asarray(hidden, dtype=bool)
    exposed: list[int] = []
    cache: dict = {}
    for group in _components(hidden, margins):
        order = sorted({p for m in group for p in m.members})
        rel = {p: i for i, p in enumerate(order)}
        local = [Margin(rel[m.total], tuple(rel[q] for q in m.parts)) for m in group]
        sub_values, sub_hidden = values[order], hidden[order]
        key = (
            tuple((m.total, m.parts) for m in local),
            tuple(np.nan_to_num(sub_values, nan=-1.0)),
            tuple(sub_hidden),
        )
        if key not in cache:
            cells = [i for i in np.flatnonzero(sub_hidden) if not np.isnan(sub_values[i])]
            intervals = _intervals(sub_values, sub_hidden, local, cells) if cells else {}
            cache[key] = [i for i, (lo, hi) in intervals.items() if hi - lo < min_cell - 1e-9]
        exposed += [order[i] for i in cache[key]]
    return sorted(exposed)


def protect(
    values,
    primary,
    margins: Sequence[Margin],
    min_cell: int,
    *,
    audit: bool = True,
) -> np.ndarray:
    """Hidden cells: `primary` plus complements so that no hidden cell is recoverable from the
    printed relations (`margins`): the heuristic of `_protect`, then (with `audit`) the linear-
    programming audit, hiding the smallest visible cell related to an exposed cell until none
    is exposed."""
    values = np.asarray(values, dtype=float)
    groups = [np.asarray(sorted(m.members), dtype=int) for m in margins]
    hidden = _protect(values, np.asarray(primary, dtype=bool), groups, min_cell)
    while audit:
        exposed = exposed_cells(values, hidden, margins, min_cell)
        if not exposed:
            break
        choice = None
        for h in exposed:
            pool = sorted(
                {
                    p
                    for m in margins
                    if h in m.members
                    for p in m.members
                    if not hidden[p] and not np.isnan(values[p])
                },
                key=lambda p: (values[p] <= 0, values[p], p),
            )
            if pool:
                choice = pool[0]
                break
        if choice is None:
            break  # nothing left to hide around the exposed cells
        hidden[choice] = True
        hidden = _protect(values, hidden, groups, min_cell)
    return hidden


def suppress_table(
    df: pd.DataFrame,
    *,
    n_col: str,
    value_cols: Sequence[str],
    min_cell: int,
    margins: Sequence[Margin],
    suppress_zero: bool = True,
    audit: bool = True,
) -> pd.DataFrame:
    """`df` with small cells and their complements hidden across every relation in `margins`
    (from `additive_groups`): NA in `n_col` and `value_cols`, `suppressed=True`. Rows already
    marked `suppressed` stay hidden. Zero counts are primary unless `suppress_zero` is False."""
    out = df.reset_index(drop=True).copy()
    n = pd.to_numeric(out[n_col], errors="coerce").to_numpy(dtype=float)
    primary = ~np.isnan(n) & (n < min_cell) & ((n > 0) | suppress_zero)
    if SUPPRESSED in out.columns:
        primary |= out[SUPPRESSED].fillna(False).to_numpy(dtype=bool)
    mask = protect(n, primary, margins, min_cell, audit=audit)
    return _hide(out, mask, [n_col, *value_cols])


def crossing_cells(
    df: pd.DataFrame,
    dims: Sequence[str],
    *,
    variable: str = "variable",
    level: str = "level",
    by: str = "by",
    by_level: str = "by_level",
    total: str = ALL,
) -> pd.DataFrame:
    """Cells of a table printed as one-way counts and crossings (`variable` = role, `level` =
    nurse, `by` = region, `by_level` = north; `total` where a row does not fix one): one
    column per dimension, for `additive_groups`."""
    cells = pd.DataFrame(total, index=range(len(df)), columns=list(dims))
    cols = {c: df[c].astype(str).to_numpy() for c in (variable, level, by, by_level)}
    for i in range(len(df)):
        for var_col, lvl_col in ((variable, level), (by, by_level)):
            v, lv = cols[var_col][i], cols[lvl_col][i]
            if total not in (v, lv):
                cells.iat[i, cells.columns.get_loc(v)] = lv
    return cells
