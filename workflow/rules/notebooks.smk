# Researchers' exploratory notebooks, part of the DAG. The executed copy is kept under
# results/notebooks/; edit one interactively with `snakemake --edit-notebook <its output>`.
# Each notebook is paired with a percent script (notebooks/jupytext.toml); `make notebooks`
# syncs the two, and the next run re-executes the notebook that changed (its `notebook` input).
#
# A failed or aborted run keeps the previous results: the figures are update() outputs (not
# deleted before the job, restored by Snakemake if it fails) and the executed notebooks (the
# jobs' logs, which Snakemake empties first) are put back by restore_executed_notebooks()
# (common.smk).

# Notebook outputs per strand: a study builds those of the strands it collected.
NOTEBOOK_TARGETS = {
    "survey": ["results/notebooks/survey_not_relevant_by_role.png"],
    "interviews": ["results/notebooks/segments_per_interview.png"],
}


rule explore_survey:
    input:
        respondents="results/interim/survey_respondents.parquet",
        responses="results/interim/survey_responses.parquet",
        notebook=pipeline_path("notebooks/survey_exploration.py.ipynb"),
        code=code_inputs("notebooks/survey_exploration.py.ipynb"),
    output:
        figure=update("results/notebooks/survey_not_relevant_by_role.png"),
    log:
        notebook="results/notebooks/survey_exploration.py.ipynb",
    priority: PRIORITY["notebook"]
    conda:
        ENV
    params:
        min_cell=config["min_cell"],
    notebook:
        "../../notebooks/survey_exploration.py.ipynb"


rule explore_interviews:
    input:
        segments="results/interim/interview_segments.parquet",
        notebook=pipeline_path("notebooks/interviews_exploration.py.ipynb"),
        code=code_inputs("notebooks/interviews_exploration.py.ipynb"),
    output:
        figure=update("results/notebooks/segments_per_interview.png"),
    log:
        notebook="results/notebooks/interviews_exploration.py.ipynb",
    priority: PRIORITY["notebook"]
    conda:
        ENV
    notebook:
        "../../notebooks/interviews_exploration.py.ipynb"
