"""Shared pieces of the monitoring figures: site markers and a lazily imported pyplot."""

from __future__ import annotations

MARKERS = ["o", "s", "D", "^", "v", "P", "X", "*"]

# Method words of the monitoring figures (the same for every study).
TEXT = {
    "nb": {
        "percent": "% endring i raten",
        "log": "log-skala",
        "clipped": "Piler: intervallet går utenfor aksen (et estimat utenfor aksen står som tall).",
    },
    "en": {
        "percent": "% change in rate",
        "log": "log scale",
        "clipped": "Arrows: the interval extends beyond the axis (an estimate beyond it is given "
        "as a number).",
    },
}
# Standard errors of each model id (monitoring.yaml `outcomes.<id>.model`) or standard-error id
# (an `se_method` column of its_estimates), for captions.
SE_METHOD = {
    "ols_hac": {"nb": "Newey–West (HAC)", "en": "Newey–West (HAC)"},
    "quasi_poisson": {"nb": "Newey–West (HAC)", "en": "Newey–West (HAC)"},
}


def on_log_scale(rows, definition: dict, outcome: str) -> bool:
    """Estimates on the log-rate-ratio scale (count models): from the rows' `scale`, else from
    the outcome's model in the definition (as the report's monitoring section decides)."""
    if "scale" in rows and rows["scale"].notna().any():
        return bool((rows["scale"].dropna() == "log_rate_ratio").all())
    return definition["outcomes"].get(outcome, {}).get("model") == "quasi_poisson"


def to_percent(values):
    """Log rate ratios → per cent change in the rate (as the report's tables print them)."""
    import numpy as np

    return 100 * np.expm1(np.asarray(values, dtype=float))


def se_method(definition: dict, outcomes, language: str, estimates=None) -> str:
    """The standard errors behind the intervals, in words: the table's `se_method` ids when it
    has them, else those of the outcomes' models (monitoring.yaml); one entry per distinct one."""
    if estimates is not None and "se_method" in estimates and estimates["se_method"].notna().any():
        ids = dict.fromkeys(estimates["se_method"].dropna().astype(str))
        words = [SE_METHOD.get(i, {}).get(language, i) for i in ids]
    else:
        models = dict.fromkeys(definition["outcomes"][o]["model"] for o in outcomes)
        words = [SE_METHOD.get(m, {}).get(language, m) for m in models]
    return "; ".join(dict.fromkeys(words))


def pyplot():
    """matplotlib.pyplot, imported when a figure is drawn (not when the module is)."""
    import matplotlib.pyplot as plt

    return plt


NOTHING = {
    "nb": "Ingen estimater: ingen sted har en modellert oppstart ennå.",
    "en": "No estimates: no site has a modelled go-live yet.",
}


def empty_figure(language: str):
    """A small figure saying there is nothing to draw (no site with a modelled go-live), with the
    same sentence as its alt text: the plot job writes every declared figure."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 1.2))
    ax.axis("off")
    ax.text(0.5, 0.5, NOTHING[language], ha="center", va="center", fontsize=10)
    return fig, NOTHING[language]
