"""Import the milestones export (a site, a milestone kind and a date per row) into the canonical
milestones table.

Which columns hold the three is configured (`milestones.columns`, e.g. `sted;region;milepael;dato`
with `region` allowed and ignored); sites and kinds may be written as ids or labels
(`impleval.valuemap`); separator and date format as `formats.milestones` says (or sniffed).
"""

from __future__ import annotations

import os

import pandas as pd

from impleval.errors import ProblemCollector
from impleval.monitoring.io.cells import check_separator, dates
from impleval.privacy.deid import check_allowed_columns
from impleval.tabular import read_table
from impleval.valuemap import ValueMap

MILESTONE_COLUMNS = ["site", "milestone", "date"]  # the canonical table's columns


def read_milestones(
    path: str | os.PathLike, definition: dict, sites: ValueMap, kinds: ValueMap
) -> pd.DataFrame:
    """Milestones → canonical long table (site, milestone, date); one date per site and kind.

    `sites` and `kinds` map the exported values to ids (`cells.value_maps`)."""
    names = definition["milestones"]["columns"]
    site_col, kind_col, date_col = (names[c] for c in MILESTONE_COLUMNS)
    fmt = definition.get("formats", {}).get("milestones", {})
    table = read_table(path, required=[site_col, kind_col, date_col])
    check_allowed_columns(
        list(table.data.columns),
        [site_col, kind_col, date_col, *names.get("allowed", [])],
        file=str(path),
    )
    problems = ProblemCollector()
    check_separator(table, fmt, problems)
    data = table.data
    site_ids, kind_ids = [], []
    for i, (site, kind) in enumerate(zip(data[site_col], data[kind_col], strict=True)):
        row = table.row_number(i)
        site_ids.append(sites.check(site, problems, table.path, row, site_col) or "")
        kind_ids.append(kinds.check(kind, problems, table.path, row, kind_col) or "")
    out = pd.DataFrame({"site": site_ids, "milestone": kind_ids}, index=data.index)
    out["date"] = dates(data[date_col], table, date_col, problems, fmt.get("date", "auto"))
    valid = (out["site"] != "") & (out["milestone"] != "")
    dup = out[valid].duplicated(["site", "milestone"], keep="first")
    for i in dup.index[dup.to_numpy()]:
        problems.add(
            table.path,
            "one date per site and milestone",
            table.row_number(i),
            kind_col,
            f"{data.loc[i, site_col]} {data.loc[i, kind_col]}",
        )
    problems.raise_if_any()
    return out.sort_values(["site", "date"], kind="stable").reset_index(drop=True)
