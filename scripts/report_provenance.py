"""write_provenance: SHA-256 of inputs, configuration and code; commit; versions; renderer."""

from impleval.outputs import write_json
from impleval.report.provenance import build_provenance
from impleval.report.render import choose
from impleval.runner import run


def main(smk):
    i = smk.input
    files = {"input": i.raw, "config": i.config, "study": i.study, "code": i.code,
             "environment": i.environment}
    _, label, _ = choose(smk.params.renderer)
    write_json(build_provenance(files, renderer=label), smk.output[0])


run(snakemake, main)  # noqa: F821
