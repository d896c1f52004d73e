"""Import monitoring aggregates (CSV or XLSX, `;`/`,`/tab, decimal comma or point, ISO, dd.mm.yyyy,
Excel-serial or configured date formats) into the canonical series, reporting every problem at
once.

Canonical series: site (id), period_start (datetime64), frequency (weekly|monthly), one float
column per configured outcome present, named by the outcome id. Sites may be written as ids or
labels (`impleval.valuemap`). See docs/data/monitoring.md.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from impleval.errors import ProblemCollector
from impleval.monitoring.io.cells import check_separator, dates, numbers
from impleval.monitoring.settings import outcome_column
from impleval.privacy.deid import check_allowed_columns
from impleval.tabular import Table, read_table
from impleval.valuemap import ValueMap

WEEKLY_MAX_DAYS, MONTHLY_MIN_DAYS = 10, 27  # median spacing of a site's periods


def _period_column(table: Table, definition: dict, problems: ProblemCollector) -> str | None:
    present = [c for c in definition["columns"]["period"] if c in table.data.columns]
    if len(present) != 1:
        problems.add(
            table.path,
            f"exactly one period column of {definition['columns']['period']}",
            row=table.header_row,
            value=", ".join(present) or None,
        )
        return None
    return present[0]


def _frequency(out: pd.DataFrame, column: str, definition: dict, table: Table, problems) -> str:
    """`frequency:` when set; with `auto`, from the median spacing of each site's periods (the
    column name decides only when no site has two periods)."""
    configured = definition.get("frequency", "auto")
    if configured != "auto":
        return configured
    gaps = []
    for _, group in out.dropna(subset=["period_start"]).groupby("site"):
        days = group["period_start"].sort_values().diff().dt.days.dropna()
        gaps += [d for d in days if d > 0]
    if not gaps:
        return "monthly" if column.lower().startswith("month") else "weekly"
    median = float(np.median(gaps))
    if median <= WEEKLY_MAX_DAYS:
        return "weekly"
    if median >= MONTHLY_MIN_DAYS:
        return "monthly"
    problems.add(
        table.path,
        f"weekly or monthly periods (the periods are {median:g} days apart; set `frequency:` in "
        "the monitoring definition)",
        row=table.header_row,
        column=column,
    )
    return "weekly"


def read_aggregates(path: str | os.PathLike, definition: dict, sites: ValueMap) -> pd.DataFrame:
    """Weekly or monthly aggregates per site → canonical series (sorted by site, period).

    `sites` maps the exported site values to organisation site ids
    (`impleval.monitoring.io.cells.value_maps`)."""
    fmt = definition.get("formats", {}).get("aggregates", {})
    site_col = definition["columns"]["site"]
    table = read_table(path, required=[site_col])
    check_allowed_columns(
        list(table.data.columns), definition["columns"]["allowed"], file=str(path)
    )
    problems = ProblemCollector()
    check_separator(table, fmt, problems)
    period_col = _period_column(table, definition, problems)
    columns = {o: outcome_column(definition, o) for o in definition["outcomes"]}
    outcomes = [o for o, c in columns.items() if c in table.data.columns]
    if not outcomes:
        problems.add(
            table.path,
            f"at least one outcome column of {list(columns.values())}",
            row=table.header_row,
        )
    problems.raise_if_any()

    data = table.data
    ids = [
        sites.check(v, problems, table.path, table.row_number(i), site_col)
        for i, v in enumerate(data[site_col])
    ]
    out = pd.DataFrame({"site": [i if i is not None else "" for i in ids]}, index=data.index)
    out["period_start"] = dates(
        data[period_col], table, period_col, problems, fmt.get("date", "auto")
    )
    frequency = _frequency(out, period_col, definition, table, problems)
    if frequency == "monthly":
        out["period_start"] = out["period_start"].dt.to_period("M").dt.start_time
    out["frequency"] = frequency
    count_columns = {spec.get("small_cell_count") for spec in definition["outcomes"].values()}
    count_columns |= {
        o for o, spec in definition["outcomes"].items() if spec["model"] == "quasi_poisson"
    }
    for outcome in outcomes:
        column = columns[outcome]
        values = numbers(data[column], table, column, problems, fmt.get("decimal", "auto"))
        is_count = outcome in count_columns
        for i, v in enumerate(values):
            if np.isnan(v):
                continue
            if v < 0:
                problems.add(
                    table.path,
                    "a non-negative number",
                    table.row_number(i),
                    column,
                    data[column].iloc[i],
                )
            elif is_count and not float(v).is_integer():
                problems.add(
                    table.path,
                    "a whole number (a count)",
                    table.row_number(i),
                    column,
                    data[column].iloc[i],
                )
        out[outcome] = values
    _check_duplicates(out, table, period_col, problems)
    if frequency == "weekly":
        _check_weekly_spacing(out, table, period_col, problems)
    problems.raise_if_any()
    return out.sort_values(["site", "period_start"], kind="stable").reset_index(drop=True)


def _check_duplicates(
    out: pd.DataFrame, table: Table, period_col: str, problems: ProblemCollector
) -> None:
    valid = out["period_start"].notna()
    dup = out[valid].duplicated(["site", "period_start"], keep=False)
    for key, group in out[valid][dup].groupby(["site", "period_start"], sort=True):
        rows = [table.row_number(i) for i in group.index]
        problems.add(
            table.path,
            f"one row per site and period (same site and period in rows {rows})",
            rows[-1],
            period_col,
            f"{key[0]} {key[1].date()}",
        )


def _check_weekly_spacing(
    out: pd.DataFrame, table: Table, period_col: str, problems: ProblemCollector
) -> None:
    """Weekly periods of one site must start on the same weekday (7-day steps, gaps allowed)."""
    for _site, group in out.dropna(subset=["period_start"]).groupby("site"):
        first = group["period_start"].iloc[0]
        off = ((group["period_start"] - first).dt.days % 7) != 0
        for i in group.index[off.to_numpy()]:
            problems.add(
                table.path,
                f"a week start on the same weekday as the site's first week ({first.day_name()})",
                table.row_number(i),
                period_col,
                str(group.loc[i, "period_start"].date()),
            )
