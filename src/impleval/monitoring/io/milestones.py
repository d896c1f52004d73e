"""Import the milestones file (site, milestone, date) into the canonical milestones table."""

from __future__ import annotations

import os

import pandas as pd

from impleval.errors import ProblemCollector
from impleval.privacy.deid import check_allowed_columns
from impleval.tabular import parse_date, read_table

MILESTONE_COLUMNS = ["site", "milestone", "date"]


def read_milestones(path: str | os.PathLike, definition: dict, sites: list[str]) -> pd.DataFrame:
    """Milestones (site, milestone, date) → canonical long table; one date per site and kind."""
    table = read_table(path, required=MILESTONE_COLUMNS)
    check_allowed_columns(list(table.data.columns), MILESTONE_COLUMNS, file=str(path))
    problems = ProblemCollector()
    data = table.data
    kinds = definition["milestones"]["kinds"]
    known = set(sites)
    for i, (site, kind) in enumerate(zip(data["site"], data["milestone"], strict=True)):
        if site.strip() not in known:
            problems.add(
                table.path, "a site id from organisation.yaml", table.row_number(i), "site", site
            )
        if kind.strip() not in kinds:
            problems.add(
                table.path, f"a milestone of {kinds}", table.row_number(i), "milestone", kind
            )
    out = pd.DataFrame(
        {"site": data["site"].str.strip(), "milestone": data["milestone"].str.strip()}
    )
    out["date"] = parse_date(data["date"], table, "date", problems)
    dup = out.duplicated(["site", "milestone"], keep="first")
    for i in out.index[dup.to_numpy()]:
        problems.add(
            table.path,
            "one date per site and milestone",
            table.row_number(i),
            "milestone",
            f"{out.loc[i, 'site']} {out.loc[i, 'milestone']}",
        )
    problems.raise_if_any()
    return out.sort_values(["site", "date"], kind="stable").reset_index(drop=True)
