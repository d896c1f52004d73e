from impleval.runner import run
from impleval.survey.steps import plot_survey

run(snakemake, plot_survey)  # noqa: F821 (injected by Snakemake)
