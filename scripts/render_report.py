from impleval.report.steps import render_report
from impleval.runner import run

run(snakemake, render_report)  # noqa: F821 (injected by Snakemake)
