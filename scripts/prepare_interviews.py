from impleval.interviews.steps import prepare_interviews
from impleval.runner import run

run(snakemake, prepare_interviews)  # noqa: F821 (injected by Snakemake)
