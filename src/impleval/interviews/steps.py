"""The interview rules' steps: one function per rule, called by `scripts/<rule>.py` as
`run(snakemake, <rule>)`. The impleval imports sit inside each step, so that one job imports (and
declares as its code inputs, workflow/rules/common.smk) only the modules of its own step.
"""

from __future__ import annotations


def prepare_interviews(smk) -> None:
    """QDA export → canonical interview tables (docs/data/interviews.md)."""
    from impleval.interviews.io.prepare import prepare_interviews as prepare
    from impleval.interviews.io.prepare import write_outputs
    from impleval.interviews.settings import load_study
    from impleval.privacy.deid import read_names

    interviews, organisation = load_study(
        smk.input.interviews, smk.input.schema, smk.input.organisation
    )
    paths = {key: smk.input[key] for key in smk.params.export_keys}
    names_file = smk.input.get("names", [])  # [] when config names no names file
    names = read_names(names_file) if isinstance(names_file, str) else []
    tables = prepare(
        smk.params.format,
        paths,
        interviews,
        organisation,
        on_hit=smk.params.on_hit,
        names=names,
        config_file=str(smk.input.interviews),
    )
    write_outputs(tables, smk.output)


def analyse_interviews(smk) -> None:
    """Informants, prevalence, stage tests, co-occurrence, agreement, stakeholders, quotes →
    tables + language-neutral values."""
    import pandas as pd
    import yaml

    from impleval.config import load_yaml
    from impleval.interviews.settings import analysis_settings, study_defs
    from impleval.interviews.stats.analyse import analyse, double_coded_units
    from impleval.interviews.values import interview_values
    from impleval.outputs import write_csv, write_text
    from impleval.privacy.deid import read_names

    p = smk.params
    settings = analysis_settings(smk.input.analysis, smk.input.schema)
    defs = study_defs(load_yaml(smk.input.interviews), load_yaml(smk.input.organisation))
    segments = pd.read_parquet(smk.input.segments)
    documents = pd.read_parquet(smk.input.documents)
    names = read_names(smk.input.names) if smk.input.get("names") else ()
    tables = analyse(
        segments,
        documents,
        defs,
        settings,
        min_cell=p.min_cell,
        seed=p.seed,
        on_hit=p.on_hit,
        names=names,
        quotes_file=smk.output.quotes,
    )
    for name, df in tables.items():
        write_csv(df, smk.output[name])
    double = double_coded_units(segments, documents, settings)
    values = interview_values(tables, segments, documents, defs, double, min_cell=p.min_cell)
    write_text(
        yaml.safe_dump({"interviews": values}, allow_unicode=True, sort_keys=False),
        smk.output.values,
    )


def plot_interviews(smk) -> None:
    """Theme heatmap, trajectories, co-occurrence, agreement, stakeholder matrix."""
    from pathlib import Path

    from impleval.config import load_yaml
    from impleval.figures import save_named
    from impleval.interviews.plots.figures import interview_figures, read_table
    from impleval.interviews.settings import analysis_settings, study_defs

    settings = analysis_settings(smk.input.analysis, smk.input.schema)
    defs = study_defs(load_yaml(smk.input.interviews), load_yaml(smk.input.organisation))
    tables = {Path(p).stem: read_table(p) for p in smk.input.tables}
    figures = interview_figures(
        tables, defs, settings, language=smk.wildcards.lang, min_cell=smk.params.min_cell
    )
    for name, (fig, caption, alt) in figures.items():
        save_named(fig, smk.output, name, caption=caption, alt=alt)
