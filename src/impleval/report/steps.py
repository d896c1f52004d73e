"""The report rules' steps: one function per rule, called by `scripts/<rule>.py` as
`run(snakemake, <rule>)`. The impleval imports sit inside each step, so that one job imports (and
declares as its code inputs, workflow/rules/common.smk) only the modules of its own step.
"""

from __future__ import annotations


def collect_report_values(smk) -> None:
    """Merge results/values/*.yml with the study and methods values → variables.yml."""
    from impleval.config import load_yaml
    from impleval.outputs import write_text
    from impleval.report.values import report_values
    from impleval.report.variables import dump, merge_values

    p = smk.params
    extra = report_values(
        study_name=p.study_name,
        synthetic=p.synthetic,
        min_cell=p.min_cell,
        seed=p.seed,
        language=p.language,
        survey_analysis=load_yaml(smk.input.survey_analysis),
        interviews_analysis=load_yaml(smk.input.interviews_analysis),
        monitoring=load_yaml(smk.input.monitoring),
        interview_format=p.interview_format,
    )
    write_text(dump(merge_values(smk.input.values, extra)), smk.output[0])


def write_provenance(smk) -> None:
    """SHA-256 of inputs, configuration and code; commit; versions; renderer."""
    from impleval.outputs import write_json
    from impleval.report.provenance import build_provenance
    from impleval.report.render import choose

    i = smk.input
    files = {
        "input": i.raw,
        "config": i.config,
        "study": i.study,
        "code": i.pipeline_code,
        "environment": i.environment,
    }
    _, label, _ = choose(smk.params.renderer)
    write_json(build_provenance(files, renderer=label), smk.output[0])


def render_report(smk) -> None:
    """The build folder, then Quarto or the labelled fallback → one HTML file."""
    from pathlib import Path

    import yaml

    from impleval.report.render import render_report as render

    p = smk.params
    variables = yaml.safe_load(Path(smk.input.variables).read_text(encoding="utf-8"))
    render(
        p.source,
        p.build,
        smk.output.html,
        variables=variables,
        language=p.language,
        results=p.results,
        synthetic=p.synthetic,
        renderer=p.renderer,
    )
