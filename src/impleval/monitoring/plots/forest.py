"""Forest plot of the per-site and pooled ITS estimates."""

from __future__ import annotations

import pandas as pd

from impleval.config import label
from impleval.figures import (
    FONT_SMALL,
    FONT_TITLE,
    NOT_RELEVANT_GREY,
    OKABE_ITO,
    WIDTH_IN,
    localise_numbers,
    mark_clipped,
)
from impleval.monitoring.plots.common import (
    TEXT,
    empty_figure,
    on_log_scale,
    pyplot,
    to_percent,
)


def forest_figure(estimates: pd.DataFrame, definition: dict, site_labels: dict, language: str):
    """Level and slope change with CIs; rows: outcomes; open markers for short baselines.

    Count models' log rate ratios are drawn as per cent change in the rate (as the report's
    tables print them); an interval of a short baseline that would squash every other site is cut
    at the axis with an arrow (`forest_clipped` tells the caption)."""
    plt = pyplot()
    lab = definition["labels"]
    outcomes = [o for o in definition["outcomes"] if o in set(estimates["outcome"])]
    if not outcomes:
        return empty_figure(language)
    params = ["level_change", "slope_change"]
    sites = [s for s in dict.fromkeys(estimates["site"]) if s != "pooled"] + ["pooled"]
    fig, axes = plt.subplots(
        len(outcomes),
        2,
        figsize=(WIDTH_IN, (0.3 * len(sites) + 1.3) * len(outcomes) + 0.2),
        squeeze=False,
        sharey=True,
        layout="constrained",
    )
    names = {**site_labels, "pooled": label(lab, "pooled", language)}
    for i, outcome in enumerate(outcomes):
        rows = estimates[estimates["outcome"] == outcome]
        log = on_log_scale(rows, definition, outcome)
        for j, param in enumerate(params):
            ax = axes[i, j]
            d = rows[rows["parameter"] == param].set_index("site")
            if log:
                d = d.assign(
                    estimate=to_percent(d["estimate"]),
                    ci_low=to_percent(d["ci_low"]),
                    ci_high=to_percent(d["ci_high"]),
                )
            lo, hi = _forest_limits(d)
            for k, site in enumerate(sites):
                if site not in d.index:
                    continue
                r = d.loc[site]
                y = len(sites) - 1 - k
                colour = OKABE_ITO[7] if site == "pooled" else OKABE_ITO[0]
                face = "white" if r["baseline"] == "warn" else colour
                est = min(max(r["estimate"], lo), hi)
                left, right = min(max(r["ci_low"], lo), est), max(min(r["ci_high"], hi), est)
                ax.errorbar(
                    est,
                    y,
                    xerr=[[est - left], [right - est]],
                    fmt=("D" if site == "pooled" else "o")
                    if lo <= r["estimate"] <= hi
                    else "none",  # an estimate off the axis is written as a number, not drawn
                    color=colour,
                    mfc=face,
                    ms=6,
                    mew=1.2,
                    capsize=2.5,
                    lw=1.2,
                )
                if r["ci_low"] < lo:  # a short baseline's interval would squash every other site
                    mark_clipped(ax, lo, y, "low", colour)
                if r["ci_high"] > hi:
                    mark_clipped(ax, hi, y, "high", colour)
                if not lo <= r["estimate"] <= hi:  # the estimate itself is off the axis: say it
                    ax.annotate(
                        number_text(r["estimate"], language),
                        xy=(est, y),
                        xytext=(8 if est == lo else -8, 7),
                        textcoords="offset points",
                        ha="left" if est == lo else "right",
                        fontsize=FONT_SMALL,
                        color=colour,
                    )
            ax.set_xlim(lo, hi)
            ax.axvline(0, color=NOT_RELEVANT_GREY, lw=1.0)
            ax.set_yticks(range(len(sites)), [names[s] for s in sites][::-1])
            ax.tick_params(axis="y", length=0)
            ax.grid(axis="x", color="#E5E5E5", lw=0.8)
            ax.set_axisbelow(True)
            unit = (
                TEXT[language]["percent"]
                if log
                else label(
                    {"u": definition["outcomes"][outcome].get("unit", {"nb": ""})}, "u", language
                )
            )
            per = f" {label(lab, 'per_week', language)}" if param == "slope_change" else ""
            ax.set_xlabel(f"{label(lab, param, language)}\n({unit}{per})")
            if j == 0:
                ax.set_title(
                    label({"l": definition["outcomes"][outcome]["label"]}, "l", language),
                    loc="left",
                    fontsize=FONT_TITLE,
                    fontweight="bold",
                )
    localise_numbers(fig, language)
    alt = {
        "nb": (
            "Forest-plott med ett punkt og konfidensintervall per sted og et samlet estimat "
            "nederst, "
            f"for nivåendring (venstre) og endring i stigningstall (høyre), for {len(outcomes)} "
            "utfall. "
            "Den loddrette linjen ved null betyr ingen endring."
        ),
        "en": (
            "Forest plot with one point and confidence interval per site and a pooled "
            "estimate at the "
            f"bottom, for level change (left) and slope change (right), for {len(outcomes)} "
            "outcomes. "
            "The vertical line at zero means no change."
        ),
    }[language]
    return fig, alt


def _forest_limits(d: pd.DataFrame) -> tuple[float, float]:
    """Axis range from the adequately based estimates (and zero), padded by 15 %."""
    ok = d[d["baseline"] != "warn"] if (d["baseline"] != "warn").any() else d
    lo = min(0.0, float(ok["ci_low"].min()))
    hi = max(0.0, float(ok["ci_high"].max()))
    pad = 0.15 * (hi - lo or 1.0)
    return lo - pad, hi + pad


def forest_clipped(estimates: pd.DataFrame, definition: dict) -> bool:
    """Whether `forest_figure` cuts any interval at an axis limit (an arrow in the figure)."""
    for outcome in definition["outcomes"]:
        for param in ("level_change", "slope_change"):
            d = estimates[(estimates["outcome"] == outcome) & (estimates["parameter"] == param)]
            if d.empty:
                continue
            lo, hi = _forest_limits(d)
            if (d["ci_low"] < lo).any() or (d["ci_high"] > hi).any():
                return True
    return False


def number_text(x: float, language: str) -> str:
    """An estimate off the axis, to two significant digits."""
    import math

    from impleval import fmt

    digits = max(0, 1 - math.floor(math.log10(abs(x)))) if x else 0
    return fmt.number(x, digits, language)
