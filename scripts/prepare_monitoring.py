from impleval.runner import run
from impleval.monitoring.steps import prepare_monitoring

run(snakemake, prepare_monitoring)  # noqa: F821 (injected by Snakemake)
