"""Who was interviewed: interviews by stage, region and role, one-way and crossed, with the
number of double-coded interviews in each cell; small cells suppressed across every margin.

Table `interview_informants.csv` (one row per cell; `level == "all"` is a margin):
    variable        stage, region or role
    level           its id, or "all" for the variable's total
    by              "all" for one-way rows, or the crossing variable (region or role)
    by_level        "all", or the level of `by`
    n               interviews in the cell (NA when suppressed)
    n_double_coded  of them, double-coded (the agreement units; NA when suppressed)
    share           n / interviews in the same `by_level` (NA when suppressed)
    suppressed

Crossings: stage × region, stage × role and region × role (`variable` × `by`). Levels follow the
study definitions' order (stages, regions, roles), then any other value alphabetically.

Disclosure: every set of cells that adds up to a printed total is one additive group (the levels
of a variable with its total in each column; each row of a crossing with its one-way count; a
crossing's column totals with the one-way counts of `by`), and `suppress_linked` hides
complements until no hidden cell is a total minus visible cells. As in
impleval.survey.stats.characteristics (branch `report`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from impleval.interviews.settings import ALL, StudyDefs
from impleval.privacy.suppress import suppress_linked

VARIABLES = ("stage", "region", "role")
CROSSINGS = (("stage", "region"), ("stage", "role"), ("region", "role"))
INFORMANT_COLUMNS = [
    "variable",
    "level",
    "by",
    "by_level",
    "n",
    "n_double_coded",
    "share",
    "suppressed",
]


def _order(values: Iterable[str], defined: Sequence[str]) -> list[str]:
    seen = set(values)
    return [v for v in defined if v in seen] + sorted(seen - set(defined))


def interview_informants(
    documents: pd.DataFrame,
    defs: StudyDefs,
    double_coded: set[str],
    *,
    min_cell: int,
    crossings: Sequence[tuple[str, str]] = CROSSINGS,
) -> pd.DataFrame:
    """Counts of interviews per stage, region and role (one-way and crossed), suppressed.

    Parameters
    ----------
    documents : pandas.DataFrame
        The canonical interview documents (interview_id, stage, region, role).
    defs : StudyDefs
        The study's stage, region and role order.
    double_coded : set of str
        Interview ids counted as double-coded (the agreement units).
    min_cell : int
        Smallest count shown.
    crossings : sequence of (str, str)
        (variable, by) pairs to cross.

    Returns
    -------
    pandas.DataFrame
        The interview_informants table (``INFORMANT_COLUMNS``).
    """
    docs = documents.assign(_double=documents["interview_id"].isin(double_coded))
    orders = {
        "stage": _order(docs["stage"], defs.stages),
        "region": _order(docs["region"], list(defs.region_labels)),
        "role": _order(docs["role"], list(defs.role_labels)),
    }

    def row(variable, level, by, by_level, cell: pd.DataFrame) -> dict:
        return {
            "variable": variable,
            "level": level,
            "by": by,
            "by_level": by_level,
            "n": len(cell),
            "n_double_coded": int(cell["_double"].sum()),
        }

    rows = []
    for var in VARIABLES:
        rows += [row(var, lvl, ALL, ALL, docs[docs[var] == lvl]) for lvl in orders[var]]
        rows.append(row(var, ALL, ALL, ALL, docs))
    for var, by in crossings:
        for col in orders[by]:
            column = docs[docs[by] == col]
            rows += [row(var, lvl, by, col, column[column[var] == lvl]) for lvl in orders[var]]
            rows.append(row(var, ALL, by, col, column))
    frame = pd.DataFrame(rows, columns=INFORMANT_COLUMNS[:-2])
    totals = frame[frame["level"] == ALL].set_index(["variable", "by", "by_level"])["n"]
    keys = pd.MultiIndex.from_frame(frame[["variable", "by", "by_level"]])
    denominators = totals.reindex(keys).to_numpy(dtype=float)
    frame["share"] = (frame["n"].to_numpy() / denominators).round(6)
    out = suppress_linked(
        frame,
        n_col="n",
        value_cols=["n_double_coded", "share"],
        min_cell=min_cell,
        groups=additive_groups(frame),
    )
    return out[INFORMANT_COLUMNS]


def additive_groups(frame: pd.DataFrame) -> list[list[int]]:
    """Row positions of every set of cells that adds up to (or equals) a printed total."""
    pos = frame.reset_index(drop=True)
    groups: list[list[int]] = []
    # Levels of one variable with the variable's total, per column (one-way: the column "all").
    for ix in pos.groupby(["variable", "by", "by_level"], sort=False).indices.values():
        groups.append(list(ix))
    one_way = pos[pos["by"] == ALL]
    crossed = pos[pos["by"] != ALL]
    for (var, by), part in crossed.groupby(["variable", "by"], sort=False):
        # A level's cells across the columns of `by` add up to the level's one-way count.
        for lvl, cells in part.groupby("level", sort=False):
            same = one_way.index[(one_way["variable"] == var) & (one_way["level"] == lvl)]
            groups.append([*cells.index, *same])
        # The crossing's column totals are the one-way counts of `by` (the same numbers again).
        margins = part.index[part["level"] == ALL]
        groups.append([*margins, *one_way.index[one_way["variable"] == by]])
    return groups
