"""Axis texts, labels and interval marks shared by the survey figures.

The words here are method words, the same for every study; every name of a group, scale or item
comes from the study definitions through `impleval.report.context.Labels` (the report's own
labels, so figure and text agree).
"""

from __future__ import annotations

import numpy as np

TEXT = {
    "nb": {
        "share": "Andel svar (%)",
        "nr": "Ikke relevant /\nvet ikke (%)",
        "effect": "{name}, {group} mot {ref}\n(> 0: høyere svar enn i {ref})",
        "or": "Oddsratio mot {ref} (log-skala;\n> 1: høyere svar enn i {ref})",
        "unadjusted": "Ujustert",
        "adjusted": "Justert for {covariates}",
        "score": "Skåre ({low}–{high})",
        "clipped": "Piler: intervallet går utenfor aksen.",
        "no_pairs": "Ingen parvise sammenligninger for {group} (ikke valgt i analysedefinisjonen, "
        "eller for få svar).",
        "no_models": "Ingen oddsratioer for {group} (ingen modeller med svar nok).",
    },
    "en": {
        "share": "Share of answers (%)",
        "nr": "Not relevant /\ndon't know (%)",
        "effect": "{name}, {group} vs {ref}\n(> 0: higher answers than in {ref})",
        "or": "Odds ratio vs {ref} (log scale;\n> 1: higher answers than in {ref})",
        "unadjusted": "Unadjusted",
        "adjusted": "Adjusted for {covariates}",
        "score": "Score ({low}–{high})",
        "clipped": "Arrows: the interval extends beyond the axis.",
        "no_pairs": "No pairwise comparisons by {group} (not chosen in the analysis definition, "
        "or too few answers).",
        "no_models": "No odds ratios by {group} (no model with enough answers).",
    },
}

# Effect-size ids of survey_pairwise.csv (`effect_size_name`) with their unit in words.
EFFECT_NAMES = {
    "hedges_g": {"nb": "Hedges g (standardisert forskjell)", "en": "Hedges' g (standardised)"},
    "cliffs_delta": {"nb": "Cliffs δ (fra −1 til 1)", "en": "Cliff's δ (from −1 to 1)"},
}


def effect_name(name: str, language: str) -> str:
    return EFFECT_NAMES.get(name, {}).get(language, str(name))


def item_label(labels, item: str, width: int) -> str:
    """'CO1 · wording…': the item code (the key to the report's item table) and its wording,
    shortened to `width` characters in all."""
    from impleval.figures import shorten

    wording = labels.item(item)
    if not wording or wording == item:
        return item
    return shorten(f"{item} · {wording}", width)


def data_limits(lows, highs, *, include: float | None = 0.0, margin: float = 0.06, log=False):
    """Axis limits holding every finite interval end (and `include`), with a margin on each
    side (a share of the range; on log axes of the log range)."""
    values = np.concatenate(
        [np.asarray(lows, dtype=float).ravel(), np.asarray(highs, dtype=float).ravel()]
    )
    values = values[np.isfinite(values)]
    if log:
        values = values[values > 0]
    if include is not None:
        values = np.append(values, include)
    if not len(values):
        return (0.5, 2.0) if log else (-1.0, 1.0)
    if log:
        lo, hi = np.log(values.min()), np.log(values.max())
        pad = margin * (hi - lo or 1.0)
        return float(np.exp(lo - pad)), float(np.exp(hi + pad))
    lo, hi = float(values.min()), float(values.max())
    pad = margin * (hi - lo or 1.0)
    return lo - pad, hi + pad
