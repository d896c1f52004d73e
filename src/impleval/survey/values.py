"""Facts of the survey analysis for the report (results/values/survey.yml), language-neutral:
counts and ids only, no formatting and no per-group counts (those sit, suppressed, in the result
tables). The report's sections compute what they print from the tables by their own rules; the
facts let the study team's prose quote headline numbers (`{{< var survey.n_respondents >}}`)."""

from __future__ import annotations

import pandas as pd


def survey_facts(res, settings: dict) -> dict:
    """{"survey": {...}}: respondents analysed, scales and items tested and differing across the
    primary group variable (adjusted p below `alpha` within the declared families)."""
    primary = settings["group_vars"][0]
    alpha = float(settings["alpha"])
    omni = res.omnibus[res.omnibus["group_var"] == primary["name"]]
    scales = omni[omni["outcome_type"] == "scale"]
    items = omni[(omni["outcome_type"] == "item") & (omni["family"] == "kruskal")]
    not_relevant = omni[(omni["outcome_type"] == "item") & (omni["family"] == "not_relevant")]
    differing = scales[scales["p_adjusted"] < alpha]["outcome"].tolist()
    return {
        "survey": {
            "n_respondents": int(len(res.scores)),
            "primary_group": primary["name"],
            "reference": primary.get("reference"),
            "alpha": alpha,
            "n_scales": int(len(scales)),
            "n_scales_differing": len(differing),
            "scales_differing": differing,
            "n_items_screened": int(len(items)),
            "n_items_differing": _count(items, alpha),
            "n_items_not_relevant_differing": _count(not_relevant, alpha),
        }
    }


def _count(frame: pd.DataFrame, alpha: float) -> int:
    return int((frame["p_adjusted"] < alpha).sum())
