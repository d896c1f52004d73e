from impleval.runner import run
from impleval.monitoring.steps import analyse_monitoring

run(snakemake, analyse_monitoring)  # noqa: F821 (injected by Snakemake)
