"""prepare_survey: survey export → canonical survey tables and participant flow (docs/data/survey.md)."""

from impleval.runner import run
from impleval.survey.prepare import run_prepare


def main(smk):
    names = smk.input.get("names", [])  # [] when config names no names file
    run_prepare(
        {"format": smk.params.format, **{key: smk.input[key] for key in smk.params.export_keys}},
        {"survey": smk.input.survey, "organisation": smk.input.organisation, "schema": smk.input.schema},
        {"on_hit": smk.params.on_hit, "names_file": names if isinstance(names, str) else None,
         "language": smk.params.language},
        dict(smk.output),
    )


run(snakemake, main)  # noqa: F821
