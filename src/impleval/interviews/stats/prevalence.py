"""Prevalence of codes and themes: how many *interviews* mention each, with segment counts beside.

A code's weight is the number of interviews that mention it (raw segment counts reward talkative
participants); the denominator is every interview in the group, including interviews with no
coded segment at all, so it comes from the documents table, not from the segments.
"""

from __future__ import annotations

import pandas as pd

from impleval.interviews.settings import ALL, StudyDefs

GROUP_VARS = ["stage", "region", "role"]
PREVALENCE_COLUMNS = [
    "code",
    "theme",
    "stage",
    "region",
    "role",
    "n_interviews",
    "n_interviews_total",
    "share",
    "n_segments",
    "suppressed",
]


def primary_segments(segments: pd.DataFrame, coder: str) -> pd.DataFrame:
    """The segments coded by `coder` (the primary coder carries every count)."""
    return segments[segments["coder"] == coder]


def presence(segments: pd.DataFrame, documents: pd.DataFrame, key: str) -> pd.DataFrame:
    """Interview × `key` table of 0/1: does the interview mention the code (or theme)?

    Parameters
    ----------
    segments, documents : pandas.DataFrame
        The canonical interview tables (segments of one coder).
    key : str
        ``"code_path"`` or ``"theme"``.

    Returns
    -------
    pandas.DataFrame
        One row per document (interviews without coded segments included, all zeros).
    """
    hit = segments.drop_duplicates(["interview_id", key]).assign(_one=1)
    wide = hit.pivot_table(
        index="interview_id", columns=key, values="_one", aggfunc="max", fill_value=0
    )
    return wide.reindex(documents["interview_id"], fill_value=0).astype(int)


def _ordered(values, order) -> list:
    order = list(order or [])
    seen = list(dict.fromkeys(values))
    return [v for v in order if v in seen] + sorted(v for v in seen if v not in order)


def code_prevalence(
    segments: pd.DataFrame,
    documents: pd.DataFrame,
    defs: StudyDefs,
    *,
    coder: str,
    breakdowns: list[list[str]],
) -> pd.DataFrame:
    r"""How many interviews mention each code and theme, per breakdown, with segment counts beside.

    Not yet suppressed: :func:`suppress_prevalence` applies the small-cell rule.

    Parameters
    ----------
    segments, documents : pandas.DataFrame
        The canonical interview tables.
    defs : StudyDefs
        Stages, codes and themes of the study.
    coder : str
        The primary coder.
    breakdowns : list of list of str
        Column sets (of stage, region, role) to break the counts down by; margins are "all".

    Returns
    -------
    pandas.DataFrame
        The code_prevalence table (``PREVALENCE_COLUMNS``): per code (and per theme with code
        "all") and group, ``n_interviews`` mentioning it, ``n_interviews_total`` in the group,
        ``share`` and ``n_segments``.

    Notes
    -----
    A code's weight is :math:`\mathrm{share} = n_{mention} / n_{total}`, interviews rather than
    segments: raw segment counts reward talkative participants. The denominator is every interview
    of the group, also those without any coded segment.

    References
    ----------
    .. [1] Braun, V., & Clarke, V. (2021). Thematic Analysis: A Practical Guide. SAGE.
    """
    segs = primary_segments(segments, coder)
    docs = documents[["interview_id", *GROUP_VARS]].copy()
    orders = {
        "stage": defs.stages,
        "region": list(defs.region_labels),
        "role": list(defs.role_labels),
    }
    # Long frame of (interview, item) with the item's level: one row per code path and theme.
    codes = _ordered(segs["code_path"], list(defs.codes))
    themes = _ordered(segs["theme"], defs.themes)
    items = [
        (c, defs.codes.get(c) or segs.loc[segs["code_path"] == c, "theme"].iloc[0]) for c in codes
    ]
    items += [(ALL, t) for t in themes]
    seg_code = segs.groupby(["interview_id", "code_path"]).size()
    seg_theme = segs.groupby(["interview_id", "theme"]).size()
    per_doc = {}
    for code, theme in items:
        counts = (
            seg_theme.xs(theme, level="theme")
            if code == ALL
            else seg_code.xs(code, level="code_path")
        )
        per_doc[(code, theme)] = counts.reindex(docs["interview_id"], fill_value=0).to_numpy()
    rows = []
    for breakdown in breakdowns:
        by = list(breakdown)
        if by:
            keys = docs[by].drop_duplicates()
            for var in reversed(by):  # stable sort by the defined order of each variable
                rank = {v: i for i, v in enumerate(_ordered(docs[var], orders[var]))}
                keys = keys.iloc[keys[var].map(rank).argsort(kind="stable")]
            groups = [tuple(k) for k in keys.itertuples(index=False)]
        else:
            groups = [()]
        for group in groups:
            mask = pd.Series(True, index=docs.index)
            for var, value in zip(by, group, strict=False):
                mask &= docs[var] == value
            margin = {var: ALL for var in GROUP_VARS}
            margin.update(dict(zip(by, group, strict=False)))
            total = int(mask.sum())
            m = mask.to_numpy()
            for code, theme in items:
                n_seg = per_doc[(code, theme)][m]
                n_int = int((n_seg > 0).sum())
                rows.append(
                    {
                        "code": code,
                        "theme": theme,
                        **margin,
                        "n_interviews": n_int,
                        "n_interviews_total": total,
                        "share": n_int / total if total else float("nan"),
                        "n_segments": int(n_seg.sum()),
                    }
                )
    return pd.DataFrame(rows, columns=PREVALENCE_COLUMNS[:-1])


def suppress_prevalence(
    table: pd.DataFrame, min_cell: int, hidden: set[tuple[str, str, str]] | frozenset = frozenset()
) -> pd.DataFrame:
    """Small-cell rule on the interview denominators, with complements across every printed
    margin of the stage × region × role table.

    Every cell at the margin ("all") of a variable is the sum of the printed cells that split it
    by that variable (privacy.suppress.additive_groups), per code; complements are chosen until no
    hidden cell can be worked out from the printed ones (privacy.suppress.protect, with its
    linear-programming audit). The denominators are the same for every code, so every code gets
    the same pattern.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`code_prevalence`.
    min_cell : int
        Smallest denominator shown.
    hidden : set of (stage, region, role)
        Groups ("all" for a margin) that another printed table of the same interviews hides
        (the informants table): hidden here too.

    Returns
    -------
    pandas.DataFrame
        The table with suppressed cells NA and ``suppressed`` set.

    References
    ----------
    .. [1] Hundepool, A., et al. (2012). Statistical Disclosure Control. Wiley.
    """
    from impleval.privacy.suppress import additive_groups, suppress_table

    margins = additive_groups(table, GROUP_VARS, within=table[["code", "theme"]])
    cells = table[GROUP_VARS].astype(str).itertuples(index=False)
    table = table.assign(suppressed=[tuple(c) in hidden for c in cells])
    out = suppress_table(
        table,
        n_col="n_interviews_total",
        value_cols=["n_interviews", "share", "n_segments"],
        min_cell=min_cell,
        margins=margins,
    )
    return out[PREVALENCE_COLUMNS].reset_index(drop=True)


def hidden_groups(suppressed_prevalence: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(stage, region, role) of the groups whose denominator the prevalence table hides: other
    tables printing the same interview counts hide them too."""
    t = suppressed_prevalence
    rows = t[t["suppressed"].astype(bool)]
    return set(zip(rows["stage"], rows["region"], rows["role"], strict=True))
