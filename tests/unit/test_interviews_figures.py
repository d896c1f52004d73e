"""Interview figures from simulated result tables: text ≥ 9 pt as displayed, numbers in the
report language, agreement intervals and κ = 1 markers inside the axis with the legend shown,
trajectories labelled directly, a compact co-occurrence matrix."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from impleval import figures as F
from impleval.demo.simulate_interviews import simulate, simulated_defs
from impleval.interviews.plots.figures import interview_figures
from impleval.interviews.settings import analysis_settings
from impleval.interviews.stats.analyse import analyse

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tables():
    settings = analysis_settings(
        ROOT / "config/demo-study/interviews-analysis.yaml",
        ROOT / "config/schema/interviews-analysis.schema.yaml",
    )
    settings["agreement"]["n_boot"] = 50
    segments, documents = simulate(n_per_stage=6, seed=4)
    return analyse(segments, documents, simulated_defs(), settings, min_cell=5, seed=1), settings


@pytest.fixture(scope="module", params=["nb", "en"])
def drawn(request, tables):
    results, settings = tables
    figures = interview_figures(
        results, simulated_defs(), settings, language=request.param, min_cell=5
    )
    yield request.param, figures
    import matplotlib.pyplot as plt

    plt.close("all")


def test_text_size_and_numbers(drawn):
    language, figures = drawn
    pattern = r"\d\.\d" if language == "nb" else r"\d,\d(?!\d\d)"
    for name, (fig, _caption, _alt) in figures.items():
        report = F.font_report(fig)
        assert report["min_font_pt"] >= F.MIN_DISPLAY_PT, (name, report)
        assert not [t for t in report["ticks"] if re.search(pattern, t) or "$" in t], name
        assert report["width_in"] <= F.COLUMN_PX / F.CSS_PX_PER_INCH  # never shrunk on screen


def test_agreement_shows_every_interval_and_a_legend(drawn, tables):
    _, figures = drawn
    fig = figures["intercoder_agreement"][0]
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    agreement = tables[0]["intercoder_agreement"]
    ends = agreement[["kappa_ci_low", "alpha_ci_low", "kappa_ci_high", "alpha_ci_high"]]
    ends = ends.to_numpy(dtype=float)
    assert lo < np.nanmin(ends) and hi > max(1.0, np.nanmax(ends))  # κ = 1 markers whole
    assert fig.legends and len(fig.legends[0].get_texts()) == 2


def test_trajectories_are_labelled_at_their_ends(drawn, tables):
    _, figures = drawn
    fig = figures["theme_trajectories"][0]
    ax = fig.axes[0]
    assert ax.get_legend() is None and not fig.legends
    labels = [t.get_text() for t in ax.texts]
    n_lines = len([line for line in ax.get_lines() if line.get_label()[0] != "_"])
    assert len(labels) == n_lines > 0
    low, high = ax.get_ylim()
    assert low < 0 and high > 100  # a share of 0 or 100 % is not cut in half


def test_cooccurrence_columns_are_numbered_as_the_rows(drawn):
    language, figures = drawn
    fig, caption, _ = figures["theme_cooccurrence"]
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    cols = [t.get_text() for t in ax.get_xticklabels()]
    assert cols == [str(i) for i in range(1, len(rows) + 1)]
    assert all(r.endswith(f"({i})") for i, r in enumerate(rows, 1))
    assert ("nummerert" if language == "nb" else "numbered") in caption
