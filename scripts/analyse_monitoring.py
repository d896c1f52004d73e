from impleval.monitoring.steps import analyse_monitoring
from impleval.runner import run

run(snakemake, analyse_monitoring)  # noqa: F821 (injected by Snakemake)
