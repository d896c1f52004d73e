"""Odds ratios of the proportional-odds models per item: unadjusted and adjusted, one panel per
group of the adjusted model's group variable against its reference (from survey_ordinal.csv)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from impleval.figures import (
    FONT_SMALL,
    OKABE_ITO,
    WIDTH_IN,
    chars_per_line,
    interval_within,
    mark_clipped,
    message_figure,
    shorten,
    use_report_style,
)
from impleval.survey.plots.common import TEXT, data_limits, item_label

NCOL = 3  # panels a row
ROW_IN = 0.26
LABEL_IN = 2.6


def ratio_ticks(limits: tuple[float, float]) -> list[float]:
    """Ticks at powers of two within the limits (0,25 0,5 1 2 4), or of ten on a wide range."""
    lo, hi = limits
    base = 2.0 if math.log2(hi / lo) <= 8 else 10.0
    first, last = math.ceil(math.log(lo, base) - 1e-9), math.floor(math.log(hi, base) + 1e-9)
    ticks = [base**k for k in range(first, last + 1)]
    return ticks if len(ticks) >= 2 else sorted({lo, 1.0, hi})


def odds_ratios(
    ordinal: pd.DataFrame,
    items: list[str],
    group_var: str,
    groups: list[str],
    labels,
    covariates: str,
    language: str,
):
    """Group odds ratios per item, unadjusted vs adjusted, one panel per group (NCOL a row).

    The reference is the table's own `reference` column; `covariates` names what the adjusted
    model adjusts for (words). Returns (figure, whether any interval was cut at an axis limit)."""
    use_report_style()
    import matplotlib.pyplot as plt

    t = TEXT[language]
    rows = ordinal[(ordinal["variable"] == group_var) & ordinal["level"].astype(str).isin(groups)]
    rows = rows.assign(level=rows["level"].astype(str))
    order = [i for i in items if i in set(rows["outcome"])]
    shown = [g for g in groups if g in set(rows["level"])]
    if not shown or not order:
        return message_figure(t["no_models"].format(group=labels.group_var(group_var))), False
    refs = rows["reference"].dropna().astype(str).unique() if "reference" in rows else []
    reference = labels.group_level(group_var, refs[0]) if len(refs) else ""
    ncol = min(NCOL, max(1, len(shown)))
    nrow = math.ceil(len(shown) / ncol)
    limits = data_limits(rows["ci_low"], rows["ci_high"], include=1.0, log=True)
    width = chars_per_line(LABEL_IN)
    fig, axes = plt.subplots(
        nrow,
        ncol,
        figsize=(WIDTH_IN, nrow * (ROW_IN * len(order) + 1.3) + 0.4),
        sharey=True,
        sharex=True,
        squeeze=False,
        layout="constrained",
    )
    models = [
        ("unadjusted", OKABE_ITO[1], "s", 0.17, t["unadjusted"]),
        ("adjusted", OKABE_ITO[0], "o", -0.17, t["adjusted"].format(covariates=covariates)),
    ]
    clipped = False
    for ax, group in zip(axes.ravel(), shown, strict=False):
        for model, colour, marker, shift, name in models:
            g = (
                rows[(rows["level"] == group) & (rows["model"] == model)]
                .set_index("outcome")
                .reindex(order)
            )
            pos = -np.arange(len(order)) + shift
            for y, est, lo, hi in zip(pos, g["odds_ratio"], g["ci_low"], g["ci_high"], strict=True):
                if not (np.isfinite(est) and est > 0):
                    continue
                low = lo if np.isfinite(lo) and lo > 0 else -math.inf
                left, right, cut_lo, cut_hi = interval_within(est, low, hi, limits)
                ax.plot([left, right], [y, y], color=colour, lw=1.2, solid_capstyle="butt")
                for cut, side, x in ((cut_lo, "low", limits[0]), (cut_hi, "high", limits[1])):
                    if cut:
                        mark_clipped(ax, x, y, side, colour)
                        clipped = True
            ax.plot(g["odds_ratio"], pos, marker, ms=4.5, color=colour, ls="none", label=name)
        ax.axvline(1, color="black", linewidth=0.9)
        ax.set_xscale("log")
        ax.set_xlim(*limits)
        ax.set_xticks(ratio_ticks(limits))
        ax.set_xticks([], minor=True)
        ax.set_title(shorten(labels.group_level(group_var, group), 28), loc="left")
        ax.grid(axis="x", color="#E5E5E5", lw=0.8)
        ax.set_axisbelow(True)
    for ax in axes.ravel()[len(shown) :]:
        ax.set_visible(False)
    axes[0, 0].set_yticks(-np.arange(len(order)), [item_label(labels, i, width) for i in order])
    axes[0, 0].set_ylim(-len(order) + 0.5, 0.6)
    for ax in axes[:, 0]:
        ax.tick_params(axis="y", length=0)
    fig.supxlabel(t["or"].format(ref=reference), fontsize=FONT_SMALL + 1)
    handles, names = axes[0, 0].get_legend_handles_labels()
    fig.legend(
        handles, names, loc="outside upper center", ncol=2, frameon=False, fontsize=FONT_SMALL
    )
    return fig, clipped
