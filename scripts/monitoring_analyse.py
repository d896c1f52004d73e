"""Interrupted time series per site, pooled model, diagnostics, monitoring precision, report values."""

import pandas as pd
import yaml

from impleval.config import load_yaml
from impleval.monitoring.analysis import analyse
from impleval.monitoring.io import load_definition
from impleval.monitoring.values import build_values
from impleval.outputs import write_csv, write_text
from impleval.runner import run


def main(smk):
    definition = load_definition(smk.input.monitoring, smk.input.schema)
    organisation = load_yaml(smk.input.organisation)
    series = pd.read_parquet(smk.input.series)
    milestones = pd.read_parquet(smk.input.milestones)
    tables = analyse(series, milestones, definition, organisation, min_cell=smk.params.min_cell,
                     language=smk.params.language)
    for name, frame in tables.items():
        write_csv(frame, smk.output[name])
    values = build_values(tables, definition, organisation, smk.params.language)
    write_text(yaml.safe_dump({"monitoring": values}, allow_unicode=True, sort_keys=False), smk.output.values)


run(snakemake, main)  # noqa: F821 (injected by Snakemake)
