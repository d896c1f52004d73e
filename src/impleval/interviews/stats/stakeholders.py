"""The talk's table of benefits by stakeholder group, rebuilt from the coded interviews.

For each stakeholder group and each of its benefit/challenge codes: how many interviews raise it,
per stage and overall, as a share of the interviews at that stage. A row with theme "all" per
group counts interviews raising any of the group's effects.
"""

from __future__ import annotations

import pandas as pd

from impleval.interviews.settings import ALL, StudyDefs

STAKEHOLDER_COLUMNS = [
    "stakeholder",
    "theme",
    "kind",
    "code",
    "stage",
    "n_interviews",
    "n_interviews_total",
    "share",
    "suppressed",
]


def stakeholder_benefits(
    segments: pd.DataFrame, documents: pd.DataFrame, defs: StudyDefs, *, coder: str
) -> pd.DataFrame:
    """Benefits and challenges per stakeholder group: interviews raising each effect, per stage.

    Parameters
    ----------
    segments, documents : pandas.DataFrame
        The canonical interview tables.
    defs : StudyDefs
        Stages and the stakeholder map (code path → stakeholder and kind).
    coder : str
        The primary coder.

    Returns
    -------
    pandas.DataFrame
        The stakeholder_benefits table (``STAKEHOLDER_COLUMNS``): per group and effect and per
        stage (and "all"), ``n_interviews`` raising it out of ``n_interviews_total`` and
        ``share``; a row with theme "all" per group counts interviews raising any of its effects.
    """
    segs = segments[(segments["coder"] == coder) & segments["code_path"].isin(defs.stakeholders)]
    mentioned = segs.groupby("code_path")["interview_id"].agg(set).to_dict()
    stage_of = documents.set_index("interview_id")["stage"]
    stages = [*defs.stages, ALL]
    totals = {s: int((documents["stage"] == s).sum()) for s in defs.stages}
    totals[ALL] = len(documents)
    groups: dict[str, list[str]] = {}
    for path, entry in defs.stakeholders.items():
        groups.setdefault(entry["stakeholder"], []).append(path)
    order = [g for g in defs.stakeholder_labels if g in groups] + sorted(
        set(groups) - set(defs.stakeholder_labels)
    )
    rows = []
    for group in order:
        items = [
            (defs.codes.get(p, p), defs.stakeholders[p]["kind"], p, mentioned.get(p, set()))
            for p in groups[group]
        ]
        items.append((ALL, ALL, ALL, set().union(*(i[3] for i in items))))
        for theme, kind, code, ids in items:
            for stage in stages:
                n = sum(1 for i in ids if stage == ALL or stage_of.get(i) == stage)
                total = totals[stage]
                rows.append(
                    {
                        "stakeholder": group,
                        "theme": theme,
                        "kind": kind,
                        "code": code,
                        "stage": stage,
                        "n_interviews": n,
                        "n_interviews_total": total,
                        "share": n / total if total else float("nan"),
                    }
                )
    return pd.DataFrame(rows, columns=STAKEHOLDER_COLUMNS[:-1])


def suppress_stakeholders(
    table: pd.DataFrame, min_cell: int, hidden_stages: set[str] | frozenset = frozenset()
) -> pd.DataFrame:
    """Small-cell rule on the stage denominators, with complements within each stakeholder group.

    `hidden_stages`: stages whose interview count another printed table hides (the prevalence
    table's complements): hidden here too, so the two tables cannot be subtracted.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`stakeholder_benefits`.
    min_cell : int
        Smallest denominator shown.

    Returns
    -------
    pandas.DataFrame
        The table with suppressed cells NA and ``suppressed`` set.

    References
    ----------
    .. [1] Hundepool, A., et al. (2012). Statistical Disclosure Control. Wiley.
    """
    from impleval.privacy.suppress import apply_small_cell_rule

    table = table.assign(suppressed=table["stage"].isin(set(hidden_stages)))
    out = apply_small_cell_rule(
        table,
        n_col="n_interviews_total",
        value_cols=["n_interviews", "share"],
        min_cell=min_cell,
        secondary_by=[["stakeholder", "theme", "code"]],
    )
    return out[STAKEHOLDER_COLUMNS].reset_index(drop=True)
