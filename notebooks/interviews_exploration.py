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
# # Qualitative exploration (researchers' notebook)
#
# Segments per interview and per theme in the de-identified coded segments. Runs inside the
# pipeline (`notebook:` rule; executed copy under `results/notebooks/`) and on its own with the
# default paths below. Exploratory only: the report reads the analysis tables instead.

# %%
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from impleval.figures import OKABE_ITO  # noqa: E402

try:  # inside Snakemake
    segments_path = snakemake.input.segments  # noqa: F821
    figure_path = snakemake.output.figure  # noqa: F821
except NameError:  # run by hand from the repository root or notebooks/
    root = Path.cwd() if Path("results").exists() else Path.cwd().parent
    segments_path = root / "results/interim/interview_segments.parquet"
    figure_path = root / "results/notebooks/segments_per_interview.png"

segments = pd.read_parquet(segments_path)
print(f"{segments['interview_id'].nunique()} interviews, {len(segments)} coded segments")

# %% [markdown]
# ## How talkative were the interviews?
# Segment counts reward talkative participants; the analysis therefore weights codes by the
# number of interviews mentioning them. This distribution shows why.

# %%
per_interview = segments.groupby(["stage", "interview_id"]).size().rename("segments").reset_index()
per_interview.groupby("stage")["segments"].describe()

# %%
fig, ax = plt.subplots(figsize=(6, 3))
ax.hist(per_interview["segments"], bins=20, color=OKABE_ITO[2])
ax.set_xlabel("coded segments per interview")
ax.set_ylabel("interviews")
fig.tight_layout()
Path(figure_path).parent.mkdir(parents=True, exist_ok=True)
fig.savefig(figure_path, dpi=120, metadata={"Software": None})
