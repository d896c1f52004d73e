"""collect_report_values: merge results/values/*.yml with the study and methods values."""

from impleval.config import load_yaml
from impleval.outputs import write_text
from impleval.report.values import report_values
from impleval.report.variables import dump, merge_values
from impleval.runner import run


def main(smk):
    p = smk.params
    extra = report_values(
        study_name=p.study_name, synthetic=p.synthetic, min_cell=p.min_cell, seed=p.seed,
        language=p.language,
        survey_analysis=load_yaml(smk.input.survey_analysis),
        interviews_analysis=load_yaml(smk.input.interviews_analysis),
        monitoring=load_yaml(smk.input.monitoring),
        interview_format=p.interview_format,
    )
    write_text(dump(merge_values(smk.input.values, extra)), smk.output[0])


run(snakemake, main)  # noqa: F821
