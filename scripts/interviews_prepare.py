"""prepare_interviews: QDA export → canonical interview tables (docs/data/interviews.md)."""

from impleval.interviews.prepare import load_study, prepare_interviews, write_outputs
from impleval.privacy.deid import read_names
from impleval.runner import run


def main(smk):
    interviews, organisation = load_study(smk.input.interviews, smk.input.schema, smk.input.organisation)
    paths = {key: smk.input[key] for key in smk.params.export_keys}
    names_file = smk.input.get("names", [])  # [] when config names no names file
    names = read_names(names_file) if isinstance(names_file, str) else []
    tables = prepare_interviews(smk.params.format, paths, interviews, organisation, on_hit=smk.params.on_hit,
                                names=names)
    write_outputs(tables, smk.output)


run(snakemake, main)  # noqa: F821
