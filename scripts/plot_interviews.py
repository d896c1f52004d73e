from impleval.interviews.steps import plot_interviews
from impleval.runner import run

run(snakemake, plot_interviews)  # noqa: F821 (injected by Snakemake)
