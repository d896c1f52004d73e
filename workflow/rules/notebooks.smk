# Researchers' exploratory notebooks, part of the DAG. The executed copy is kept under
# results/notebooks/; edit one interactively with `snakemake --edit-notebook <its output>`.

# Notebook outputs per strand: a study builds those of the strands it collected.
NOTEBOOK_TARGETS = {
    "survey": ["results/notebooks/survey_not_relevant_by_role.png"],
    "interviews": ["results/notebooks/segments_per_interview.png"],
}


rule explore_survey:
    input:
        respondents="results/interim/survey_respondents.parquet",
        responses="results/interim/survey_responses.parquet",
        code=code_inputs("notebooks/survey_exploration.py.ipynb"),
    output:
        figure="results/notebooks/survey_not_relevant_by_role.png",
    log:
        notebook="results/notebooks/survey_exploration.py.ipynb",
    conda:
        ENV
    params:
        min_cell=config["min_cell"],
    notebook:
        "../../notebooks/survey_exploration.py.ipynb"


rule explore_interviews:
    input:
        segments="results/interim/interview_segments.parquet",
        code=code_inputs("notebooks/interviews_exploration.py.ipynb"),
    output:
        figure="results/notebooks/segments_per_interview.png",
    log:
        notebook="results/notebooks/interviews_exploration.py.ipynb",
    conda:
        ENV
    notebook:
        "../../notebooks/interviews_exploration.py.ipynb"
