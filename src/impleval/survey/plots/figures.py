"""All survey comparison figures of plot_survey, with captions and alt text from the study config.

`survey_figures` builds the four figures of this package (likert, forest, distributions,
odds_ratios) from the prepared tables and the analysis definition, and yields them one at a time
with their caption and alt text (report language; `figures:` in survey-analysis.yaml) so that the
caller saves and closes each before the next is drawn.

Every name in a figure comes from the report's `Labels` (`study_labels`): the primary comparison
is `group_vars[0]` (a region, trust, role or category question), labelled from the definition
that holds it; items are shown with their code and wording (the code is the key to the report's
item table, `@tbl-item-key`, which captions may cite with `{item_key}`).
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterator

import pandas as pd

from impleval import fmt
from impleval.config import label
from impleval.errors import InputError, Problem
from impleval.figures import localise_numbers
from impleval.privacy.suppress import visible_groups
from impleval.survey.plots.common import TEXT
from impleval.survey.plots.distributions import scale_distributions
from impleval.survey.plots.forest import forest
from impleval.survey.plots.likert import likert_bars, likert_shares
from impleval.survey.plots.odds_ratios import odds_ratios
from impleval.survey.settings import GroupVar, cut_points, group_vars

FIGURES = (
    "survey_likert_bars",
    "survey_forest",
    "survey_scale_distributions",
    "survey_odds_ratios",
)
# What captions and alt texts may contain, filled per figure (survey-analysis.schema.yaml).
PLACEHOLDERS = ("ref", "ci", "min_cell", "group", "groups", "covariates", "item_key")
ITEM_KEY = "@tbl-item-key"  # the report's item key table (report.blocks.tbl_id("item_key"))


def study_labels(
    settings: dict,
    organisation: dict,
    survey: dict | None,
    report: dict | None,
    phrases: str | os.PathLike,
    language: str,
):
    """The report's `Labels` for the survey figures: the same words as the report's text.
    `phrases`: the report's phrase folder (or a file in it)."""
    from impleval.report.context import Labels, Study
    from impleval.report.text import load_phrases

    folder = phrases if os.path.isdir(phrases) else os.path.dirname(phrases)
    study = Study(
        organisation=organisation,
        report=report or {},
        survey=survey or {},
        survey_analysis=settings,
    )
    return Labels(study, language, load_phrases(folder, language))


def figure_texts(
    settings: dict, language: str, fields: dict[str, dict], *, file: str = "survey-analysis.yaml"
) -> dict[str, tuple[str, str]]:
    """{figure: (caption, alt)} in the report language with the placeholders filled from
    `fields[figure]`. Every figure in FIGURES needs an entry under `figures:`; a placeholder
    outside PLACEHOLDERS is refused by name."""
    figures = settings.get("figures", {})
    problems = [
        Problem(file, "a caption and alt text under `figures:`", column="figures", value=name)
        for name in FIGURES
        if name not in figures
    ]
    for name in FIGURES:
        for part in ("caption", "alt"):
            text = label(figures.get(name, {}), part, language) if name in figures else ""
            for _, field, _, _ in string.Formatter().parse(text):
                if field is not None and field not in PLACEHOLDERS:
                    problems.append(
                        Problem(
                            file,
                            "one of the placeholders "
                            + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
                            column=f"figures/{name}/{part}",
                            value=f"{{{field}}}",
                        )
                    )
    if problems:
        raise InputError(problems)
    return {
        name: tuple(
            label(figures[name], part, language).format(**fields[name])
            for part in ("caption", "alt")
        )
        for name in FIGURES
    }


def _levels(settings: dict, items: list[str]) -> list[int]:
    cuts = cut_points(settings, items[0]) if items else {"min": 1, "max": 5}
    return list(range(int(cuts["min"]), int(cuts["max"]) + 1))


def response_labels(survey: dict | None, item: str, language: str) -> dict[int, str]:
    """Score → label of the response scale an item is answered on (survey.yaml)."""
    from impleval.report.text import pick

    survey = survey or {}
    scales = survey.get("response_scales", {})
    for q in survey.get("questions", []):
        if q.get("id") == item or any(r.get("id") == item for r in q.get("rows", [])):
            scale = scales.get(q.get("scale"), {})
            return {
                int(o["score"]): pick(o.get("label"), language, str(o["score"]))
                for o in scale.get("options", [])
                if o.get("score") is not None
            }
    return {}


