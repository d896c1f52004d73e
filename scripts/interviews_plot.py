"""Interview figures: theme heatmap, trajectories, co-occurrence, agreement, stakeholder matrix."""

from pathlib import Path

from impleval.config import load_yaml
from impleval.figures import save_figure
from impleval.interviews.plots_all import interview_figures, read_table
from impleval.interviews.stats_study import analysis_settings, study_defs
from impleval.runner import run


def main(smk):
    settings = analysis_settings(smk.input.analysis, smk.input.schema)
    defs = study_defs(load_yaml(smk.input.interviews), load_yaml(smk.input.organisation))
    tables = {Path(p).stem: read_table(p) for p in smk.input.tables}
    figures = interview_figures(tables, defs, settings, language=smk.params.language,
                                min_cell=smk.params.min_cell)
    paths = {Path(p).name: p for p in smk.output.figures}
    for name, (fig, caption, alt) in figures.items():
        save_figure(fig, paths[f"{name}.svg"], paths[f"{name}.png"], paths[f"{name}.json"],
                    caption=caption, alt=alt)


run(snakemake, main)  # noqa: F821 (injected by Snakemake)
