"""Interview figures from simulated result tables: all five drawn, captioned, reproducible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from impleval.demo.simulate_interviews import simulate, simulated_defs
from impleval.figures import save_figure
from impleval.interviews.plots.figures import interview_figures, read_table
from impleval.interviews.settings import analysis_settings
from impleval.interviews.stats.analyse import analyse
from impleval.outputs import write_csv

ROOT = Path(__file__).resolve().parents[2]
NAMES = [
    "theme_stage_heatmap",
    "theme_trajectories",
    "theme_cooccurrence",
    "intercoder_agreement",
    "stakeholder_benefits",
]


@pytest.fixture(scope="module")
def table_dir(tmp_path_factory):
    settings = analysis_settings(
        ROOT / "config/demo-study/interviews-analysis.yaml",
        ROOT / "config/schema/interviews-analysis.schema.yaml",
    )
    settings["agreement"]["n_boot"] = 50
    # Few interviews per stage: some region and stage cells fall under min_cell.
    segments, documents = simulate(n_per_stage=6, seed=4)
    tables = analyse(segments, documents, simulated_defs(), settings, min_cell=5, seed=1)
    out = tmp_path_factory.mktemp("tables")
    for name, df in tables.items():
        write_csv(df, out / f"{name}.csv")
    return out, settings


def _draw(table_dir, out, language, settings):
    tables = {p.stem: read_table(p) for p in table_dir.glob("*.csv")}
    figures = interview_figures(tables, simulated_defs(), settings, language=language, min_cell=5)
    for name, (fig, caption, alt) in figures.items():
        save_figure(
            fig,
            out / f"{name}.svg",
            out / f"{name}.png",
            out / f"{name}.json",
            caption=caption,
            alt=alt,
        )
    return figures


@pytest.mark.parametrize("language", ["nb", "en"])
def test_all_figures_written(table_dir, tmp_path, language):
    tables, settings = table_dir
    figures = _draw(tables, tmp_path, language, settings)
    assert sorted(figures) == sorted(NAMES)
    for name in NAMES:
        meta = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
        assert meta["caption"] and meta["alt"]
        assert (tmp_path / f"{name}.png").stat().st_size > 1000


def test_svg_reproducible(table_dir, tmp_path):
    tables, settings = table_dir
    _draw(tables, tmp_path / "a", "nb", settings)
    _draw(tables, tmp_path / "b", "nb", settings)
    for name in NAMES:
        assert (tmp_path / "a" / f"{name}.svg").read_bytes() == (
            tmp_path / "b" / f"{name}.svg"
        ).read_bytes()


def test_agreement_figure_when_disabled(table_dir, tmp_path):
    tables, settings = table_dir
    off = {**settings, "agreement": {**settings["agreement"], "enabled": False}}
    figures = _draw(tables, tmp_path, "en", off)
    assert "not computed" in figures["intercoder_agreement"][1]
