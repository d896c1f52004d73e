from impleval.runner import run
from impleval.interviews.steps import analyse_interviews

run(snakemake, analyse_interviews)  # noqa: F821 (injected by Snakemake)
