from impleval.runner import run
from impleval.interviews.steps import prepare_interviews

run(snakemake, prepare_interviews)  # noqa: F821 (injected by Snakemake)
