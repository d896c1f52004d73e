"""The report rules' steps: one function per rule, called by `scripts/<rule>.py` as
`run(snakemake, <rule>)`. The impleval imports sit inside each step, so that one job imports (and
declares as its code inputs, workflow/rules/common.smk) only the modules of its own step.
"""

from __future__ import annotations


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
    # The pipeline's own folder (a study may use it as a Snakemake module from elsewhere).
    repo = smk.params.get("pipeline", ".")
    write_json(build_provenance(files, renderer=label, repo=repo), smk.output[0])


def render_report(smk) -> None:
    """Generate the report of one language (`{lang}`) from the study and its results, render it
    (Quarto or the labelled fallback) and check the HTML → one self-contained file."""
    from pathlib import Path

    from impleval.report.compose import STUDY_FILES, build_context, generate, variables
    from impleval.report.render import render_report as render

    p, i = smk.params, smk.input
    language = smk.wildcards.lang
    study_paths = {name: i.get(f"study_{name}") for name in STUDY_FILES}
    ctx = build_context(
        language=language,
        study_paths=study_paths,
        settings=p.settings,
        tables=Path(p.results) / "tables",
        values_files=i.values,
        figures=Path(p.results) / "figures" / language,
        phrases=Path(p.source) / "phrases",
        provenance=i.provenance,
        checklists=Path(p.source) / "checklists.yaml",
    )
    render(
        p.source,
        p.build,
        smk.output.html,
        variables=variables(ctx),
        language=language,
        results=p.results,
        synthetic=bool(p.settings["synthetic"]),
        renderer=p.renderer,
        document=lambda label: generate(ctx, label),
        figures=Path(p.results) / "figures" / language,
    )
