from impleval.runner import run
from impleval.monitoring.steps import plot_monitoring

run(snakemake, plot_monitoring)  # noqa: F821 (injected by Snakemake)
