"""The monitoring rules' steps: one function per rule, called by `scripts/<rule>.py` as
`run(snakemake, <rule>)`. The impleval imports sit inside each step, so that one job imports (and
declares as its code inputs, workflow/rules/common.smk) only the modules of its own step.
"""

from __future__ import annotations


def prepare_monitoring(smk) -> None:
    """Aggregates + milestones → canonical interim tables (validated, all problems at once)."""
    from impleval.config import load_yaml
    from impleval.monitoring.io.prepare import prepare
    from impleval.monitoring.settings import load_definition
    from impleval.outputs import atomic_path, write_csv
    from impleval.privacy.deid import empty_summary

    definition = load_definition(smk.input.monitoring, smk.input.schema)
    organisation = load_yaml(smk.input.organisation)
    series, milestones = prepare(
        smk.input.aggregates,
        smk.input.milestones,
        definition,
        organisation,
        config_file=str(smk.input.monitoring),
    )
    for frame, path in ((series, smk.output.series), (milestones, smk.output.milestones)):
        with atomic_path(path) as tmp:
            frame.to_parquet(tmp, index=False)
    # No free text passes this branch (columns are allow-listed, sites validated against the
    # organisation file): an empty gate summary records that the source went through the gate.
    write_csv(empty_summary(), smk.output.deid)


def analyse_monitoring(smk) -> None:
    """Interrupted time series per site, pooled model, diagnostics, precision → tables +
    language-neutral values."""
    import pandas as pd
    import yaml

    from impleval.config import load_yaml
    from impleval.monitoring.settings import load_definition
    from impleval.monitoring.stats.analyse import analyse
    from impleval.monitoring.values import build_values
    from impleval.outputs import write_csv, write_text

    definition = load_definition(smk.input.monitoring, smk.input.schema)
    organisation = load_yaml(smk.input.organisation)
    series = pd.read_parquet(smk.input.series)
    milestones = pd.read_parquet(smk.input.milestones)
    tables = analyse(series, milestones, definition, organisation, min_cell=smk.params.min_cell)
    for name, frame in tables.items():
        write_csv(frame, smk.output[name])
    values = build_values(tables, definition)
    write_text(
        yaml.safe_dump({"monitoring": values}, allow_unicode=True, sort_keys=False),
        smk.output.values,
    )


def plot_monitoring(smk) -> None:
    """Per-site series, forest plot, implementation timeline, precision curves."""
    from pathlib import Path

    import pandas as pd

    from impleval.config import load_yaml
    from impleval.figures import save_named
    from impleval.monitoring.plots.figures import monitoring_figures
    from impleval.monitoring.settings import load_definition

    definition = load_definition(smk.input.monitoring, smk.input.schema)
    organisation = load_yaml(smk.input.organisation)
    tables = {Path(p).stem: pd.read_csv(p) for p in smk.input.tables}
    milestones = pd.read_parquet(smk.input.milestones)
    figures = monitoring_figures(
        tables,
        milestones,
        definition,
        organisation,
        language=smk.wildcards.lang,
        min_cell=smk.params.min_cell,
    )
    for name, (fig, caption, alt) in figures.items():
        save_named(fig, smk.output, name, caption=caption, alt=alt)
