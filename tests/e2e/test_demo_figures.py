"""The demo's rendered figures as the report shows them: every text at least 9 pt at the displayed
size (from every text artist, recorded when the figure was saved, checked against the PNG's real
width), numbers in the report language, captions filled and free of "KI" for intervals."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pandas as pd
import pytest

from impleval import figures as F

pytestmark = pytest.mark.e2e


def _png_width(path: Path) -> int:
    with open(path, "rb") as fh:
        fh.read(16)
        return struct.unpack(">II", fh.read(8))[0]


def _figures(demo_run: Path, language: str) -> dict[str, dict]:
    folder = demo_run / "results/figures" / language
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}


def test_every_demo_figure_shows_text_of_at_least_9_pt(demo_run: Path):
    figures = _figures(demo_run, "nb")
    assert len(figures) >= 14
    smallest = {}
    for name, meta in figures.items():
        display = meta["display"]
        width_px = _png_width(demo_run / "results/figures/nb" / meta["png"])
        assert width_px == pytest.approx(display["width_in"] * F.SAVE_DPI, abs=3), name
        assert display["scale"] == pytest.approx(F.display_scale(width_px / F.SAVE_DPI), abs=0.01)
        smallest[name] = display["min_font_pt"]
    too_small = {name: pt for name, pt in smallest.items() if pt < F.MIN_DISPLAY_PT}
    assert not too_small, f"text under {F.MIN_DISPLAY_PT} pt as displayed: {too_small}"


def test_demo_figure_numbers_are_bokmaal(demo_run: Path):
    for name, meta in _figures(demo_run, "nb").items():
        ticks = meta["display"]["ticks"]
        bad = [t for t in ticks if re.search(r"\d\.\d|\$|\de[+-]?\d", t)]
        assert not bad, (name, bad)


def test_demo_captions_are_filled_and_say_confidence_interval(demo_run: Path):
    for name, meta in _figures(demo_run, "nb").items():
        text = meta["caption"] + " " + meta["alt"]
        assert "{" not in text, name
        assert not re.search(r"%-KI|\bKI-|\bKI\)", text), name  # KI is the intervention only
        assert not re.search(r"sykehus\b|uten KI", meta["alt"]), name


def test_forest_caption_mentions_arrows_exactly_when_an_interval_is_cut(demo_run: Path):
    from impleval.monitoring.plots.forest import forest_clipped
    from impleval.monitoring.settings import load_definition

    definition = load_definition(
        demo_run / "config/demo-study/monitoring.yaml",
        demo_run / "config/schema/monitoring.schema.yaml",
    )
    estimates = pd.read_csv(demo_run / "results/tables/its_estimates.csv")
    caption = _figures(demo_run, "nb")["its_forest"]["caption"]
    assert ("Piler" in caption) == forest_clipped(estimates, definition)
