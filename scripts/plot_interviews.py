from impleval.runner import run
from impleval.interviews.steps import plot_interviews

run(snakemake, plot_interviews)  # noqa: F821 (injected by Snakemake)
