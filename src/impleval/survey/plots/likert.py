"""Likert bars: diverging stacked shares of answers per scale and group, with the share of
"not relevant / don't know" in its own panel. Groups below min_cell are never drawn."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.figures import DIVERGING_5, NOT_RELEVANT_GREY, use_report_style
from impleval.privacy.suppress import visible_groups
from impleval.survey.plots.common import TEXT


def likert_shares(
    responses: pd.DataFrame,
    respondents: pd.DataFrame,
    blocks: dict[str, list[str]],
    group_var: str,
    min_cell: int,
) -> pd.DataFrame:
    """Per block × group: share of each score 1..5 among substantive answers, and the share of
    not relevant/don't know among all answers given; groups with < min_cell respondents dropped."""
    item_block = {i: b for b, items in blocks.items() for i in items}
    df = responses[responses["item"].isin(item_block)].merge(
        respondents[["respondent_id", group_var]], on="respondent_id"
    )
    df["block"] = df["item"].map(item_block)
    df["nr"] = df["not_relevant"].astype(bool) | df["dont_know"].astype(bool)
    df = df[df["score"].notna() | df["nr"]]
    n_people = respondents[group_var].value_counts()
    keep = visible_groups(n_people.to_dict(), min_cell)
    df = df[df[group_var].isin(keep)]
    rows = []
    for (block, group), sub in df.groupby(["block", group_var], sort=False):
        scores = sub["score"].dropna()
        row = {"block": block, "group": group, "n": len(scores), "nr_share": sub["nr"].mean()}
        for k in range(1, 6):
            row[f"s{k}"] = (scores == k).mean() if len(scores) else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def likert_bars(
    shares: pd.DataFrame,
    blocks: list[str],
    block_labels: dict,
    groups: list[str],
    group_labels: dict,
    language: str,
):
    """Diverging stacked bars centred on the neutral midpoint; not relevant in its own panel."""
    use_report_style()
    import matplotlib.pyplot as plt

    t = TEXT[language]
    fig, (ax, ax_nr) = plt.subplots(
        1,
        2,
        figsize=(9, 0.32 * len(blocks) * (len(groups) + 1) + 1),
        gridspec_kw={"width_ratios": [4, 1]},
        sharey=True,
    )
    y, ticks, labels = 0.0, [], []
    for block in blocks:
        for group in groups:
            row = shares[(shares["block"] == block) & (shares["group"] == group)]
            if row.empty:
                continue
            r = row.iloc[0]
            s = [100 * r[f"s{k}"] for k in range(1, 6)]
            left = -(s[0] + s[1] + s[2] / 2)
            for k, width in enumerate(s):
                ax.barh(y, width, left=left, color=DIVERGING_5[k], edgecolor="white", height=0.8)
                left += width
            ax_nr.barh(y, 100 * r["nr_share"], color=NOT_RELEVANT_GREY, height=0.8)
            ticks.append(y)
            labels.append(f"{block_labels.get(block, block)} · {group_labels.get(group, group)}")
            y -= 1
        y -= 0.6
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(ticks, labels, fontsize=8)
    ax.set_xlabel(t["share"])
    ax.set_xlim(-100, 100)
    ax.xaxis.set_major_formatter(lambda v, _: f"{abs(v):.0f}")
    ax_nr.set_xlabel(t["nr"])
    ax_nr.set_xlim(0, max(20, float(np.ceil(100 * shares["nr_share"].max() / 10) * 10)))
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in DIVERGING_5]
    names = ["1", "2", "3", "4", "5"]
    ax.legend(
        handles,
        names,
        ncol=5,
        loc="upper center",
        bbox_to_anchor=(0.5, 1.06 if len(blocks) > 3 else 1.15),
        frameon=False,
        fontsize=8,
        title=f"{t['disagree']} ← → {t['agree']}",
        title_fontsize=8,
    )
    fig.tight_layout()
    return fig
