"""Respondent characteristics: counts per group variable and per category question, and the
role × primary-group cross-table, with small cells suppressed across every printed margin.

Table `survey_respondents.csv` (one row per cell; `level == "all"` is a margin):
    variable  the respondent column counted (region, trust, role, a category question, …)
    level     its value, or "all" for the variable's total
    by        "all", or the primary group variable for the cross-table
    by_level  "all", or the level of `by`
    n         respondents in the cell (NA when suppressed)
    share     n / respondents in the same `by_level` (NA when suppressed)
    suppressed

Disclosure: every relation among the printed cells (privacy.suppress.additive_groups: the
levels of a variable with its total, each column and each row of the cross-table with its
margins, and, for nested variables (trust within region), the children of a parent with the
parent's row) is protected by privacy.suppress.suppress_table, whose linear-programming audit
checks that no hidden cell can be worked out from the printed ones (docs/privacy.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from impleval.privacy.suppress import (
    Margin,
    additive_groups,
    crossing_cells,
    suppress_table,
)

ALL = "all"
NOT_ANSWERED = "not_answered"
RESPONSE_RATE_COLUMNS = [
    "variable",
    "level",
    "n_invited",
    "n_received",
    "n_analysed",
    "response_rate",
    "completion_rate",
    "suppressed",
]  # level of a category question the respondent skipped
Nesting = tuple[str, Mapping[str, str]]  # (parent variable, child level → parent level)


def characteristics(
    respondents: pd.DataFrame,
    variables: Sequence[str],
    *,
    by: str | None,
    cross: Sequence[str] = (),
    nested: Mapping[str, Nesting] | None = None,
    min_cell: int,
) -> pd.DataFrame:
    """Counts of `variables` (one-way) and of each variable in `cross` by `by` (two-way).

    `nested`: child variable → (parent variable, {child level: parent level}) for variables
    nested in another listed variable, e.g. {"trust": ("region", {"t1": "north", …})}."""
    rows = []
    total = len(respondents)
    respondents = respondents.astype({v: str for v in {*variables, *cross, *([by] if by else [])}})
    respondents = respondents.replace({v: {"": NOT_ANSWERED} for v in variables})
    for var in variables:
        counts = respondents[var].value_counts(sort=False).sort_index()
        rows += [
            {"variable": var, "level": lvl, "by": ALL, "by_level": ALL, "n": int(n)}
            for lvl, n in counts.items()
        ]
        rows.append({"variable": var, "level": ALL, "by": ALL, "by_level": ALL, "n": total})
    if by is not None:
        for var in cross:
            table = pd.crosstab(respondents[var], respondents[by])
            for lvl in table.index:
                for col in table.columns:
                    rows.append(
                        {
                            "variable": var,
                            "level": lvl,
                            "by": by,
                            "by_level": col,
                            "n": int(table.loc[lvl, col]),
                        }
                    )
            for col in table.columns:
                rows.append(
                    {
                        "variable": var,
                        "level": ALL,
                        "by": by,
                        "by_level": col,
                        "n": int(table[col].sum()),
                    }
                )
    frame = pd.DataFrame(rows, columns=["variable", "level", "by", "by_level", "n"])
    frame["share"] = _shares(frame)
    dims = list(dict.fromkeys([*variables, *cross, *([by] if by else [])]))
    out = suppress_table(
        frame,
        n_col="n",
        value_cols=["share"],
        min_cell=min_cell,
        margins=additive_groups(crossing_cells(frame, dims), dims, hierarchy=nested or {}),
        suppress_zero=False,
    )
    return out[["variable", "level", "by", "by_level", "n", "share", "suppressed"]]


def _shares(frame: pd.DataFrame) -> pd.Series:
    totals = frame[frame["level"] == ALL].set_index(["variable", "by", "by_level"])["n"]
    keys = pd.MultiIndex.from_frame(frame[["variable", "by", "by_level"]])
    return (frame["n"].to_numpy() / totals.reindex(keys).to_numpy()).round(6)


def respondent_characteristics(
    respondents: pd.DataFrame, settings: dict, survey: dict, organisation: dict, *, min_cell: int
) -> pd.DataFrame:
    """The study's respondent table: region, trust, role and every category question one-way,
    and role by the primary group variable, with trusts nested in their regions."""
    primary = settings["group_vars"][0]["name"]
    categories = [
        q["id"]
        for q in survey.get("questions", [])
        if q.get("use") == "category" and q["id"] in respondents.columns
    ]
    variables = [v for v in ("region", "trust", "role") if v in respondents.columns]
    nested = {}
    if {"region", "trust"} <= set(variables):
        nested["trust"] = ("region", {t["id"]: t["region"] for t in organisation.get("trusts", [])})
    cross = ["role"] if primary != "role" and "role" in variables else []
    return characteristics(
        respondents,
        [*variables, *categories],
        by=primary if cross else None,
        cross=cross,
        nested=nested,
        min_cell=min_cell,
    )


def response_rates(
    submissions: pd.DataFrame, invited: dict, organisation: dict, *, min_cell: int
) -> pd.DataFrame:
    """Response and completion rates per trust, per region and in all, where the study declares
    how many were invited (survey definition `invited.trusts`: trust → {invited, eligible}).

    `submissions`: one row per received submission with `trust` ("" when missing) and
    `excluded_at` ("" when analysed). Response rate = received / invited; completion rate =
    analysed / received. Rows: variable (trust | region | all), level, n_invited, n_received,
    n_analysed, response_rate, completion_rate, suppressed. Cells whose received count is below
    `min_cell` are suppressed, with complements across trusts within a region, regions within
    the total: no hidden count is a total minus visible ones."""
    region_of = {t["id"]: t["region"] for t in organisation.get("trusts", [])}
    counts = {str(t): int(spec["invited"]) for t, spec in invited.get("trusts", {}).items()}
    subs = submissions.assign(trust=submissions["trust"].fillna("").astype(str))
    analysed = subs["excluded_at"].fillna("").eq("")
    rows = []
    for trust, n in counts.items():
        mine = subs["trust"] == trust
        rows.append(
            {
                "variable": "trust",
                "level": trust,
                "parent": region_of.get(trust, ""),
                "n_invited": n,
                "n_received": int(mine.sum()),
                "n_analysed": int((mine & analysed).sum()),
            }
        )
    trusts = pd.DataFrame(rows)
    regions = (
        trusts.groupby("parent", sort=False)[["n_invited", "n_received", "n_analysed"]]
        .sum()
        .reset_index()
        .rename(columns={"parent": "level"})
    )
    regions.insert(0, "variable", "region")
    regions["parent"] = ALL
    total = pd.DataFrame(
        [
            {
                "variable": ALL,
                "level": ALL,
                "parent": "",
                "n_invited": int(trusts["n_invited"].sum()),
                "n_received": int(len(subs)),
                "n_analysed": int(analysed.sum()),
            }
        ]
    )
    frame = pd.concat([trusts, regions, total], ignore_index=True)
    frame["response_rate"] = frame["n_received"] / frame["n_invited"]
    frame["completion_rate"] = frame["n_analysed"] / frame["n_received"].where(
        frame["n_received"] > 0
    )
    # Trusts within their region, regions within the total: every printed relation.
    margins = []
    for region in regions["level"]:
        kids = frame.index[(frame["variable"] == "trust") & (frame["parent"] == region)]
        parent = frame.index[(frame["variable"] == "region") & (frame["level"] == region)]
        if len(kids) and len(parent):
            margins.append(Margin(int(parent[0]), tuple(int(k) for k in kids)))
    total_row = int(frame.index[frame["variable"] == ALL][0])
    region_rows = tuple(int(r) for r in frame.index[frame["variable"] == "region"])
    trust_rows = tuple(int(t) for t in frame.index[frame["variable"] == "trust"])
    # (Submissions without an invited trust make the total larger than its parts: the audit
    # then reads these relations as "at least", privacy.suppress._intervals.)
    margins += [Margin(total_row, rows) for rows in (region_rows, trust_rows) if rows]
    out = suppress_table(
        frame,
        n_col="n_received",
        value_cols=["n_analysed", "response_rate", "completion_rate"],
        min_cell=min_cell,
        margins=margins,
        suppress_zero=False,
    )
    return out.drop(columns="parent")
