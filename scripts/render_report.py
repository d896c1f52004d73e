from impleval.runner import run
from impleval.report.steps import render_report

run(snakemake, render_report)  # noqa: F821 (injected by Snakemake)
