"""The interview figures from the result tables: name → (figure, caption, alt text).

The stakeholder matrix is drawn only for a study whose interviews.yaml has a `stakeholders:`
block (`impleval.interviews.settings.figure_names`, which the workflow declares)."""

from __future__ import annotations

import pandas as pd

from impleval.interviews.plots.agreement import plot_agreement
from impleval.interviews.plots.stakeholders import plot_stakeholders
from impleval.interviews.plots.themes import (
    plot_cooccurrence,
    plot_theme_heatmap,
    plot_theme_trajectories,
)
from impleval.interviews.settings import StudyDefs


def read_table(path) -> pd.DataFrame:
    """A results CSV with the `suppressed` column as booleans (missing → False)."""
    df = pd.read_csv(path, keep_default_na=True)
    if "suppressed" in df:
        df["suppressed"] = (
            df["suppressed"]
            .map({True: True, False: False, "True": True, "False": False})
            .fillna(False)
            .astype(bool)
        )
    return df


def interview_figures(
    tables: dict[str, pd.DataFrame],
    defs: StudyDefs,
    settings: dict,
    *,
    language: str,
    min_cell: int,
) -> dict:
    from impleval.figures import use_report_style

    use_report_style()
    kw = dict(language=language, min_cell=min_cell)
    figures = {
        "theme_stage_heatmap": plot_theme_heatmap(tables["code_prevalence"], defs, settings, **kw),
        "theme_trajectories": plot_theme_trajectories(
            tables["code_prevalence"], defs, settings, **kw
        ),
        "theme_cooccurrence": plot_cooccurrence(tables["theme_cooccurrence"], defs, settings, **kw),
        "intercoder_agreement": plot_agreement(
            tables["intercoder_agreement"], defs, settings, **kw
        ),
    }
    if defs.stakeholders:
        figures["stakeholder_benefits"] = plot_stakeholders(
            tables["stakeholder_benefits"], defs, settings, **kw
        )
    return figures
