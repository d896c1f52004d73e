"""plot_survey: the four survey comparison figures with captions and alt text (report language)."""

import pandas as pd

from impleval.config import load_yaml
from impleval.figures import save_figure
from impleval.runner import run
from impleval.survey.plots_all import survey_figures
from impleval.survey.stats_settings import validate_settings


def main(smk):
    inp, out = smk.input, smk.output
    settings = validate_settings(load_yaml(inp.analysis), file=inp.analysis, schema=inp.schema)
    regions = {r["id"]: r["label"] for r in load_yaml(inp.organisation)["regions"]}
    figures = survey_figures(
        pd.read_parquet(inp.respondents), pd.read_parquet(inp.responses), pd.read_parquet(inp.scores),
        pd.read_csv(inp.pairwise), pd.read_csv(inp.ordinal), settings, regions,
        min_cell=smk.params.min_cell, language=smk.params.language, file=inp.analysis)
    for name, fig, caption, alt in figures:
        save_figure(fig, out[f"{name}_svg"], out[f"{name}_png"], out[f"{name}_json"],
                    caption=caption, alt=alt)


run(snakemake, main)  # noqa: F821 (injected by Snakemake)
