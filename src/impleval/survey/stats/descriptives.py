"""Descriptives of items and scale scores per group (survey_group_summary.csv), suppressed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.privacy.suppress import additive_groups, breakdown_cells, nesting, suppress_table
from impleval.survey.settings import GroupVar
from impleval.survey.stats.compare import group_codes

ALL = "all"
VALUE_COLS = ["n_not_relevant", "mean", "sd", "median", "q1", "q3", "pct_agree", "pct_disagree"]


def describe(values: pd.Series, not_relevant: pd.Series | None, cuts: dict) -> dict:
    """Descriptive statistics of one outcome in one group.

    Parameters
    ----------
    values : pandas.Series or numpy.ndarray
        Scores (NaN = no substantive answer).
    not_relevant : pandas.Series, numpy.ndarray or None
        Flags of "not relevant"/"don't know" answers (items only).
    cuts : dict
        ``agree_min`` and ``disagree_max`` cut points (survey-analysis.yaml → agreement).

    Returns
    -------
    dict
        n, n_not_relevant, mean, sd (ddof=1), median, q1, q3, pct_agree and pct_disagree (percent
        of substantive answers at or beyond the cut points).
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    q1, median, q3 = np.quantile(x, [0.25, 0.5, 0.75]) if n else (np.nan,) * 3
    return {
        "n": n,
        "n_not_relevant": int(not_relevant.sum()) if not_relevant is not None else np.nan,
        "mean": x.mean() if n else np.nan,
        "sd": x.std(ddof=1) if n > 1 else np.nan,
        "median": median,
        "q1": q1,
        "q3": q3,
        # Percent (0–100) of substantive answers at or beyond the cut points in config.
        "pct_agree": 100 * (x >= cuts["agree_min"]).mean() if n else np.nan,
        "pct_disagree": 100 * (x <= cuts["disagree_max"]).mean() if n else np.nan,
    }


def group_summary(
    data: pd.DataFrame,
    flags: pd.DataFrame,
    outcomes: list[tuple[str, str, dict]],
    group_vars: list[GroupVar],
    *,
    min_cell: int,
    hidden: set[tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Descriptives per outcome × group variable × group, with an `all` row, small cells suppressed.

    Parameters
    ----------
    data : pandas.DataFrame
        Respondent-level frame (group columns, item and scale scores).
    flags : pandas.DataFrame
        Respondent × item non-substantive flags.
    outcomes : list of (str, str, dict)
        (id, "item" or "scale", cut points).
    group_vars : list of GroupVar
        The group variables.
    min_cell : int
        Rows with n < min_cell are suppressed, and complements within each outcome × variable so
        that no hidden row is recoverable from `all`.

    Returns
    -------
    pandas.DataFrame
        The survey_group_summary table (docs/data/survey.md).

    References
    ----------
    .. [1] Hundepool, A., et al. (2012). Statistical Disclosure Control. Wiley.
    """
    # Row positions of each group (respondent order), found once per group variable.
    members = {}
    for gv in group_vars:
        codes, names = group_codes(data, gv)
        present = [names[c] for c in np.unique(codes[codes >= 0])]
        code_of = {name: i for i, name in enumerate(names)}
        members[gv.name] = {g: np.flatnonzero(codes == code_of[g]) for g in gv.order(present)}
        members[gv.name][ALL] = np.flatnonzero(codes >= 0)
    same = _same_members(members)
    rows = []
    for outcome, kind, cuts in outcomes:
        x = data[outcome].to_numpy(dtype=float, na_value=np.nan)
        nr = flags[outcome].to_numpy(bool) if kind == "item" and outcome in flags else None
        described = {}
        for gv in group_vars:
            for group, idx in members[gv.name].items():
                key = same[gv.name, group]
                if key not in described:
                    described[key] = describe(x[idx], None if nr is None else nr[idx], cuts)
                stats = described[key]
                rows.append(
                    {
                        "outcome": outcome,
                        "outcome_type": kind,
                        "group_var": gv.name,
                        "group": group,
                        **stats,
                    }
                )
    table = pd.DataFrame(rows)
    # One disclosure pattern for every outcome: the groups hidden among the printed respondent
    # counts (`hidden`, from the respondent characteristics; else group_sizes) are hidden in every
    # outcome's rows, then each outcome's own small cells and their complements, across every
    # printed margin and the nesting (trust within region).
    if hidden is None:
        sizes = group_sizes(data, group_vars, min_cell=min_cell)
        hidden = {
            (v, str(g)) for v, g, h in sizes[["group_var", "group", "suppressed"]].values if h
        }
    table["suppressed"] = [
        (v, str(g)) in hidden for v, g in zip(table["group_var"], table["group"], strict=True)
    ]
    table = suppress_table(
        table,
        n_col="n",
        value_cols=VALUE_COLS,
        min_cell=min_cell,
        margins=_margins(table, data, group_vars, within=table["outcome"]),
        suppress_zero=False,
    )
    cols = ["outcome", "outcome_type", "group_var", "group", "n", *VALUE_COLS, "suppressed"]
    return table[cols]


def _same_members(members: dict) -> dict:
    """(group variable, group) → the first (group variable, group) with the same respondents.

    The `all` rows of group variables that every respondent answered hold the same respondents
    (and a group may coincide with another variable's): each such set is described once per
    outcome, the quantiles of 60 000 answers being most of the table's cost."""
    first: dict[int, list] = {}  # size → [(key, positions)] of the distinct sets seen
    same = {}
    for var, groups in members.items():
        for group, idx in groups.items():
            seen = first.setdefault(len(idx), [])
            match = next((key for key, other in seen if np.array_equal(other, idx)), None)
            if match is None:
                match = (var, group)
                seen.append((match, idx))
            same[var, group] = match
    return same


def _margins(table: pd.DataFrame, data: pd.DataFrame, group_vars: list[GroupVar], *, within=None):
    """Every additive relation among the rows (privacy.suppress.additive_groups): the groups of a
    variable with its `all` row, and nested variables (trust within region, found in the data)."""
    names = [gv.name for gv in group_vars]
    # The nesting depends only on which combinations of levels occur: one row per combination
    # (in order of first occurrence) instead of one per respondent.
    groups = data[[gv.column for gv in group_vars]].drop_duplicates()
    frame = pd.DataFrame({gv.name: groups[gv.column].astype("string") for gv in group_vars})
    cells = breakdown_cells(table, variable="group_var", level="group", variables=names)
    return additive_groups(cells, names, within=within, hierarchy=nesting(frame, names))


def group_sizes(data: pd.DataFrame, group_vars: list[GroupVar], *, min_cell: int) -> pd.DataFrame:
    """Respondents per group of every group variable and in total (`all`), suppressed across the
    same margins as the group summary: the one source of group counts quoted in the report, so
    a count hidden in one place is hidden everywhere.

    Returns
    -------
    pandas.DataFrame
        group_var, group, n (NA when hidden), suppressed.
    """
    rows = []
    for gv in group_vars:
        groups = data[gv.column].astype("string")
        counts = groups.value_counts()
        for group in gv.order(groups.dropna().unique()):
            rows.append({"group_var": gv.name, "group": group, "n": int(counts[group])})
        rows.append({"group_var": gv.name, "group": ALL, "n": int(groups.notna().sum())})
    table = pd.DataFrame(rows, columns=["group_var", "group", "n"])
    return suppress_table(
        table,
        n_col="n",
        value_cols=[],
        min_cell=min_cell,
        margins=_margins(table, data, group_vars),
        suppress_zero=False,
    )
