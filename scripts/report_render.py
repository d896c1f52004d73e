"""render_report: the build folder, then Quarto or the labelled fallback → one HTML file."""

from pathlib import Path

import yaml

from impleval.report.render import render_report
from impleval.runner import run


def main(smk):
    p = smk.params
    variables = yaml.safe_load(Path(smk.input.variables).read_text(encoding="utf-8"))
    render_report(p.source, p.build, smk.output.html, variables=variables, language=p.language,
                  results=p.results, synthetic=p.synthetic, renderer=p.renderer)


run(snakemake, main)  # noqa: F821
