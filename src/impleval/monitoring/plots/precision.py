"""How long to keep monitoring: minimal detectable slope change by weeks after go-live."""

from __future__ import annotations

import pandas as pd

from impleval.config import label
from impleval.figures import (
    FONT_SMALL,
    FONT_TITLE,
    LINESTYLES,
    OKABE_ITO,
    WIDTH_IN,
    label_line_ends,
    localise_numbers,
    shorten,
)
from impleval.monitoring.plots.common import (
    TEXT,
    empty_figure,
    on_log_scale,
    pyplot,
    to_percent,
)


def precision_figure(precision: pd.DataFrame, definition: dict, site_labels: dict, language: str):
    """Minimal detectable slope change against post-go-live weeks; one panel per outcome (one
    above the other), each site's line labelled at its end, the target as a labelled line.

    Count models' log rate ratios per week are drawn as per cent change in the rate per week."""
    plt = pyplot()
    lab = definition["labels"]
    outcomes = [o for o in definition["outcomes"] if o in set(precision["outcome"])]
    if not outcomes:
        return empty_figure(language)
    fig, axes = plt.subplots(
        len(outcomes),
        1,
        figsize=(WIDTH_IN, 4.4 * len(outcomes) + 0.2),
        squeeze=False,
        layout="constrained",
    )
    sites = list(dict.fromkeys(precision["site"]))
    for j, outcome in enumerate(outcomes):
        ax = axes[j, 0]
        spec = definition["outcomes"][outcome]
        log = on_log_scale(pd.DataFrame(), definition, outcome)
        scale = to_percent if log else (lambda v: pd.Series(v, dtype=float).to_numpy())
        ends = []
        for k, site in enumerate(sites):
            d = precision[(precision["site"] == site) & (precision["outcome"] == outcome)]
            if d.empty:
                continue
            colour = OKABE_ITO[k % len(OKABE_ITO)]
            style = LINESTYLES[(k // len(OKABE_ITO)) % len(LINESTYLES)]
            values = scale(d["min_detectable_slope"])
            ax.plot(d["post_weeks"], values, style, color=colour, lw=1.5, label=site_labels[site])
            now = d[d["observed"].astype(bool)]
            if len(now):
                ax.plot(
                    now["post_weeks"].iloc[-1],
                    scale(now["min_detectable_slope"]).ravel()[-1],
                    "o",
                    color=colour,
                    ms=6,
                    mec="white",
                    mew=0.8,
                    zorder=3,
                )
            label_text = shorten(site_labels[site], 32)
            ends.append((d["post_weeks"].iloc[-1], values[-1], label_text, colour, style))
        target = float(scale([spec["target_slope_change"]])[0])
        ax.axhline(target, color="black", lw=1.0, ls="-.")
        ax.annotate(
            label(lab, "target", language),
            xy=(0.0, target),
            xycoords=("axes fraction", "data"),
            xytext=(2, 3),
            textcoords="offset points",
            fontsize=FONT_SMALL,
        )
        ax.set_yscale("log")
        ax.set_xlabel(label(lab, "post_weeks", language))
        unit = (
            TEXT[language]["percent"]
            if log
            else label({"u": spec.get("unit", {"nb": ""})}, "u", language)
        )
        per = label(lab, "per_week", language)
        ax.set_ylabel(
            f"{label(lab, 'min_detectable', language)}\n({unit} {per}, {TEXT[language]['log']})"
        )
        ax.set_title(
            label({"l": spec["label"]}, "l", language),
            loc="left",
            fontsize=FONT_TITLE,
            fontweight="bold",
        )
        ax.grid(axis="y", which="major", color="#E5E5E5", lw=0.8)
        localise_numbers(fig, language)  # 1-2-5 ticks on the log axis before the labels go on
        label_line_ends(ax, ends)
    alt = {
        "nb": (
            f"Linjediagram med logaritmisk y-akse: for hvert av {len(sites)} steder faller den "
            "minste påvisbare "
            "endringen i stigningstall jo flere uker etter oppstart som er fulgt. Et punkt "
            "markerer dagens "
            "antall uker, og en vannrett linje viser målet."
        ),
        "en": (
            f"Line chart with a logarithmic y axis: for each of {len(sites)} sites the "
            "minimal detectable "
            "slope change falls as more weeks after go-live are followed. A dot marks today's "
            "number of weeks "
            "and a horizontal line shows the target."
        ),
    }[language]
    return fig, alt
