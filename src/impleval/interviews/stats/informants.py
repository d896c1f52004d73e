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

Disclosure: every relation among the printed cells (the levels of a variable with its total in
each column; each row of a crossing with its one-way count; a crossing's column totals with the
one-way counts of `by`) comes from privacy.suppress.additive_groups on the stage × region × role
cells, and privacy.suppress.suppress_table hides complements until its linear-programming audit
finds no hidden cell that the printed ones pin down. The prevalence table prints the same
interview counts: the analysis gives both tables one pattern (`hidden`, `hidden_cells`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from impleval.interviews.settings import ALL, StudyDefs
from impleval.privacy.suppress import additive_groups as general_additive_groups
from impleval.privacy.suppress import crossing_cells, suppress_table

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
    hidden: set[tuple[str, str, str]] | frozenset = frozenset(),
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
    hidden : set of (stage, region, role)
        Cells ("all" for a margin) that another printed table of the same interviews hides
        (the prevalence table): hidden here too.

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
    cells = crossing_cells(frame, VARIABLES)
    frame["suppressed"] = [tuple(c) in hidden for c in cells.itertuples(index=False)]
    out = suppress_table(
        frame,
        n_col="n",
        value_cols=["n_double_coded", "share"],
        min_cell=min_cell,
        margins=general_additive_groups(cells, list(VARIABLES)),
        suppress_zero=False,
    )
    return out[INFORMANT_COLUMNS]


def hidden_cells(informants: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(stage, region, role) of every cell the informants table hides ("all" for a margin)."""
    cells = crossing_cells(informants, VARIABLES)
    hidden = informants["suppressed"].astype(bool).to_numpy()
    return {tuple(c) for c, h in zip(cells.itertuples(index=False), hidden, strict=True) if h}
