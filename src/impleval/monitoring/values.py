"""Numbers the monitoring chapter quotes, formatted for the report language (results/values)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval import fmt
from impleval.monitoring.settings import site_labels

NONE = {"nb": "ingen", "en": "none"}
AND = {"nb": " og ", "en": " and "}


def _join(items: list[str], language: str) -> str:
    if not items:
        return NONE[language]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + AND[language] + items[-1]


def _date(value, language: str) -> str:
    ts = pd.Timestamp(value)
    return ts.strftime("%d.%m.%Y") if language == "nb" else ts.strftime("%Y-%m-%d")


def _effect(rows: pd.DataFrame, parameter: str, language: str, digits: int, horizon=None) -> dict:
    sel = rows[rows["parameter"] == parameter]
    if horizon is not None:
        sel = sel[sel["horizon_weeks"] == horizon]
    if sel.empty:
        return {}
    r = sel.iloc[0]
    if parameter == "relative_effect":
        low = fmt.percent(r["ci_low"], 1, language)
        high = fmt.percent(r["ci_high"], 1, language)
        return {
            "estimate": fmt.percent(r["estimate"], 1, language),
            "ci": f"[{low}; {high}]" if language == "nb" else f"[{low}, {high}]",
        }
    return {
        "estimate": fmt.number(r["estimate"], digits, language),
        "ci": fmt.interval(r["ci_low"], r["ci_high"], digits, language),
        "p": fmt.pvalue(r["p_value"], language),
    }


def build_values(
    tables: dict[str, pd.DataFrame], definition: dict, organisation: dict, language: str
) -> dict:
    labels = site_labels(organisation)
    primary = definition["primary_outcome"]
    analysis = definition["analysis"]
    horizons = analysis["horizons_weeks"]
    sites, est = tables["monitoring_sites"], tables["its_estimates"]
    needed, diag = tables["monitoring_weeks_needed"], tables["its_diagnostics"]
    est_p = est[est["outcome"] == primary]
    intervention = sites[sites["role"] == "intervention"]
    values: dict = {
        "first_week": _date(sites["first_period"].dropna().min(), language),
        "last_week": _date(sites["last_period"].dropna().max(), language),
        "n_sites": fmt.integer(len(sites[sites["role"] != "no_data"]), language),
        "n_intervention": fmt.integer(len(intervention), language),
        "comparison_sites": _join(
            [labels[s] for s in sites.loc[sites["role"] == "comparison", "site"]], language
        ),
        "warn_sites": _join(
            [labels[s] for s in intervention.loc[intervention["baseline"] == "warn", "site"]],
            language,
        ),
        "n_warn": fmt.integer((intervention["baseline"] == "warn").sum(), language),
        "refused_sites": _join(
            [labels[s] for s in intervention.loc[intervention["baseline"] == "refused", "site"]],
            language,
        ),
        "warn_below": fmt.integer(analysis["baseline"]["warn_below"], language),
        "refuse_below": fmt.integer(analysis["baseline"]["refuse_below"], language),
        "horizons": _join([fmt.integer(h, language) for h in horizons], language),
        "phase_in_weeks": fmt.integer(analysis.get("phase_in_weeks", 0), language),
        "target_slope": fmt.number(
            definition["outcomes"][primary]["target_slope_change"], 2, language
        ),
        "power": fmt.percent(analysis["precision"]["power"], 0, language),
        "max_post_weeks": fmt.integer(analysis["precision"]["max_post_weeks"], language),
        "ci_level": fmt.percent(1 - analysis["alpha"], 0, language),
        "alpha": fmt.number(analysis["alpha"], 2, language),
        "hac_maxlags": fmt.integer(analysis["hac_maxlags"], language),
    }
    pooled = est_p[est_p["site"] == "pooled"]
    values["pooled"] = {
        "level_change": _effect(pooled, "level_change", language, 1),
        "slope_change": _effect(pooled, "slope_change", language, 3),
        **{f"effect_{h}": _effect(pooled, "effect_at_horizon", language, 1, h) for h in horizons},
    }
    per_site = {}
    for site in intervention["site"]:
        rows = est_p[est_p["site"] == site]
        need = (
            needed[(needed["site"] == site) & (needed["outcome"] == primary)]
            if len(needed)
            else needed
        )
        entry = {
            "label": labels[site],
            "level_change": _effect(rows, "level_change", language, 1),
            "slope_change": _effect(rows, "slope_change", language, 3),
            **{f"effect_{h}": _effect(rows, "effect_at_horizon", language, 1, h) for h in horizons},
            **{f"relative_{h}": _effect(rows, "relative_effect", language, 1, h) for h in horizons},
        }
        if len(need):
            n = need.iloc[0]
            entry["post_weeks"] = fmt.integer(n["post_weeks_now"], language)
            entry["weeks_to_target"] = fmt.integer(n["weeks_to_target"], language)
            entry["extra_weeks_to_target"] = fmt.integer(n["extra_weeks_to_target"], language)
        per_site[site] = entry
    values["sites"] = per_site
    values["precision"] = _precision_summary(needed, primary, labels, language, analysis)
    checked = (
        diag.dropna(subset=["crosscheck_agrees"]) if "crosscheck_agrees" in diag else diag.iloc[0:0]
    )
    values["crosscheck"] = {
        "n_agree": fmt.integer(int(checked["crosscheck_agrees"].astype(bool).sum()), language),
        "n_total": fmt.integer(len(checked), language),
    }
    counts = est[
        (est["outcome"] != primary)
        & (est["site"] != "pooled")
        & est["parameter"].isin(["level_change", "slope_change"])
    ]
    flagged = sorted(set(counts.loc[counts["p_value"] < analysis["alpha"], "site"]))
    values["counts"] = {
        "flagged_sites": _join([labels[s] for s in flagged], language),
        "n_flagged": fmt.integer(len(flagged), language),
    }
    return values


def _precision_summary(
    needed: pd.DataFrame, primary: str, labels: dict, language: str, analysis: dict
) -> dict:
    if needed.empty:
        return {}
    n = needed[needed["outcome"] == primary]
    settled = n[n["extra_weeks_to_target"] == 0]
    more = n[n["extra_weeks_to_target"] > 0]
    never = n[n["weeks_to_target"].isna()]
    return {
        "settled_sites": _join([labels[s] for s in settled["site"]], language),
        "n_settled": fmt.integer(len(settled), language),
        "more_sites": _join(
            [
                f"{labels[s]} ({fmt.integer(w, language)})"
                for s, w in zip(more["site"], more["extra_weeks_to_target"], strict=True)
            ],
            language,
        ),
        "n_more": fmt.integer(len(more), language),
        "beyond_sites": _join([labels[s] for s in never["site"]], language),
        # The median is over the hospitals that reach the target within max_post_weeks only (the
        # others are censored); the chapter says so and quotes n_reaching of n_total.
        "n_reaching": fmt.integer(int(n["weeks_to_target"].notna().sum()), language),
        "n_total": fmt.integer(len(n), language),
        "median_weeks_to_target": fmt.integer(
            float(np.nanmedian(n["weeks_to_target"]))
            if n["weeks_to_target"].notna().any()
            else np.nan,
            language,
        ),
    }
