from impleval.monitoring.steps import plot_monitoring
from impleval.runner import run

run(snakemake, plot_monitoring)  # noqa: F821 (injected by Snakemake)
