"""The survey comparison figures: Likert bars, forest plot, scale distributions, odds ratios.

Each function returns a matplotlib Figure; callers save it with impleval.figures.save_figure.
Groups below min_cell are never drawn (impleval.privacy.suppress.visible_groups).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.figures import DIVERGING_5, NOT_RELEVANT_GREY, OKABE_ITO, use_report_style
from impleval.privacy.suppress import visible_groups

TEXT = {
    "nb": {"share": "Andel svar (%)", "nr": "Ikke relevant / vet ikke (%)", "g": "Hedges g (region − {ref}; > 0: regionen høyere)",
           "delta": "Cliffs δ (region − {ref}; > 0: regionen høyere)", "or": "Oddsratio (mot {ref}, log-skala)",
           "unadjusted": "Ujustert", "adjusted": "Justert for profesjon", "score": "Skåre (1–5)",
           "disagree": "Uenig", "neutral": "Nøytral", "agree": "Enig"},
    "en": {"share": "Share of answers (%)", "nr": "Not relevant / don't know (%)",
           "g": "Hedges g (region − {ref}; > 0: region higher)",
           "delta": "Cliff's δ (region − {ref}; > 0: region higher)",
           "or": "Odds ratio (vs {ref}, log scale)", "unadjusted": "Unadjusted",
           "adjusted": "Adjusted for profession", "score": "Score (1–5)",
           "disagree": "Disagree", "neutral": "Neutral", "agree": "Agree"},
}


def _decimal_comma(axis, language: str) -> None:
    """Tick labels with the report language's decimal mark (bokmål: comma)."""
    if language == "nb":
        axis.set_major_formatter(lambda v, _: f"{v:g}".replace("-", "\u2212").replace(".", ","))


def likert_shares(responses: pd.DataFrame, respondents: pd.DataFrame, blocks: dict[str, list[str]],
                  group_var: str, min_cell: int) -> pd.DataFrame:
    """Per block × group: share of each score 1..5 among substantive answers, and the share of
    not relevant/don't know among all answers given; groups with < min_cell respondents dropped."""
    item_block = {i: b for b, items in blocks.items() for i in items}
    df = responses[responses["item"].isin(item_block)].merge(
        respondents[["respondent_id", group_var]], on="respondent_id")
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


def likert_bars(shares: pd.DataFrame, blocks: list[str], block_labels: dict, groups: list[str],
                group_labels: dict, language: str):
    """Diverging stacked bars centred on the neutral midpoint; not relevant in its own panel."""
    use_report_style()
    import matplotlib.pyplot as plt

    t = TEXT[language]
    fig, (ax, ax_nr) = plt.subplots(1, 2, figsize=(9, 0.32 * len(blocks) * (len(groups) + 1) + 1),
                                    gridspec_kw={"width_ratios": [4, 1]}, sharey=True)
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
    ax.legend(handles, names, ncol=5, loc="upper center", bbox_to_anchor=(0.5, 1.06 if len(blocks) > 3 else 1.15),
              frameon=False, fontsize=8, title=f"{t['disagree']} ← → {t['agree']}", title_fontsize=8)
    fig.tight_layout()
    return fig


def forest(pairwise: pd.DataFrame, outcomes: list[str], outcome_labels: dict, group_var: str,
           reference: str, groups: list[str], group_labels: dict, language: str):
    """Effect sizes of each region vs the reference with CIs: scales (Hedges g), items (Cliff's δ).

    Drawn as region minus reference (positive: the region answers higher), the direction of the
    odds-ratio figure; survey_pairwise.csv holds group_a (the reference) minus group_b, so the
    estimate is negated and the interval ends swapped."""
    use_report_style()
    import matplotlib.pyplot as plt

    t = TEXT[language]
    rows = pairwise[(pairwise["group_var"] == group_var) & (pairwise["group_a"] == reference)
                    & pairwise["group_b"].isin(groups)].copy()
    rows["effect_size"], rows["es_ci_low"], rows["es_ci_high"] = (
        -rows["effect_size"], -rows["es_ci_high"], -rows["es_ci_low"])
    panels = [("scale", t["g"]), ("item", t["delta"])]
    heights = [max(1, rows[rows["outcome_type"] == k]["outcome"].nunique()) for k, _ in panels]
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.28 * max(heights) + 1.5))
    for ax, (kind, xlabel) in zip(axes, panels):
        sub = rows[rows["outcome_type"] == kind]
        order = [o for o in outcomes if o in set(sub["outcome"])]
        for j, group in enumerate(groups):
            g = sub[sub["group_b"] == group].set_index("outcome").reindex(order)
            pos = -np.arange(len(order)) + ((len(groups) - 1) / 2 - j) * 0.2  # first group on top
            ax.errorbar(g["effect_size"], pos, xerr=[g["effect_size"] - g["es_ci_low"],
                                                     g["es_ci_high"] - g["effect_size"]],
                        fmt="o", ms=3.5, color=OKABE_ITO[j % 8], elinewidth=1, capsize=0,
                        label=group_labels.get(group, group))
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(-np.arange(len(order)), [outcome_labels.get(o, o) for o in order], fontsize=8)
        ax.set_xlabel(xlabel.format(ref=group_labels.get(reference, reference)))
        _decimal_comma(ax.xaxis, language)
    axes[0].legend(frameon=False, fontsize=8, loc="best")
    fig.tight_layout()
    return fig


