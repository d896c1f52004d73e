"""All monitoring figures of plot_monitoring: name → (figure, caption, alt text).

Each builder returns (figure, alt text); captions come from monitoring.yaml → figures, with the
placeholders `caption_fields` fills from the definition and the tables ({min_cell}, {ci}, {se},
{alpha}, {power}); the forest's caption says so when an interval is cut at the axis.
"""

from __future__ import annotations

import pandas as pd

from impleval.config import label
from impleval.figures import use_report_style
from impleval.monitoring.plots.common import TEXT
from impleval.monitoring.plots.forest import forest_clipped, forest_figure
from impleval.monitoring.plots.precision import precision_figure
from impleval.monitoring.plots.series import series_figure
from impleval.monitoring.plots.timeline import timeline_figure
from impleval.monitoring.settings import go_live_kind, site_labels
from impleval.monitoring.stats.timeline import timeline_frame


def caption(definition: dict, name: str, language: str, **fields) -> str:
    return label(definition.get("figures", {}), name, language).format(**fields)


def caption_fields(tables: dict, definition: dict, language: str, min_cell: int) -> dict:
    """What a monitoring caption may quote: {min_cell}, the interval level {ci}, the standard
    errors of the models drawn {se}, and the precision analysis' {alpha} and {power}."""
    from impleval import fmt
    from impleval.monitoring.plots.common import se_method

    analysis = definition.get("analysis", {})
    alpha = float(analysis.get("alpha", 0.05))
    estimates = tables.get("its_estimates")
    drawn = set(estimates["outcome"]) if estimates is not None else set()
    outcomes = [o for o in definition["outcomes"] if o in drawn] or list(definition["outcomes"])
    return {
        "min_cell": min_cell,
        "ci": fmt.percent(1 - alpha, 0, language),
        "se": se_method(definition, outcomes, language, estimates),
        "alpha": fmt.number(alpha, 2, language),
        "power": fmt.percent(analysis.get("precision", {}).get("power", 0.8), 0, language),
    }


def monitoring_figures(
    tables: dict[str, pd.DataFrame],
    milestones: pd.DataFrame,
    definition: dict,
    organisation: dict,
    *,
    language: str,
    min_cell: int,
) -> dict:
    """{name: (figure, caption, alt)} for the four monitoring figures, from the result tables."""
    use_report_style()
    lang = language
    labels = site_labels(organisation)
    fitted = tables["its_fitted"].assign(week_start=lambda d: pd.to_datetime(d["week_start"]))
    figures = {
        "its_series": series_figure(fitted, tables["monitoring_sites"], definition, labels, lang),
        "its_forest": forest_figure(tables["its_estimates"], definition, labels, lang),
        "implementation_timeline": timeline_figure(
            timeline_frame(milestones, organisation, lang, go_live_kind(definition)),
            definition,
            lang,
        ),
        "monitoring_precision": precision_figure(
            tables["monitoring_precision"], definition, labels, lang
        ),
    }
    fields = caption_fields(tables, definition, lang, min_cell)
    captions = {name: caption(definition, name, lang, **fields) for name in figures}
    if forest_clipped(tables["its_estimates"], definition):
        captions["its_forest"] += f" {TEXT[lang]['clipped']}"
    return {name: (fig, captions[name], alt) for name, (fig, alt) in figures.items()}
