# Interviews (issues 3 and 5): QDA exports → canonical segment table → statistics → figures.

INTERVIEW_TABLES = [
    "interview_informants",
    "code_prevalence",
    "theme_stage_tests",
    "theme_cooccurrence",
    "intercoder_agreement",
    "stakeholder_benefits",
    "quotes",
]
# The stakeholder matrix only for a study with a `stakeholders:` block (common.smk).
INTERVIEW_FIGURES = interview_figure_names()
OUTPUTS["interviews"] = {
    "tables": INTERVIEW_TABLES,
    "figures": INTERVIEW_FIGURES,
    "values": ["interviews"],
}


rule prepare_interviews:
    input:
        **interview_inputs(),
        interviews=study_file("interviews"),
        organisation=study_file("organisation"),
        schema=schema_file("interviews"),
        names=config["deid"].get("names_file", []),
        code=code_inputs("scripts/prepare_interviews.py"),
    output:
        segments="results/interim/interview_segments.parquet",
        documents="results/interim/interview_documents.parquet",
        deid="results/interim/deid_interviews.csv",
    log:
        "logs/interviews/prepare_interviews.log",
    priority: PRIORITY["prepare"]
    conda:
        ENV
    params:
        format=config["inputs"]["interviews"]["format"],
        export_keys=list(interview_inputs()),
        on_hit=config["deid"]["on_hit"],
    script:
        "../../scripts/prepare_interviews.py"


rule analyse_interviews:
    input:
        segments="results/interim/interview_segments.parquet",
        documents="results/interim/interview_documents.parquet",
        interviews=study_file("interviews"),
        analysis=study_file("interviews_analysis"),
        organisation=study_file("organisation"),
        schema=schema_file("interviews_analysis"),
        names=config["deid"].get("names_file", []),
        code=code_inputs("scripts/analyse_interviews.py"),
    output:
        interview_informants="results/tables/interview_informants.csv",
        code_prevalence="results/tables/code_prevalence.csv",
        theme_stage_tests="results/tables/theme_stage_tests.csv",
        theme_cooccurrence="results/tables/theme_cooccurrence.csv",
        intercoder_agreement="results/tables/intercoder_agreement.csv",
        stakeholder_benefits="results/tables/stakeholder_benefits.csv",
        quotes="results/tables/quotes.csv",
        deid_quotes="results/interim/deid_interview_quotes.csv",
        values="results/values/interviews.yml",
    log:
        "logs/interviews/analyse_interviews.log",
    priority: PRIORITY["analyse"]
    conda:
        ENV
    params:
        min_cell=config["min_cell"],
        seed=config["seed"],
        on_hit=config["deid"]["on_hit"],
    script:
        "../../scripts/analyse_interviews.py"


rule plot_interviews:
    input:
        tables=table_paths(INTERVIEW_TABLES),
        interviews=study_file("interviews"),
        analysis=study_file("interviews_analysis"),
        organisation=study_file("organisation"),
        schema=schema_file("interviews_analysis"),
        code=code_inputs("scripts/plot_interviews.py"),
    output:
        **figure_paths(INTERVIEW_FIGURES, category="Interviews"),
    log:
        "logs/interviews/plot_interviews_{lang}.log",
    priority: PRIORITY["plot"]
    conda:
        ENV
    params:
        min_cell=config["min_cell"],
    script:
        "../../scripts/plot_interviews.py"
