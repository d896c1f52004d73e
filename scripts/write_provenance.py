from impleval.report.steps import write_provenance
from impleval.runner import run

run(snakemake, write_provenance)  # noqa: F821 (injected by Snakemake)
