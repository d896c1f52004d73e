from impleval.runner import run
from impleval.survey.steps import plot_participant_flow

run(snakemake, plot_participant_flow)  # noqa: F821 (injected by Snakemake)
