# Survey (issues 3 and 4): Nettskjema export → validated, cleaned, de-identified canonical tables
# and the participant flow (prepare_survey, plot_participant_flow) → statistics and figures
# (analyse_survey, plot_survey). Canonical tables: docs/data/survey.md.

SURVEY_TABLES = [
    "participant_flow",
    "survey_respondents",
    "survey_response_rates",
    "survey_group_summary",
    "scale_reliability",
    "survey_omnibus",
    "survey_pairwise",
    "survey_ordinal",
    "survey_adjusted_scales",
]
SURVEY_FIGURES = [
    "participant_flow",
    "survey_likert_bars",
    "survey_forest",
    "survey_scale_distributions",
    "survey_odds_ratios",
]
OUTPUTS["survey"] = {
    "tables": SURVEY_TABLES,
    "figures": SURVEY_FIGURES,
    "values": ["survey", "survey_flow"],
}
# Export files each inputs.survey.format reads (keys as in config.yaml → inputs → survey);
# `submissions` (answer times of long answers) is optional.
SURVEY_FORMAT_INPUTS = {
    "nettskjema_wide": ["report", "codebook"],
    "nettskjema_long": ["answers", "codebook", "submissions"],
    "generic": ["report"],
}
SURVEY_EXPORT_KEYS = [
    key
    for key in SURVEY_FORMAT_INPUTS[config["inputs"]["survey"]["format"]]
    if key in config["inputs"]["survey"]
]


rule prepare_survey:
    input:
        **{key: config["inputs"]["survey"][key] for key in SURVEY_EXPORT_KEYS},
        survey=study_file("survey"),
        organisation=study_file("organisation"),
        schema=schema_file("survey"),
        names=config["deid"].get("names_file", []),
        code=code_inputs("scripts/prepare_survey.py"),
    output:
        respondents="results/interim/survey_respondents.parquet",
        responses="results/interim/survey_responses.parquet",
        comments="results/interim/survey_comments.parquet",
        submissions="results/interim/survey_submissions.parquet",
        flow="results/tables/participant_flow.csv",
        deid="results/interim/deid_survey.csv",
        values="results/values/survey_flow.yml",
    log:
        "logs/survey/prepare_survey.log",
    priority: PRIORITY["survey"]
    conda:
        ENV
    params:
        format=config["inputs"]["survey"]["format"],
        export_keys=SURVEY_EXPORT_KEYS,
        on_hit=config["deid"]["on_hit"],
    script:
        "../../scripts/prepare_survey.py"


rule plot_participant_flow:
    input:
        flow="results/tables/participant_flow.csv",
        survey=study_file("survey"),
        organisation=study_file("organisation"),
        schema=schema_file("survey"),
        phrases=pipeline_path("report/phrases/participants.yml"),
        code=code_inputs("scripts/plot_participant_flow.py"),
    output:
        **figure_paths(["participant_flow"]),
    log:
        "logs/survey/plot_participant_flow_{lang}.log",
    conda:
        ENV
    script:
        "../../scripts/plot_participant_flow.py"


rule analyse_survey:
    input:
        respondents="results/interim/survey_respondents.parquet",
        submissions="results/interim/survey_submissions.parquet",
        responses="results/interim/survey_responses.parquet",
        analysis=study_file("survey_analysis"),
        organisation=study_file("organisation"),
        survey=study_file("survey"),
        schema=schema_file("survey_analysis"),
        code=code_inputs("scripts/analyse_survey.py"),
    output:
        group_summary="results/tables/survey_group_summary.csv",
        reliability="results/tables/scale_reliability.csv",
        omnibus="results/tables/survey_omnibus.csv",
        pairwise="results/tables/survey_pairwise.csv",
        ordinal="results/tables/survey_ordinal.csv",
        respondent_table="results/tables/survey_respondents.csv",
        response_rates="results/tables/survey_response_rates.csv",
        adjusted_scales="results/tables/survey_adjusted_scales.csv",
        scores="results/interim/survey_scale_scores.parquet",
        values="results/values/survey.yml",
    log:
        "logs/survey/analyse_survey.log",
    priority: PRIORITY["survey"]
    conda:
        ENV
    params:
        min_cell=config["min_cell"],
        seed=config["seed"],
    script:
        "../../scripts/analyse_survey.py"


rule plot_survey:
    input:
        respondents="results/interim/survey_respondents.parquet",
        responses="results/interim/survey_responses.parquet",
        scores="results/interim/survey_scale_scores.parquet",
        pairwise="results/tables/survey_pairwise.csv",
        ordinal="results/tables/survey_ordinal.csv",
        analysis=study_file("survey_analysis"),
        organisation=study_file("organisation"),
        survey=study_file("survey"),
        report=study_file("report"),
        phrases=pipeline_path("report/phrases/core.yml"),
        schema=schema_file("survey_analysis"),
        code=code_inputs("scripts/plot_survey.py"),
    output:
        **figure_paths(
            [
                "survey_likert_bars",
                "survey_forest",
                "survey_scale_distributions",
                "survey_odds_ratios",
            ],
            category="Survey",
        ),
    log:
        "logs/survey/plot_survey_{lang}.log",
    priority: PRIORITY["survey"]
    conda:
        ENV
    params:
        min_cell=config["min_cell"],
    script:
        "../../scripts/plot_survey.py"