def scale_distributions(scores: pd.DataFrame, scales: list[str], scale_labels: dict,
                        group_var: str, groups: list[str], group_labels: dict, min_cell: int,
                        language: str):
    """Box plots of scale scores by group (groups below min_cell for that scale not drawn)."""
    use_report_style()
    import matplotlib.pyplot as plt

    ncol = 3
    nrow = int(np.ceil(len(scales) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(10, 3 * nrow), sharey=True, squeeze=False)
    for ax, scale in zip(axes.ravel(), scales):
        data = {g: scores.loc[scores[group_var] == g, scale].dropna().to_numpy() for g in groups}
        shown = visible_groups({g: len(v) for g, v in data.items()}, min_cell)
        bp = ax.boxplot([data[g] for g in shown], patch_artist=True, widths=0.6,
                        medianprops={"color": "black"}, flierprops={"markersize": 2})
        for patch, g in zip(bp["boxes"], shown):
            patch.set_facecolor(OKABE_ITO[groups.index(g) % 8])
            patch.set_alpha(0.8)
        ax.set_xticks(range(1, len(shown) + 1), [group_labels.get(g, g) for g in shown],
                      rotation=30, ha="right", fontsize=8)
        ax.set_title(scale_labels.get(scale, scale), fontsize=9)
        _decimal_comma(ax.yaxis, language)
    for ax in axes.ravel()[len(scales):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(TEXT[language]["score"])
    fig.tight_layout()
    return fig


def odds_ratios(ordinal: pd.DataFrame, items: list[str], group_var: str, reference: str,
                groups: list[str], group_labels: dict, language: str):
    """Region odds ratios per item, unadjusted vs adjusted for profession, one panel per region."""
    use_report_style()
    import matplotlib.pyplot as plt

    t = TEXT[language]
    rows = ordinal[(ordinal["variable"] == group_var) & ordinal["level"].isin(groups)]
    order = [i for i in items if i in set(rows["outcome"])]
    fig, axes = plt.subplots(1, max(1, len(groups)), figsize=(3.2 * max(1, len(groups)), 0.22 * len(order) + 1.5),
                             sharey=True, squeeze=False)
    for ax, group in zip(axes[0], groups):
        for j, (model, colour, shift) in enumerate([("unadjusted", OKABE_ITO[1], 0.15),
                                                     ("adjusted", OKABE_ITO[0], -0.15)]):
            g = rows[(rows["level"] == group) & (rows["model"] == model)].set_index("outcome").reindex(order)
            pos = -np.arange(len(order)) + shift
            ax.errorbar(g["odds_ratio"], pos, xerr=[g["odds_ratio"] - g["ci_low"],
                                                    g["ci_high"] - g["odds_ratio"]],
                        fmt="o" if model == "adjusted" else "s", ms=3, color=colour, elinewidth=0.9,
                        label=t[model])
        ax.axvline(1, color="black", linewidth=0.8)
        ax.set_xscale("log")
        ticks = [0.125, 0.25, 0.5, 1, 2, 4, 8]
        low, high = ax.get_xlim()
        ax.set_xticks([v for v in ticks if low <= v <= high], minor=False)
        ax.set_xticks([], minor=True)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:g}".replace(".", "," if language == "nb" else "."))
        ax.set_title(group_labels.get(group, group), fontsize=9)
        ax.set_xlabel(t["or"].format(ref=group_labels.get(reference, reference)), fontsize=8)
    axes[0][0].set_yticks(-np.arange(len(order)), order, fontsize=7)
    axes[0][0].legend(frameon=False, fontsize=7, loc="lower left")
    fig.tight_layout()
    return fig
