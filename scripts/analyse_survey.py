from impleval.runner import run
from impleval.survey.steps import analyse_survey

run(snakemake, analyse_survey)  # noqa: F821 (injected by Snakemake)
