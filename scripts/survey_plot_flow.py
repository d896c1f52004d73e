"""plot_participant_flow: participant_flow.csv → the participant-flow figure."""

import pandas as pd

from impleval.figures import save_figure, use_report_style
from impleval.runner import run
from impleval.survey.flow import plot_flow


def main(smk):
    use_report_style()
    flow = pd.read_csv(smk.input.flow, dtype={"step": str, "description": str}, keep_default_na=False)
    fig, caption, alt = plot_flow(flow, smk.params.language)
    save_figure(fig, smk.output.svg, smk.output.png, smk.output.meta, caption=caption, alt=alt)


run(snakemake, main)  # noqa: F821