def _ordinal_groups(ordinal: pd.DataFrame, settings: dict, variable: str) -> list[str]:
    present = ordinal.loc[ordinal["variable"] == variable, "level"].dropna().astype(str).unique()
    declared = [g for g in group_vars(settings) if g.name == variable]
    gv = declared[0] if declared else GroupVar(variable, "")
    return gv.order(present)


def survey_figures(
    respondents: pd.DataFrame,
    responses: pd.DataFrame,
    scores: pd.DataFrame,
    pairwise: pd.DataFrame,
    ordinal: pd.DataFrame,
    settings: dict,
    labels,
    *,
    survey: dict | None = None,
    min_cell: int,
    language: str,
    file: str = "survey-analysis.yaml",
) -> Iterator[tuple[str, object, str, str]]:
    """Yield (name, figure, caption, alt) for each figure in FIGURES, in that order.

    `settings` is the validated analysis definition, `labels` the report's `Labels`
    (`study_labels`), `survey` the instrument (response-scale labels). Groups of the primary
    group variable below `min_cell` are never drawn."""
    from impleval.report.text import join

    gv = group_vars(settings)[0]
    groups = gv.order(visible_groups(respondents[gv.name].value_counts().to_dict(), min_cell))
    others = [g for g in groups if g != gv.reference]
    group_labels = {g: labels.group_level(gv.name, g) for g in groups}
    scales = list(settings["scales"])  # constructs with agreement items
    scale_labels = {s: labels.scale(s) for s in scales}
    adjusted = settings["adjusted_model"]
    covariates = join([labels.group_var(c) for c in adjusted.get("covariates", [])], language)
    or_var = adjusted["group_var"]
    or_groups = _ordinal_groups(ordinal, settings, or_var)
    or_refs = ordinal.loc[ordinal["variable"] == or_var, "reference"].dropna().astype(str)
    common = {
        "ci": fmt.percent(settings["ci_level"], 0, language),
        "min_cell": min_cell,
        "group": labels.group_var(gv.name),
        "groups": labels.group_var(gv.name, plural=True),
        "covariates": covariates,
        "item_key": ITEM_KEY,
        "ref": labels.group_level(gv.name, gv.reference),
    }
    or_fields = {
        **common,
        "group": labels.group_var(or_var),
        "groups": labels.group_var(or_var, plural=True),
        "ref": labels.group_level(or_var, or_refs.iloc[0]) if len(or_refs) else common["ref"],
    }
    texts = figure_texts(
        settings,
        language,
        {
            "survey_likert_bars": common,
            "survey_forest": common,
            "survey_scale_distributions": common,
            "survey_odds_ratios": or_fields,
        },
        file=file,
    )
    levels = {s: _levels(settings, settings["scales"][s]["items"]) for s in scales}
    first_item = settings["scales"][scales[0]]["items"][0] if scales else None
    score_range = {s: (levels[s][0], levels[s][-1]) for s in scales if levels[s]}
    clipped_note = TEXT[language]["clipped"]

    def likert():
        shares = likert_shares(
            responses,
            respondents,
            {b: settings["scales"][b]["items"] for b in scales},
            gv.name,
            min_cell,
            levels,
        )
        return (
            likert_bars(
                shares,
                scales,
                scale_labels,
                groups,
                group_labels,
                language,
                levels,
                response_labels(survey, first_item, language) if first_item else None,
            ),
            False,
        )

    def forest_plot():
        outcomes = scales + [i for b in settings["item_groups"].values() for i in b]
        return forest(pairwise, outcomes, gv.name, gv.reference, others, labels, language)

    def distributions():
        fig = scale_distributions(
            scores,
            scales,
            scale_labels,
            gv.name,
            groups,
            group_labels,
            min_cell,
            language,
            score_range,
        )
        return fig, False

    def odds():
        items = settings.get("ordinal_items", [])
        return odds_ratios(
            ordinal,
            items,
            or_var,
            [g for g in or_groups if g not in set(or_refs)],
            labels,
            covariates,
            language,
        )

    builders = {
        "survey_likert_bars": likert,
        "survey_forest": forest_plot,
        "survey_scale_distributions": distributions,
        "survey_odds_ratios": odds,
    }
    for name in FIGURES:
        fig, clipped = builders[name]()
        localise_numbers(fig, language)
        caption, alt = texts[name]
        if clipped:
            caption = f"{caption} {clipped_note}"
        yield name, fig, caption, alt
