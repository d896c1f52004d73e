"""Likert bars: diverging stacked shares of answers per scale and group, with the share of
"not relevant / don't know" in its own panel. Groups below min_cell are never drawn.

The response categories are those of each block's response scale (any number of points; the
colours diverge from the middle), named in the legend with the instrument's own labels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.figures import (
    DIVERGING_5,
    FONT_SMALL,
    NOT_RELEVANT_GREY,
    WIDTH_IN,
    number_formatter,
    shorten,
    use_report_style,
)
from impleval.privacy.suppress import visible_groups
from impleval.survey.plots.common import TEXT

ROW_IN = 0.26  # height of one bar row (inches)


def likert_shares(
    responses: pd.DataFrame,
    respondents: pd.DataFrame,
    blocks: dict[str, list[str]],
    group_var: str,
    min_cell: int,
    levels: dict[str, list[int]] | None = None,
) -> pd.DataFrame:
    """Per block × group: share of each score among substantive answers (columns `s<score>` for
    the block's `levels`, default the scores seen), and the share of not relevant/don't know among
    all answers given; groups with < min_cell respondents dropped."""
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
        block_levels = (levels or {}).get(block) or _seen(df, block)
        row = {"block": block, "group": group, "n": len(scores), "nr_share": sub["nr"].mean()}
        for k in block_levels:
            row[f"s{k}"] = (scores == k).mean() if len(scores) else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def _seen(df: pd.DataFrame, block: str) -> list[int]:
    scores = df.loc[df["block"] == block, "score"].dropna()
    if scores.empty:
        return []
    return list(range(int(scores.min()), int(scores.max()) + 1))


def diverging_colours(k: int) -> list[str]:
    """k colours from disagree (red) to agree (blue), grey in the middle when k is odd."""
    if k == 5:
        return list(DIVERGING_5)
    import matplotlib

    cmap = matplotlib.colormaps["RdBu"]
    colours = [matplotlib.colors.to_hex(cmap(0.1 + 0.8 * i / max(k - 1, 1))) for i in range(k)]
    if k % 2:
        colours[k // 2] = DIVERGING_5[2]
    return colours


def likert_bars(
    shares: pd.DataFrame,
    blocks: list[str],
    block_labels: dict,
    groups: list[str],
    group_labels: dict,
    language: str,
    levels: dict[str, list[int]] | None = None,
    level_labels: dict[int, str] | None = None,
):
    """Diverging stacked bars centred on the middle of the response scale; one heading row per
    block, one bar per group; not relevant in its own panel on the right."""
    use_report_style()
    import matplotlib.pyplot as plt

    t = TEXT[language]
    levels = levels or {}
    n_rows = sum(1 + len(groups) for _ in blocks)
    fig, (ax, ax_nr) = plt.subplots(
        1,
        2,
        figsize=(WIDTH_IN, ROW_IN * n_rows + 1.6),
        gridspec_kw={"width_ratios": [4, 1]},
        sharey=True,
        layout="constrained",
    )
    y, ticks, labels, headings = 0.0, [], [], []
    legend_levels: list[int] = []
    for block in blocks:
        block_levels = levels.get(block) or sorted(
            int(c[1:]) for c in shares.columns if c.startswith("s") and c[1:].isdigit()
        )
        legend_levels = legend_levels or block_levels
        colours = diverging_colours(len(block_levels))
        ticks.append(y)
        labels.append(shorten(block_labels.get(block, block), 40))
        headings.append(len(labels) - 1)
        y -= 1
        for group in groups:
            row = shares[(shares["block"] == block) & (shares["group"] == group)]
            if row.empty:
                continue
            r = row.iloc[0]
            s = [100 * float(r.get(f"s{k}", np.nan)) for k in block_levels]
            s = [0.0 if not np.isfinite(v) else v for v in s]
            half = len(s) // 2
            left = -(sum(s[:half]) + (s[half] / 2 if len(s) % 2 else 0.0))
            # One barh call per row (the same rectangles, drawn in the same order): a call per
            # segment costs a container and an autoscale update each.
            if s:
                lefts = left + np.cumsum([0.0, *s])[:-1]
                ax.barh([y] * len(s), s, left=lefts, color=colours, edgecolor="white", height=0.8)
            ax_nr.barh(y, 100 * r["nr_share"], color=NOT_RELEVANT_GREY, height=0.8)
            ticks.append(y)
            labels.append(shorten(group_labels.get(group, group), 34))
            y -= 1
        y -= 0.4
    ax.axvline(0, color="black", linewidth=0.9)
    ax.set_yticks(ticks, labels)
    for i, tick in enumerate(ax.get_yticklabels()):
        if i in headings:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax_nr.tick_params(axis="y", length=0)
    ax.set_ylim(y + 0.4, 0.6)
    ax.set_xlabel(t["share"])
    ax.set_xlim(-100, 100)
    ax.set_xticks([-100, -50, 0, 50, 100])
    ax.xaxis.set_major_formatter(number_formatter(language, absolute=True))
    nr_max = float(np.nanmax(100 * shares["nr_share"])) if len(shares) else 0.0
    ax_nr.set_xlim(0, max(20.0, float(np.ceil(nr_max * 1.08 / 10) * 10)))
    ax_nr.set_xlabel(t["nr"])
    colours = diverging_colours(len(legend_levels))
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours]
    names = [
        shorten(f"{k} {level_labels[k]}" if level_labels and k in level_labels else str(k), 26)
        for k in legend_levels
    ]
    fig.legend(
        handles,
        names,
        ncol=min(len(names), 3),
        loc="outside upper center",
        frameon=False,
        fontsize=FONT_SMALL,
    )
    return fig
