"""Interview statistics: prevalence, stage tests, co-occurrence, agreement, stakeholders, quotes."""

import pandas as pd
import yaml

from impleval.config import load_yaml
from impleval.interviews.stats_analyse import analyse
from impleval.interviews.stats_study import analysis_settings, study_defs
from impleval.interviews.stats_values import interview_values
from impleval.outputs import write_csv, write_text
from impleval.privacy.deid import read_names
from impleval.runner import run


def main(smk):
    p = smk.params
    settings = analysis_settings(smk.input.analysis, smk.input.schema)
    defs = study_defs(load_yaml(smk.input.interviews), load_yaml(smk.input.organisation))
    segments = pd.read_parquet(smk.input.segments)
    documents = pd.read_parquet(smk.input.documents)
    names = read_names(smk.input.names) if smk.input.get("names") else ()
    tables = analyse(segments, documents, defs, settings, min_cell=p.min_cell, seed=p.seed,
                     on_hit=p.on_hit, names=names, quotes_file=smk.output.quotes,
                     language=p.language)
    for name, df in tables.items():
        write_csv(df, smk.output[name])
    values = interview_values(tables, documents, defs, settings, language=p.language,
                              min_cell=p.min_cell)
    write_text(yaml.safe_dump({"interviews": values}, allow_unicode=True, sort_keys=False),
               smk.output.values)


run(snakemake, main)  # noqa: F821 (injected by Snakemake)
