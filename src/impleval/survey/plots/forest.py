"""Forest plot of the pairwise effect sizes of each group against the reference group of the
primary comparison: scales on top, single items below (a row of small panels per effect-size
kind, one panel per group)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from impleval.figures import (
    FONT,
    MARKERS,
    OKABE_ITO,
    WIDTH_IN,
    chars_per_line,
    interval_within,
    mark_clipped,
    message_figure,
    shorten,
    use_report_style,
)
from impleval.survey.plots.common import TEXT, data_limits, effect_name, item_label

NCOL = 3  # group panels a row
ROW_IN = 0.24  # height per outcome (inches)
LABEL_IN = 2.6  # room for the outcome labels left of the panels


def forest(
    pairwise: pd.DataFrame,
    outcomes: list[str],
    group_var: str,
    reference: str,
    groups: list[str],
    labels,
    language: str,
):
    """Effect sizes of each group vs the reference with CIs (scales, then items).

    Drawn as group minus reference (positive: the group answers higher), the direction of the
    odds-ratio figure; survey_pairwise.csv holds group_a (the reference) minus group_b, so the
    estimate is negated and the interval ends swapped. `labels`: the report's `Labels`.
    Returns (figure, whether any interval was cut at an axis limit)."""
    use_report_style()
    import matplotlib.pyplot as plt

    t = TEXT[language]
    rows = pairwise[
        (pairwise["group_var"] == group_var)
        & (pairwise["group_a"] == reference)
        & pairwise["group_b"].isin(groups)
    ].copy()
    rows["effect_size"], rows["es_ci_low"], rows["es_ci_high"] = (
        -rows["effect_size"],
        -rows["es_ci_high"],
        -rows["es_ci_low"],
    )
    panels = []
    for kind in ("scale", "item"):
        sub = rows[rows["outcome_type"] == kind]
        order = [o for o in outcomes if o in set(sub["outcome"])]
        if order:
            names = sub["effect_size_name"].dropna().unique()
            panels.append((kind, sub, order, names[0] if len(names) else ""))
    ref_label = labels.group_level(group_var, reference)
    group_word = labels.group_var(group_var)
    if not panels or not groups:
        return message_figure(t["no_pairs"].format(group=group_word)), False
    ncol = min(NCOL, max(1, len(groups)))
    nrow = math.ceil(max(1, len(groups)) / ncol)
    heights = [nrow * (ROW_IN * len(order) + 0.9) + 0.6 for _, _, order, _ in panels] or [1.0]
    fig = plt.figure(figsize=(WIDTH_IN, sum(heights)), layout="constrained")
    subfigs = fig.subfigures(len(heights), 1, height_ratios=heights, squeeze=False)[:, 0]
    width = chars_per_line(LABEL_IN)
    clipped = False
    for subfig, (kind, sub, order, name) in zip(subfigs, panels, strict=False):
        limits = data_limits(sub["es_ci_low"], sub["es_ci_high"], include=0.0)
        axes = subfig.subplots(nrow, ncol, sharex=True, sharey=True, squeeze=False)
        for j, (ax, group) in enumerate(zip(axes.ravel(), groups, strict=False)):
            g = sub[sub["group_b"] == group].set_index("outcome").reindex(order)
            pos = -np.arange(len(order))
            colour = OKABE_ITO[j % len(OKABE_ITO)]
            for y, est, lo, hi in zip(
                pos, g["effect_size"], g["es_ci_low"], g["es_ci_high"], strict=True
            ):
                if not np.isfinite(est):
                    continue
                left, right, cut_lo, cut_hi = interval_within(est, lo, hi, limits)
                ax.plot([left, right], [y, y], color=colour, lw=1.3, solid_capstyle="butt")
                for cut, side, x in ((cut_lo, "low", limits[0]), (cut_hi, "high", limits[1])):
                    if cut:
                        mark_clipped(ax, x, y, side, colour)
                        clipped = True
            ax.plot(g["effect_size"], pos, MARKERS[j % len(MARKERS)], ms=5, color=colour, ls="none")
            ax.axvline(0, color="black", linewidth=0.9)
            ax.set_title(shorten(labels.group_level(group_var, group), 28), loc="left")
            ax.grid(axis="x", color="#E5E5E5", lw=0.8)
            ax.set_axisbelow(True)
        for ax in axes.ravel()[len(groups) :]:
            ax.set_visible(False)
        axes[0, 0].set_xlim(*limits)
        axes[0, 0].set_ylim(-len(order) + 0.5, 0.5)
        if kind == "scale":
            ticks = [shorten(labels.scale(o), width) for o in order]
        else:
            ticks = [item_label(labels, o, width) for o in order]
        axes[0, 0].set_yticks(-np.arange(len(order)), ticks)
        for ax in axes[:, 0]:
            ax.tick_params(axis="y", length=0)
        subfig.supxlabel(
            t["effect"].format(name=effect_name(name, language), group=group_word, ref=ref_label),
            fontsize=FONT,
        )
    return fig, clipped
