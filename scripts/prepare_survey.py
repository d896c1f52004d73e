from impleval.runner import run
from impleval.survey.steps import prepare_survey

run(snakemake, prepare_survey)  # noqa: F821 (injected by Snakemake)
