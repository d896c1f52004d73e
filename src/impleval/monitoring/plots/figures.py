"""All monitoring figures of plot_monitoring: name → (figure, caption, alt text).

Each builder returns (figure, alt text); captions come from monitoring.yaml → figures.
"""

from __future__ import annotations

import pandas as pd

from impleval.config import label
from impleval.figures import use_report_style
from impleval.monitoring.plots.forest import forest_figure
from impleval.monitoring.plots.precision import precision_figure
from impleval.monitoring.plots.series import series_figure
from impleval.monitoring.plots.timeline import timeline_figure
from impleval.monitoring.settings import go_live_kind, site_labels
from impleval.monitoring.stats.timeline import timeline_frame


def caption(definition: dict, name: str, language: str, **fields) -> str:
    return label(definition.get("figures", {}), name, language).format(**fields)


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
    return {
        name: (fig, caption(definition, name, lang, min_cell=min_cell), alt)
        for name, (fig, alt) in figures.items()
    }
