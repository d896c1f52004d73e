from impleval.runner import run
from impleval.privacy.steps import summarise_deid

run(snakemake, summarise_deid)  # noqa: F821 (injected by Snakemake)
