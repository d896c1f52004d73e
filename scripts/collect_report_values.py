from impleval.runner import run
from impleval.report.steps import collect_report_values

run(snakemake, collect_report_values)  # noqa: F821 (injected by Snakemake)
