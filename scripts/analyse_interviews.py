from impleval.interviews.steps import analyse_interviews
from impleval.runner import run

run(snakemake, analyse_interviews)  # noqa: F821 (injected by Snakemake)
