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
    all answers given; groups with < min_cell respondents dropped. Respondent ids are unique (the
    canonical respondents table)."""
    answers, block_names, group_names = _coded_answers(
        responses, respondents, blocks, group_var, min_cell
    )
    # Counts per block × group (× score) in order of first appearance, from one grouping on codes
    # each instead of a boolean selection per block, group and score.
    cells = answers.groupby(["block", "group"], sort=False)
    answered, n_nr, n_scored = cells.size(), cells["nr"].sum(), cells["score"].count()
    per_score = answers.groupby(["block", "group", "score"], sort=False).size().to_dict()
    rows = []
    for b, g in answered.index:
        block, n = block_names[b], int(n_scored[(b, g)])
        block_levels = (levels or {}).get(block) or _seen(per_score, b)
        row = {
            "block": block,
            "group": group_names[g],
            "n": n,
            "nr_share": int(n_nr[(b, g)]) / int(answered[(b, g)]),
        }
        for k in block_levels:
            row[f"s{k}"] = per_score.get((b, g, k), 0) / n if n else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def _coded_answers(
    responses: pd.DataFrame,
    respondents: pd.DataFrame,
    blocks: dict[str, list[str]],
    group_var: str,
    min_cell: int,
) -> tuple[pd.DataFrame, pd.Index, pd.Index]:
    """The answers that count (a score or not relevant/don't know, in a block, from a respondent
    of a shown group), in their order, with block and group as positions in the names returned.

    Items and respondent ids are looked up once per distinct value: at 100× the demo, 2.1 M
    answers repeat 35 items and 60 000 ids."""
    item_block = pd.Series({i: b for b, items in blocks.items() for i in items}, dtype="str")
    item_at, items = pd.factorize(responses["item"], use_na_sentinel=False)
    block_at, block_names = pd.factorize(item_block.reindex(items))  # -1: in no block
    person_at, persons = pd.factorize(responses["respondent_id"], use_na_sentinel=False)
    group_of = respondents.set_index("respondent_id")[group_var].reindex(persons)
    group_at, group_names = pd.factorize(group_of)  # -1: not a respondent, or no group
    keep = visible_groups(respondents[group_var].value_counts().to_dict(), min_cell)
    shown = np.asarray(group_names.isin(keep))
    block, group = block_at[item_at], group_at[person_at]
    score = responses["score"].to_numpy()
    nr = (responses["not_relevant"].astype(bool) | responses["dont_know"].astype(bool)).to_numpy()
    use = (block >= 0) & (group >= 0) & (pd.notna(score) | nr)
    use[use] = shown[group[use]]  # and of a shown group (looked up where a group is known)
    frame = pd.DataFrame(
        {"block": block[use], "group": group[use], "score": score[use], "nr": nr[use]}
    )
    return frame, block_names, group_names


def _seen(per_score: dict, block: int) -> list[int]:
    """Every whole score from the lowest to the highest answered in the block (any group)."""
    scores = [score for b, _, score in per_score if b == block]
    if not scores:
        return []
    return list(range(int(min(scores)), int(max(scores)) + 1))


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
