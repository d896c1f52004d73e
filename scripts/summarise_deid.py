from impleval.privacy.steps import summarise_deid
from impleval.runner import run

run(snakemake, summarise_deid)  # noqa: F821 (injected by Snakemake)
