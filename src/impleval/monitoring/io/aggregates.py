"""Import monitoring aggregates (CSV or XLSX, `;`/`,`, decimal comma or point, ISO, dd.mm.yyyy or
Excel-serial dates) into the canonical series, reporting every problem at once.

Canonical series: site, period_start (datetime64), frequency (weekly|monthly), one float column
per configured outcome. See docs/data/monitoring.md.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from impleval.errors import ProblemCollector
from impleval.privacy.deid import check_allowed_columns
from impleval.tabular import Table, parse_date, parse_decimal, read_table


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


def _frequency(column: str, definition: dict) -> str:
    configured = definition.get("frequency", "auto")
    if configured != "auto":
        return configured
    return "monthly" if column.startswith("month") else "weekly"


def read_aggregates(path: str | os.PathLike, definition: dict, sites: list[str]) -> pd.DataFrame:
    """Weekly or monthly aggregates per site → canonical series (sorted by site, period)."""
    site_col = definition["columns"]["site"]
    table = read_table(path, required=[site_col])
    check_allowed_columns(
        list(table.data.columns), definition["columns"]["allowed"], file=str(path)
    )
    problems = ProblemCollector()
    period_col = _period_column(table, definition, problems)
    outcomes = [o for o in definition["outcomes"] if o in table.data.columns]
    if not outcomes:
        problems.add(
            table.path,
            f"at least one outcome column of {list(definition['outcomes'])}",
            row=table.header_row,
        )
    problems.raise_if_any()

    data = table.data
    known = set(sites)
    for i, value in enumerate(data[site_col]):
        if value.strip() not in known:
            problems.add(
                table.path,
                f"a site id from organisation.yaml ({', '.join(sorted(known))})",
                table.row_number(i),
                site_col,
                value,
            )
    out = pd.DataFrame({"site": data[site_col].str.strip()})
    frequency = _frequency(period_col, definition)
    dates = parse_date(data[period_col], table, period_col, problems)
    if frequency == "monthly":
        dates = dates.dt.to_period("M").dt.start_time
    out["period_start"] = dates
    out["frequency"] = frequency
    count_columns = {spec.get("small_cell_count") for spec in definition["outcomes"].values()}
    count_columns |= {
        o for o, spec in definition["outcomes"].items() if spec["model"] == "quasi_poisson"
    }
    for column in outcomes:
        values = parse_decimal(data[column], table, column, problems)
        is_count = column in count_columns
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
        out[column] = values
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
