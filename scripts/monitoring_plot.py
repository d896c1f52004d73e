"""Monitoring figures: per-site series, forest plot, implementation timeline, precision curves."""

from pathlib import Path

import pandas as pd

from impleval.config import load_yaml
from impleval.figures import save_figure, use_report_style
from impleval.monitoring import plots
from impleval.monitoring.io import load_definition
from impleval.monitoring.timeline import timeline_frame
from impleval.monitoring.values import site_labels
from impleval.runner import run


def main(smk):
    use_report_style()
    lang = smk.params.language
    definition = load_definition(smk.input.monitoring, smk.input.schema)
    organisation = load_yaml(smk.input.organisation)
    labels = site_labels(organisation)
    tables = {Path(p).stem: pd.read_csv(p) for p in smk.input.tables}
    fitted = tables["its_fitted"].assign(week_start=lambda d: pd.to_datetime(d["week_start"]))
    milestones = pd.read_parquet(smk.input.milestones)
    figures = {
        "its_series": plots.series_figure(fitted, tables["monitoring_sites"], definition, labels, lang),
        "its_forest": plots.forest_figure(tables["its_estimates"], definition, labels, lang),
        "implementation_timeline": plots.timeline_figure(timeline_frame(milestones, organisation, lang),
                                                         definition, lang),
        "monitoring_precision": plots.precision_figure(tables["monitoring_precision"], definition, labels, lang),
    }
    outputs = iter(smk.output)
    for name in smk.params.names:  # figure_paths order: svg, png, json per name
        fig, alt = figures[name]
        svg, png, meta = next(outputs), next(outputs), next(outputs)
        caption = plots.caption(definition, name, lang, min_cell=smk.params.min_cell)
        save_figure(fig, svg, png, meta, caption=caption, alt=alt)


run(snakemake, main)  # noqa: F821 (injected by Snakemake)
