from impleval.runner import run
from impleval.report.steps import write_provenance

run(snakemake, write_provenance)  # noqa: F821 (injected by Snakemake)
