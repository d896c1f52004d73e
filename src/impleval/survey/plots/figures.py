"""All survey comparison figures of plot_survey, with captions and alt text from the study config.

`survey_figures` builds the four figures of this package (likert, forest, distributions,
odds_ratios) from the prepared tables and the
analysis definition, and yields them one at a time with their caption and alt text (report
language; `figures:` in survey-analysis.yaml) so that the caller saves and closes each before the
next is drawn.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from impleval import fmt
from impleval.config import label
from impleval.errors import InputError, Problem
from impleval.privacy.suppress import visible_groups
from impleval.survey.plots.distributions import scale_distributions
from impleval.survey.plots.forest import forest
from impleval.survey.plots.likert import likert_bars, likert_shares
from impleval.survey.plots.odds_ratios import odds_ratios
from impleval.survey.settings import group_vars

FIGURES = (
    "survey_likert_bars",
    "survey_forest",
    "survey_scale_distributions",
    "survey_odds_ratios",
)


def figure_texts(
    settings: dict, language: str, *, file: str = "survey-analysis.yaml", **fields
) -> dict[str, tuple[str, str]]:
    """{figure: (caption, alt)} in the report language, placeholders ({ref}, {ci}, {min_cell})
    filled from `fields`. Every figure in FIGURES needs an entry under `figures:`."""
    figures = settings.get("figures", {})
    missing = [name for name in FIGURES if name not in figures]
    if missing:
        raise InputError(
            [
                Problem(
                    file, "a caption and alt text under `figures:`", column="figures", value=name
                )
                for name in missing
            ]
        )
    return {
        name: tuple(
            label(figures[name], part, language).format(**fields) for part in ("caption", "alt")
        )
        for name in FIGURES
    }


def survey_figures(
    respondents: pd.DataFrame,
    responses: pd.DataFrame,
    scores: pd.DataFrame,
    pairwise: pd.DataFrame,
    ordinal: pd.DataFrame,
    settings: dict,
    regions: dict,
    *,
    min_cell: int,
    language: str,
    file: str = "survey-analysis.yaml",
) -> Iterator[tuple[str, object, str, str]]:
    """Yield (name, figure, caption, alt) for each figure in FIGURES, in that order.

    `settings` is the validated analysis definition; `regions` maps region id → label (a string or
    {nb, en}). Groups of the primary group variable below `min_cell` are never drawn."""
    gv = group_vars(settings)[0]
    region_labels = {k: label(regions, k, language) for k in regions}
    groups = gv.order(visible_groups(respondents[gv.name].value_counts().to_dict(), min_cell))
    others = [g for g in groups if g != gv.reference]
    scale_labels = {
        s: label({s: d.get("label", s)}, s, language) for s, d in settings["scales"].items()
    }
    block_labels = {
        **scale_labels,
        **{
            b: label(settings.get("item_group_labels", {}), b, language)
            for b in settings["item_groups"]
            if b not in scale_labels
        },
    }
    texts = figure_texts(
        settings,
        language,
        file=file,
        ref=region_labels.get(gv.reference, gv.reference),
        ci=fmt.percent(settings["ci_level"], 0, language),
        min_cell=min_cell,
    )

    scales = list(settings["scales"])  # constructs with agreement items
    shares = likert_shares(
        responses,
        respondents,
        {b: settings["scales"][b]["items"] for b in scales},
        gv.name,
        min_cell,
    )
    builders = {
        "survey_likert_bars": lambda: likert_bars(
            shares, scales, block_labels, groups, region_labels, language
        ),
        "survey_forest": lambda: forest(
            pairwise,
            scales + [i for b in settings["item_groups"].values() for i in b],
            scale_labels,
            gv.name,
            gv.reference,
            others,
            region_labels,
            language,
        ),
        "survey_scale_distributions": lambda: scale_distributions(
            scores, scales, scale_labels, gv.name, groups, region_labels, min_cell, language
        ),
        "survey_odds_ratios": lambda: odds_ratios(
            ordinal,
            settings.get("ordinal_items", []),
            gv.name,
            gv.reference,
            others,
            region_labels,
            language,
        ),
    }
    for name in FIGURES:
        yield (name, builders[name](), *texts[name])
