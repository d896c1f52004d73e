from impleval.report.steps import collect_report_values
from impleval.runner import run

run(snakemake, collect_report_values)  # noqa: F821 (injected by Snakemake)
