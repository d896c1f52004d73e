"""Monitoring figures on small constructed tables: units on the axes, numbers in the report
language (log axes too), text ≥ 9 pt as displayed, arrows and a caption sentence only when an
interval is cut, direct labels for the many precision curves."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impleval import figures as F
from impleval.monitoring.plots.figures import caption, caption_fields
from impleval.monitoring.plots.forest import forest_clipped, forest_figure
from impleval.monitoring.plots.precision import precision_figure
from impleval.monitoring.plots.series import series_figure
from impleval.monitoring.settings import load_definition

ROOT = Path(__file__).resolve().parents[2]
WAIT, COUNT = "median_wait_minutes", "n_examinations"  # an ols_hac and a quasi_poisson outcome
SITES = {"a": "Site A", "b": "Site B", "c": "Site C"}


@pytest.fixture(scope="module")
def definition():
    F.use_report_style()
    return load_definition(
        ROOT / "config/demo-study/monitoring.yaml", ROOT / "config/schema/monitoring.schema.yaml"
    )


@pytest.fixture(autouse=True)
def close():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def estimates(wide_site: str | None = None) -> pd.DataFrame:
    rows = []
    for outcome, scale, size in ((WAIT, "difference", 5.0), (COUNT, "log_rate_ratio", 0.05)):
        for parameter, factor in (("level_change", 1.0), ("slope_change", 0.01)):
            for k, site in enumerate([*SITES, "pooled"]):
                est = -size * factor * (1 + 0.2 * k)
                half = 0.4 * size * factor * (30 if site == wide_site else 1)
                rows.append(
                    {
                        "site": site,
                        "outcome": outcome,
                        "parameter": parameter,
                        "estimate": est,
                        "ci_low": est - half,
                        "ci_high": est + half,
                        "baseline": "warn" if site == wide_site else "ok",
                        "scale": scale,
                    }
                )
    return pd.DataFrame(rows)


def _xlabels(fig) -> list[str]:
    return [ax.get_xlabel() for ax in fig.axes if ax.get_xlabel()]


def _bad_numbers(ticks: list[str], language: str) -> list[str]:
    pattern = r"\d\.\d" if language == "nb" else r"\d,\d(?!\d\d)"
    return [t for t in ticks if "$" in t or re.search(pattern, t)]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_forest_units_numbers_and_size(definition, language):
    fig, alt = forest_figure(estimates(), definition, SITES, language)
    labels = " ".join(_xlabels(fig))
    assert ("minutter" if language == "nb" else "minutes") in labels
    assert ("% endring i raten" if language == "nb" else "% change in rate") in labels
    report = F.font_report(fig)
    assert report["min_font_pt"] >= F.MIN_DISPLAY_PT
    assert not _bad_numbers(report["ticks"], language)
    assert "sykehus" not in alt and "hospital" not in alt


def test_counts_are_drawn_as_percent_change(definition):
    fig, _ = forest_figure(estimates(), definition, SITES, "en")
    count_level = fig.axes[2]  # second outcome row, level change
    assert "% change" in count_level.get_xlabel()
    drawn = [x for line in count_level.get_lines() for x in np.atleast_1d(line.get_xdata())]
    assert min(drawn) < -4  # −5 % rather than −0.05 on the log scale


def test_a_cut_interval_gets_arrows_and_the_caption_says_so(definition):
    cut = estimates(wide_site="c")
    assert forest_clipped(cut, definition) and not forest_clipped(estimates(), definition)
    fig, _ = forest_figure(cut, definition, SITES, "nb")
    arrows = [line for ax in fig.axes for line in ax.get_lines() if line.get_marker() in ("<", ">")]
    assert arrows
    lo, hi = fig.axes[0].get_xlim()  # waiting time, level change: site c's interval spans 120
    assert hi - lo < 30  # the other sites keep the axis (limits from the well-based estimates)
    assert not fig.axes[0].texts  # every estimate on the axis: no number written


def test_an_estimate_off_the_axis_is_written_not_drawn(definition):
    est = estimates(wide_site="c")
    far = (est["site"] == "c") & (est["outcome"] == WAIT) & (est["parameter"] == "level_change")
    est.loc[far, ["estimate", "ci_low", "ci_high"]] = [-80.0, -140.0, -20.0]
    fig, _ = forest_figure(est, definition, SITES, "nb")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["\u221280"]
    lo, hi = ax.get_xlim()
    markers = [
        x
        for line in ax.get_lines()
        if line.get_marker() in ("o", "D")
        for x in np.atleast_1d(line.get_xdata())
    ]
    assert all(lo <= x <= hi for x in markers)


def test_captions_fill_level_method_and_power_from_the_definition(definition):
    fields = caption_fields({"its_estimates": estimates()}, definition, "nb", 5)
    assert fields["ci"] == "95\u00a0%" and fields["alpha"] == "0,05"
    assert "Newey–West" in fields["se"] and fields["power"] == "80\u00a0%"
    own = estimates().assign(se_method="bootstrap")  # a table naming its own standard errors
    assert caption_fields({"its_estimates": own}, definition, "nb", 5)["se"] == "bootstrap"
    text = caption(definition, "its_forest", "nb", **fields)
    assert "{" not in text and "95\u00a0%-konfidensintervall" in text and "Piler" not in text
    for name in ("its_series", "its_forest", "implementation_timeline", "monitoring_precision"):
        for language in ("nb", "en"):
            words = caption(definition, name, language, **fields)
            assert not re.search(r"\bKI\b|\bAI\b|sykehus|hospital", words), words


def precision() -> pd.DataFrame:
    rows = []
    for k, site in enumerate(SITES):
        for outcome, base in ((WAIT, 2.0), (COUNT, 0.02)):
            for week in range(3, 157):
                rows.append(
                    {
                        "site": site,
                        "outcome": outcome,
                        "post_weeks": week,
                        "min_detectable_slope": base * (1 + 0.01 * k) * 30 / week**1.2,
                        "observed": week <= 60 + 20 * k,
                    }
                )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_precision_curves_are_labelled_directly_on_plain_log_axes(definition, language):
    fig, alt = precision_figure(precision(), definition, SITES, language)
    assert not fig.legends and not any(ax.get_legend() for ax in fig.axes)
    names = [t.get_text() for ax in fig.axes for t in ax.texts]
    for name in SITES.values():
        assert names.count(name) == 2  # once per outcome panel
    report = F.font_report(fig)
    assert report["min_font_pt"] >= F.MIN_DISPLAY_PT
    assert not _bad_numbers(report["ticks"], language)
    assert not any("10" in t and "^" in t for t in report["ticks"])
    assert all(ax.get_yscale() == "log" for ax in fig.axes)
    assert any("%" in ax.get_ylabel() for ax in fig.axes)  # count outcome per cent per week


def test_series_have_units_and_numeric_dates(definition):
    weeks = pd.date_range("2022-01-03", periods=120, freq="W-MON")
    fitted = pd.concat(
        [
            pd.DataFrame(
                {
                    "site": site,
                    "outcome": outcome,
                    "week_start": weeks,
                    "observed": np.linspace(50, 60, len(weeks)),
                    "fitted": np.linspace(50, 60, len(weeks)),
                    "counterfactual": np.linspace(50, 62, len(weeks)),
                }
            )
            for site in SITES
            for outcome in (WAIT, COUNT)
        ]
    )
    sites = pd.DataFrame(
        {
            "site": list(SITES),
            "role": ["intervention", "intervention", "comparison"],
            "go_live": ["2023-01-02", "2023-03-06", np.nan],
            "baseline": ["ok", "warn", "ok"],
            "frequency": "weekly",
        }
    )
    fig, alt = series_figure(fitted, sites, definition, SITES, "nb")
    units = {ax.get_ylabel() for ax in fig.axes}
    assert {"minutter", "undersøkelser"} <= units
    report = F.font_report(fig)
    assert report["min_font_pt"] >= F.MIN_DISPLAY_PT
    dates = [t for t in report["ticks"] if re.fullmatch(r"(\d\d\.)?20\d\d", t)]
    assert dates and not [t for t in report["ticks"] if re.search(r"[A-Za-z]", t)]
    assert fig.legends and len(fig.legends[0].get_texts()) == 4
    assert "uten KI" not in alt and "sykehus" not in alt
