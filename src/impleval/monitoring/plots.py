"""Monitoring figures: per-site series, forest plot, implementation timeline, precision curves.

Each builder returns (figure, alt text); the caller saves with `impleval.figures.save_figure`.
Observed values suppressed by the small-cell rule are NA in the tables and are never drawn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.config import label
from impleval.figures import NOT_RELEVANT_GREY, OKABE_ITO

MARKERS = ["o", "s", "D", "^", "v", "P", "X", "*"]


def _plt():
    import matplotlib.pyplot as plt

    return plt


def series_figure(fitted: pd.DataFrame, sites: pd.DataFrame, definition: dict, site_labels: dict,
                  language: str):
    """Rows: sites (intervention by go-live, then comparison); columns: outcomes."""
    plt = _plt()
    lab = definition["labels"]
    outcomes = [o for o in definition["outcomes"] if o in set(fitted["outcome"])]
    order = sites[sites["role"] != "no_data"].sort_values(["role", "go_live", "site"], ascending=[False, True, True])
    order = order[order["site"].isin(set(fitted["site"]))]
    n = len(order)
    fig, axes = plt.subplots(n, len(outcomes), figsize=(5.2 * len(outcomes), 1.9 * n + 0.6),
                             squeeze=False, sharex=True)
    for i, row in enumerate(order.itertuples(index=False)):
        for j, outcome in enumerate(outcomes):
            ax = axes[i, j]
            d = fitted[(fitted["site"] == row.site) & (fitted["outcome"] == outcome)]
            ax.plot(d["week_start"], d["observed"], ".", ms=2.5, color=NOT_RELEVANT_GREY,
                    label=label(lab, "observed", language))
            ax.plot(d["week_start"], d["fitted"], "-", lw=1.3, color=OKABE_ITO[0], label=label(lab, "fitted", language))
            ax.plot(d["week_start"], d["counterfactual"], "--", lw=1.3, color=OKABE_ITO[5],
                    label=label(lab, "counterfactual", language))
            if isinstance(row.go_live, str):
                ax.axvline(pd.Timestamp(row.go_live), color="black", ls=":", lw=1,
                           label=label(lab, "go_live", language))
            title = site_labels[row.site]
            if row.role == "comparison":
                title += f" ({label(lab, 'comparison', language)})"
            elif row.baseline == "warn":
                title += f" ({label(lab, 'baseline_warning', language)})"
            ax.set_title(title, fontsize=9, loc="left")
            if i == 0:
                ax.annotate(label({"l": definition["outcomes"][outcome]["label"]}, "l", language),
                            xy=(0.5, 1.35), xycoords="axes fraction", ha="center", fontsize=10, weight="bold")
    handles, names = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, names, loc="upper center", ncol=4, frameon=False, bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / (1.9 * n + 0.6)))
    intervention = order[order["role"] == "intervention"]
    alt = {
        "nb": (f"{n} små diagrammer, ett per sykehus og utfall, med ukentlige verdier fra "
               f"{fitted['week_start'].min():%Y} til {fitted['week_start'].max():%Y}. "
               f"{len(intervention)} sykehus har en oppstartsdato markert med loddrett linje; etter den viser "
               "en stiplet linje hva modellen forventer uten KI."),
        "en": (f"{n} small charts, one per hospital and outcome, with weekly values from "
               f"{fitted['week_start'].min():%Y} to {fitted['week_start'].max():%Y}. "
               f"{len(intervention)} hospitals have a go-live date marked by a vertical line; after it a dashed "
               "line shows what the model expects without AI."),
    }[language]
    return fig, alt


def forest_figure(estimates: pd.DataFrame, definition: dict, site_labels: dict, language: str):
    """Level and slope change with CIs; rows: outcomes; open markers for short baselines."""
    plt = _plt()
    lab = definition["labels"]
    outcomes = [o for o in definition["outcomes"] if o in set(estimates["outcome"])]
    params = ["level_change", "slope_change"]
    sites = [s for s in dict.fromkeys(estimates["site"]) if s != "pooled"] + ["pooled"]
    fig, axes = plt.subplots(len(outcomes), 2, figsize=(9, 0.38 * len(sites) * len(outcomes) + 1.2), squeeze=False)
    names = {**site_labels, "pooled": label(lab, "pooled", language)}
    for i, outcome in enumerate(outcomes):
        for j, param in enumerate(params):
            ax = axes[i, j]
            d = estimates[(estimates["outcome"] == outcome) & (estimates["parameter"] == param)].set_index("site")
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
                ax.errorbar(est, y, xerr=[[est - left], [right - est]], fmt="D" if site == "pooled" else "o",
                            color=colour, mfc=face, ms=5, capsize=2, lw=1)
                if r["ci_low"] < lo:  # a short baseline's interval would squash every other site
                    ax.plot(lo, y, "<", color=colour, ms=6)
                if r["ci_high"] > hi:
                    ax.plot(hi, y, ">", color=colour, ms=6)
            ax.set_xlim(lo, hi)
            ax.axvline(0, color=NOT_RELEVANT_GREY, lw=0.8)
            ax.set_yticks(range(len(sites)))
            ax.set_yticklabels([names[s] for s in sites][::-1] if j == 0 else [])
            unit = label({"u": definition["outcomes"][outcome].get("unit", {"nb": ""})}, "u", language)
            per = f" {label(lab, 'per_week', language)}" if param == "slope_change" else ""
            ax.set_xlabel(f"{label(lab, param, language)} ({unit}{per})", fontsize=9)
            if j == 0:
                ax.set_title(label({"l": definition["outcomes"][outcome]["label"]}, "l", language), loc="left", fontsize=10)
    fig.tight_layout()
    alt = {
        "nb": (f"Forest-plott med ett punkt og konfidensintervall per sykehus og et samlet estimat nederst, "
               f"for nivåendring (venstre) og endring i stigningstall (høyre), for {len(outcomes)} utfall. "
               "Den loddrette linjen ved null betyr ingen endring."),
        "en": (f"Forest plot with one point and confidence interval per hospital and a pooled estimate at the "
               f"bottom, for level change (left) and slope change (right), for {len(outcomes)} outcomes. "
               "The vertical line at zero means no change."),
    }[language]
    return fig, alt


def _forest_limits(d: pd.DataFrame) -> tuple[float, float]:
    """Axis range from the adequately based estimates (and zero), padded by 15 %."""
    ok = d[d["baseline"] != "warn"] if (d["baseline"] != "warn").any() else d
    lo = min(0.0, float(ok["ci_low"].min()))
    hi = max(0.0, float(ok["ci_high"].max()))
    pad = 0.15 * (hi - lo or 1.0)
    return lo - pad, hi + pad


def timeline_figure(timeline: pd.DataFrame, definition: dict, language: str):
    plt = _plt()
    kinds = definition["milestones"]["kinds"]
    kind_labels = definition["milestones"].get("labels", {})
    sites = timeline.drop_duplicates("site")
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(sites) + 1.4))
    for row in sites.itertuples(index=False):
        dates = timeline.loc[(timeline["site"] == row.site) & timeline["date"].notna(), "date"]
        if len(dates) > 1:
            ax.plot([dates.min(), dates.max()], [row.y, row.y], color=NOT_RELEVANT_GREY, lw=1.5, zorder=1)
    for k, kind in enumerate(kinds):
        d = timeline[timeline["milestone"] == kind]
        ax.scatter(d["date"], d["y"], marker=MARKERS[k % len(MARKERS)], color=OKABE_ITO[k % len(OKABE_ITO)],
                   s=42, zorder=2, label=label(kind_labels, kind, language))
    ax.set_yticks(sites["y"])
    ax.set_yticklabels([f"{r.site_label} – {r.region_label}" for r in sites.itertuples(index=False)], fontsize=8)
    for _, group in sites.groupby("region_order"):
        ax.axhline(group["y"].min() - 0.5, color="#DDDDDD", lw=0.8)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=len(kinds), frameon=False, fontsize=8)
    fig.tight_layout()
    n_go = int(timeline.loc[timeline["milestone"] == "go_live", "site"].nunique())
    first, last = timeline["date"].min(), timeline["date"].max()
    alt = {
        "nb": (f"Tidslinje med én rad per sykehus ({len(sites)} sykehus, gruppert etter helseregion) fra "
               f"{first:%Y} til {last:%Y}. Symbolene viser anskaffelse, validering, oppstart og "
               f"etterimplementering. {n_go} sykehus har tatt løsningen i bruk."),
        "en": (f"Timeline with one row per hospital ({len(sites)} hospitals, grouped by health region) from "
               f"{first:%Y} to {last:%Y}. Symbols mark procurement, validation, go-live and post-implementation. "
               f"{n_go} hospitals have gone live."),
    }[language]
    return fig, alt


def precision_figure(precision: pd.DataFrame, definition: dict, site_labels: dict, language: str):
    """Minimal detectable slope change against post-go-live weeks; one panel per outcome."""
    plt = _plt()
    lab = definition["labels"]
    outcomes = [o for o in definition["outcomes"] if o in set(precision["outcome"])]
    fig, axes = plt.subplots(1, len(outcomes), figsize=(5.2 * len(outcomes), 4.2), squeeze=False)
    sites = list(dict.fromkeys(precision["site"]))
    for j, outcome in enumerate(outcomes):
        ax = axes[0, j]
        for k, site in enumerate(sites):
            d = precision[(precision["site"] == site) & (precision["outcome"] == outcome)]
            if d.empty:
                continue
            colour, ls = OKABE_ITO[k % len(OKABE_ITO)], ["-", "--", ":"][k // len(OKABE_ITO) % 3]
            ax.plot(d["post_weeks"], d["min_detectable_slope"], ls, color=colour, lw=1.3, label=site_labels[site])
            now = d[d["observed"].astype(bool)]
            if len(now):
                ax.plot(now["post_weeks"].iloc[-1], now["min_detectable_slope"].iloc[-1], "o", color=colour, ms=5)
        target = definition["outcomes"][outcome]["target_slope_change"]
        ax.axhline(target, color="black", lw=0.9, ls="-.")
        ax.set_yscale("log")
        ax.set_xlabel(label(lab, "post_weeks", language))
        ax.set_ylabel(label(lab, "min_detectable", language), fontsize=9)
        ax.set_title(label({"l": definition["outcomes"][outcome]["label"]}, "l", language), loc="left", fontsize=10)
    axes[0, -1].legend(fontsize=7, frameon=False, loc="upper right")
    fig.tight_layout()
    alt = {
        "nb": (f"Linjediagram med logaritmisk y-akse: for hvert av {len(sites)} sykehus faller den minste påvisbare "
               "endringen i stigningstall jo flere uker etter oppstart som er fulgt. Et punkt markerer dagens "
               "antall uker, og en vannrett linje viser målet."),
        "en": (f"Line chart with a logarithmic y axis: for each of {len(sites)} hospitals the minimal detectable "
               "slope change falls as more weeks after go-live are followed. A dot marks today's number of weeks "
               "and a horizontal line shows the target."),
    }[language]
    return fig, alt


def caption(definition: dict, name: str, language: str, **fields) -> str:
    return label(definition.get("figures", {}), name, language).format(**fields)
