"""Forest plot of the per-site and pooled ITS estimates."""

from __future__ import annotations

import pandas as pd

from impleval.config import label
from impleval.figures import NOT_RELEVANT_GREY, OKABE_ITO
from impleval.monitoring.plots.common import empty_figure, pyplot


def forest_figure(estimates: pd.DataFrame, definition: dict, site_labels: dict, language: str):
    """Level and slope change with CIs; rows: outcomes; open markers for short baselines."""
    plt = pyplot()
    lab = definition["labels"]
    outcomes = [o for o in definition["outcomes"] if o in set(estimates["outcome"])]
    if not outcomes:
        return empty_figure(language)
    params = ["level_change", "slope_change"]
    sites = [s for s in dict.fromkeys(estimates["site"]) if s != "pooled"] + ["pooled"]
    fig, axes = plt.subplots(
        len(outcomes), 2, figsize=(9, 0.38 * len(sites) * len(outcomes) + 1.2), squeeze=False
    )
    names = {**site_labels, "pooled": label(lab, "pooled", language)}
    for i, outcome in enumerate(outcomes):
        for j, param in enumerate(params):
            ax = axes[i, j]
            d = estimates[
                (estimates["outcome"] == outcome) & (estimates["parameter"] == param)
            ].set_index("site")
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
                    fmt="D" if site == "pooled" else "o",
                    color=colour,
                    mfc=face,
                    ms=5,
                    capsize=2,
                    lw=1,
                )
                if r["ci_low"] < lo:  # a short baseline's interval would squash every other site
                    ax.plot(lo, y, "<", color=colour, ms=6)
                if r["ci_high"] > hi:
                    ax.plot(hi, y, ">", color=colour, ms=6)
            ax.set_xlim(lo, hi)
            ax.axvline(0, color=NOT_RELEVANT_GREY, lw=0.8)
            ax.set_yticks(range(len(sites)))
            ax.set_yticklabels([names[s] for s in sites][::-1] if j == 0 else [])
            unit = label(
                {"u": definition["outcomes"][outcome].get("unit", {"nb": ""})}, "u", language
            )
            per = f" {label(lab, 'per_week', language)}" if param == "slope_change" else ""
            ax.set_xlabel(f"{label(lab, param, language)} ({unit}{per})", fontsize=9)
            if j == 0:
                ax.set_title(
                    label({"l": definition["outcomes"][outcome]["label"]}, "l", language),
                    loc="left",
                    fontsize=10,
                )
    fig.tight_layout()
    alt = {
        "nb": (
            "Forest-plott med ett punkt og konfidensintervall per sykehus og et samlet estimat "
            "nederst, "
            f"for nivåendring (venstre) og endring i stigningstall (høyre), for {len(outcomes)} "
            "utfall. "
            "Den loddrette linjen ved null betyr ingen endring."
        ),
        "en": (
            "Forest plot with one point and confidence interval per hospital and a pooled "
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
