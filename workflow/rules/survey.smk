# Survey (issues 3 and 4): Nettskjema export → validated, cleaned, de-identified canonical tables
# and the participant flow (prepare_survey, plot_participant_flow) → statistics and figures
# (analyse_survey, plot_survey). Canonical tables: docs/data/survey.md.

SURVEY_TABLES = [
    "participant_flow",
    "survey_group_summary",
    "scale_reliability",
    "survey_omnibus",
    "survey_pairwise",
    "survey_ordinal",
]
SURVEY_FIGURES = [
    "participant_flow",
    "survey_likert_bars",
    "survey_forest",
    "survey_scale_distributions",
    "survey_odds_ratios",
]
# Export files each inputs.survey.format reads (keys as in config.yaml → inputs → survey).
SURVEY_FORMAT_INPUTS = {
    "nettskjema_wide": ["report", "codebook"],
    "nettskjema_long": ["answers"],
    "generic": ["report"],
}
# The library modules prepare_survey runs (not the statistics modules of the same package).
SURVEY_PREPARE_MODULES = expand(
    "src/impleval/survey/{name}.py",
    name=[
        "schemas",
        "io_export",
        "io_nettskjema",
        "io_nettskjema_long",
        "io_generic",
        "cleaning",
        "flow",
        "prepare",
    ],
)


rule prepare_survey:
    input:
        **{
            key: config["inputs"]["survey"][key]
            for key in SURVEY_FORMAT_INPUTS[config["inputs"]["survey"]["format"]]
        },
        survey=study_file("survey"),
        organisation=study_file("organisation"),
        schema="config/schema/survey.schema.yaml",
        names=config["deid"].get("names_file", []),
        library=library_files("privacy", "fmt"),
        modules=SURVEY_PREPARE_MODULES,
    output:
        respondents="results/interim/survey_respondents.parquet",
        responses="results/interim/survey_responses.parquet",
        comments="results/interim/survey_comments.parquet",
        flow="results/tables/participant_flow.csv",
        deid="results/interim/deid_survey.csv",
        values="results/values/survey_flow.yml",
    log:
        "logs/survey/prepare_survey.log",
    conda:
        ENV
    params:
        format=config["inputs"]["survey"]["format"],
        export_keys=SURVEY_FORMAT_INPUTS[config["inputs"]["survey"]["format"]],
        on_hit=config["deid"]["on_hit"],
        language=config["report"]["language"],
    script:
        "../../scripts/survey_prepare.py"


rule plot_participant_flow:
    input:
        flow="results/tables/participant_flow.csv",
        library=library_files("fmt", "figures"),
        modules="src/impleval/survey/flow.py",
    output:
        svg="results/figures/participant_flow.svg",
        png="results/figures/participant_flow.png",
        meta="results/figures/participant_flow.json",
    log:
        "logs/survey/plot_participant_flow.log",
    conda:
        ENV
    params:
        language=config["report"]["language"],
    script:
        "../../scripts/survey_plot_flow.py"


# Statistics (issue 4): the library modules the two survey-statistics jobs run.
SURVEY_STATS_MODULES = sorted(glob.glob("src/impleval/survey/stats_*.py"))
SURVEY_PLOT_MODULES = sorted(glob.glob("src/impleval/survey/plots_*.py"))


rule analyse_survey:
    input:
        respondents="results/interim/survey_respondents.parquet",
        responses="results/interim/survey_responses.parquet",
        analysis=study_file("survey_analysis"),
        organisation=study_file("organisation"),
        survey=study_file("survey"),
        schema="config/schema/survey-analysis.schema.yaml",
        library=library_files("privacy", "fmt"),
        modules=SURVEY_STATS_MODULES,
    output:
        group_summary="results/tables/survey_group_summary.csv",
        reliability="results/tables/scale_reliability.csv",
        omnibus="results/tables/survey_omnibus.csv",
        pairwise="results/tables/survey_pairwise.csv",
        ordinal="results/tables/survey_ordinal.csv",
        scores="results/interim/survey_scale_scores.parquet",
        values="results/values/survey.yml",
    log:
        "logs/survey/analyse_survey.log",
    conda:
        ENV
    params:
        min_cell=config["min_cell"],
        seed=config["seed"],
        language=config["report"]["language"],
    script:
        "../../scripts/survey_analyse.py"


rule plot_survey:
    input:
        respondents="results/interim/survey_respondents.parquet",
        responses="results/interim/survey_responses.parquet",
        scores="results/interim/survey_scale_scores.parquet",
        pairwise="results/tables/survey_pairwise.csv",
        ordinal="results/tables/survey_ordinal.csv",
        analysis=study_file("survey_analysis"),
        organisation=study_file("organisation"),
        schema="config/schema/survey-analysis.schema.yaml",
        library=library_files("privacy", "fmt", "figures"),
        modules=SURVEY_PLOT_MODULES + ["src/impleval/survey/stats_settings.py"],
    output:
        **{
            f"{name}_{ext}": (
                report(f"results/figures/{name}.{ext}", category="Survey")
                if ext == "svg"
                else f"results/figures/{name}.{ext}"
            )
            for name in [
                "survey_likert_bars",
                "survey_forest",
                "survey_scale_distributions",
                "survey_odds_ratios",
            ]
            for ext in ["svg", "png", "json"]
        },
    log:
        "logs/survey/plot_survey.log",
    conda:
        ENV
    params:
        min_cell=config["min_cell"],
        language=config["report"]["language"],
    script:
        "../../scripts/survey_plot.py"
