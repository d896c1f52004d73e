from impleval.monitoring.steps import prepare_monitoring
from impleval.runner import run

run(snakemake, prepare_monitoring)  # noqa: F821 (injected by Snakemake)
