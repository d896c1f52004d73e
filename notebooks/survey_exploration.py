# ---
# jupyter:
#   jupytext:
#     notebook_metadata_filter: language_info
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

# %% [markdown]
# # Survey exploration (researchers' notebook)
#
# Exploratory look at the cleaned, de-identified survey data: response patterns per item and
# the share of "not relevant" answers by role. Runs inside the pipeline (`notebook:` rule, the
# executed copy is kept under `results/notebooks/`) and on its own with the default paths below.
# Nothing here feeds the report: confirmatory statistics live in `src/impleval/survey/`.

# %%
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from impleval.figures import OKABE_ITO  # noqa: E402

try:  # inside Snakemake (`notebook:` rule or `--edit-notebook`)
    respondents_path = snakemake.input.respondents  # noqa: F821
    responses_path = snakemake.input.responses  # noqa: F821
    figure_path = snakemake.output.figure  # noqa: F821
    min_cell = snakemake.params.min_cell  # noqa: F821
except NameError:  # run by hand from the repository root or notebooks/
    root = Path.cwd() if Path("results").exists() else Path.cwd().parent
    respondents_path = root / "results/interim/survey_respondents.parquet"
    responses_path = root / "results/interim/survey_responses.parquet"
    figure_path = root / "results/notebooks/survey_not_relevant_by_role.png"
    min_cell = 5

respondents = pd.read_parquet(respondents_path)
responses = pd.read_parquet(responses_path)
print(f"{len(respondents)} respondents, {responses['item'].nunique()} items")

# %% [markdown]
# ## Share of "not relevant" answers by role
# Roles with fewer than `min_cell` respondents are left out, as everywhere in the project.

# %%
merged = responses.merge(respondents[["respondent_id", "role"]], on="respondent_id")
role_n = respondents["role"].value_counts()
shown = role_n[role_n >= min_cell].index
share = merged[merged["role"].isin(shown)].groupby("role")["not_relevant"].mean().sort_values()
share  # noqa: B018 (the cell shows the table)

# %%
fig, ax = plt.subplots(figsize=(6, 3))
ax.barh(share.index, 100 * share.values, color=OKABE_ITO[0])
ax.set_xlabel("% not relevant (all items)")
fig.tight_layout()
Path(figure_path).parent.mkdir(parents=True, exist_ok=True)
fig.savefig(figure_path, dpi=120, metadata={"Software": None})
